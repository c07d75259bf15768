/**
 * Gathers the calls made during one turn of the event loop into one call of `run`: the
 * download routes' lookups (one statement for all the ids) and whole-file reads (one message
 * to the reader thread for all the files). The batch is sent from a setImmediate, which runs
 * once the loop has handled every socket that was readable in this turn, so requests that
 * arrived together share a round trip, and a lone request waits for nothing else.
 *
 * At most `inFlight` batches run at once: calls made meanwhile wait for the next one to end
 * and then go together (under load the batches grow instead of the round trips multiplying;
 * idle, nothing waits). No result outlives its batch: nothing is cached across requests (a
 * file unpublished a moment ago is looked up again by the next request).
 */
export interface TickBatchOptions {
  /** Keys per call of `run` at most (a bounded statement, a bounded buffer). */
  max: number;
  /** Calls of `run` under way at once at most. */
  inFlight: number;
}

export function tickBatch<K, V>(run: (keys: K[]) => Promise<V[]>, opts: TickBatchOptions): (key: K) => Promise<V> {
  let keys: K[] = [];
  let waiters: Array<{ resolve(v: V): void; reject(e: unknown): void }> = [];
  let scheduled: NodeJS.Immediate | null = null;
  let running = 0;

  const flush = () => {
    if (scheduled) clearImmediate(scheduled);
    scheduled = null;
    if (keys.length === 0 || running >= opts.inFlight) return;
    const k = keys.length > opts.max ? keys.splice(0, opts.max) : keys;
    const w = k === keys ? waiters : waiters.splice(0, k.length);
    if (k === keys) {
      keys = [];
      waiters = [];
    }
    running++;
    let sent: Promise<V[]>;
    try {
      sent = run(k);
    } catch (err) {
      sent = Promise.reject(err);
    }
    sent.then(
      (values) => {
        for (let i = 0; i < w.length; i++) w[i].resolve(values[i]);
      },
      (err: unknown) => {
        for (const x of w) x.reject(err);
      },
    ).finally(() => {
      running--;
      // What gathered meanwhile goes now (a full batch may leave more: next turn).
      if (keys.length > 0) scheduled ??= setImmediate(flush);
    });
    if (keys.length > 0) scheduled ??= setImmediate(flush);
  };

  return (key) =>
    new Promise<V>((resolve, reject) => {
      keys.push(key);
      waiters.push({ resolve, reject });
      if (running < opts.inFlight) scheduled ??= setImmediate(flush);
    });
}
