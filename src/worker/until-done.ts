/**
 * Repeats a statement that must go through: the one that records a job given up after its
 * last attempt. Nobody retries that job, so if this statement is lost (the database failing
 * at that moment, which is often why the job failed) the run waits for ever for work nobody
 * will do. It is tried again, backing off, until it succeeds or the worker stops.
 */

/** Bounds of the delay between tries. */
export const RETRY_MS = { min: 250, max: 5000 };

/**
 * Runs `step` until it resolves, backing off after each failure (`onRetry` told of each).
 * Resolves true once `step` went through, false if `signal` aborted first (the worker is
 * stopping: the caller leaves the job failed, where an operator sees it).
 */
export async function untilDone(step: () => Promise<unknown>, signal: AbortSignal | undefined, onRetry: (err: Error, delayMs: number) => void): Promise<boolean> {
  let delay = RETRY_MS.min;
  for (;;) {
    try {
      await step();
      return true;
    } catch (e) {
      if (signal?.aborted) return false;
      onRetry(e as Error, delay);
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', done);
          resolve();
        };
        const timer = setTimeout(done, delay);
        signal?.addEventListener('abort', done);
      });
      if (signal?.aborted) return false;
      delay = Math.min(RETRY_MS.max, delay * 2);
    }
  }
}
