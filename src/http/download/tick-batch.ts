/**
 * Gathers the calls made during one turn of the event loop into one call of `run`: the
 * download routes' lookups (one statement for all the ids) and whole-file reads (one message
 * to the reader thread for all the files). The batch is sent from a setImmediate, which runs
 * once the loop has handled every socket that was readable in this turn, so requests that
 * arrived together share a round trip, and a lone request waits for nothing else. No result
 * outlives its batch: nothing is cached across requests (a file unpublished a moment ago is
 * looked up again by the next request).
 */
export function tickBatch<K, V>(run: (keys: K[]) => Promise<V[]>, max: number): (key: K) => Promise<V> {
  let keys: K[] = [];
  let waiters: Array<{ resolve(v: V): void; reject(e: unknown): void }> = [];
  let scheduled: NodeJS.Immediate | null = null;

  const flush = () => {
    if (scheduled) clearImmediate(scheduled);
    scheduled = null;
    const k = keys;
    const w = waiters;
    keys = [];
    waiters = [];
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
    );
  };

  return (key) =>
    new Promise<V>((resolve, reject) => {
      keys.push(key);
      waiters.push({ resolve, reject });
      // A full batch goes at once (a bounded statement, a bounded buffer); the rest waits for the turn's end.
      if (keys.length >= max) flush();
      else scheduled ??= setImmediate(flush);
    });
}
