/**
 * A sleep that a stop request can cut short: supervisors back off between attempts with
 * `pause(ms)`, and `wake()` ends the wait under way at once so a shutdown never waits out a
 * backoff delay.
 */
export interface InterruptiblePause {
  pause(ms: number): Promise<void>;
  wake(): void;
}

export function interruptiblePause(): InterruptiblePause {
  let wakeCurrent = () => {};
  return {
    pause: (ms) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, ms);
        wakeCurrent = () => {
          clearTimeout(timer);
          resolve();
        };
      }),
    wake: () => wakeCurrent(),
  };
}
