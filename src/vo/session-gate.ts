/**
 * How many TAP and simple-service queries one process runs at once (ARCHIVE_TAP_SESSIONS).
 * Each holds a pooled connection for as long as its client reads the answer, and a client may
 * read slowly: without a bound, 22 anonymous slow readers held every connection of the pool,
 * and GraphQL, downloads and /healthz waited for minutes behind them. A query past the bound
 * waits its turn a little (`waitMs`), then gets ServiceBusyError (HTTP 503, Retry-After).
 */

export class ServiceBusyError extends Error {
  readonly status = 503;
  readonly expose = true;
  constructor(
    readonly limit: number,
    readonly retryAfterS: number,
  ) {
    super(`the service is running its ${limit} queries at once (ARCHIVE_TAP_SESSIONS); try again in a few seconds`);
    this.name = 'ServiceBusyError';
  }
}

export class SessionGate {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    readonly limit: number,
    readonly waitMs = 10_000,
  ) {}

  /** Resolves with the function that lets the next one in, once a place is free. */
  async enter(signal?: AbortSignal): Promise<() => void> {
    if (this.active < this.limit) {
      this.active++;
      return this.leaver();
    }
    await new Promise<void>((resolve, reject) => {
      const turn = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      const drop = (err: unknown) => {
        const i = this.waiting.indexOf(turn);
        if (i >= 0) this.waiting.splice(i, 1);
        clearTimeout(timer);
        reject(err);
      };
      const onAbort = () => drop(signal?.reason);
      const timer = setTimeout(() => drop(new ServiceBusyError(this.limit, Math.max(1, Math.round(this.waitMs / 1000)))), this.waitMs);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(turn);
    });
    // The one who left handed its place over: `active` still counts it.
    return this.leaver();
  }

  private leaver(): () => void {
    let left = false;
    return () => {
      if (left) return;
      left = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    };
  }
}
