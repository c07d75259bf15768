/**
 * Failed authentications per client address: after `maxFailures` within `windowMs` (from the
 * first failure), the client is refused until the window ends. Tokens have 256 bits of
 * entropy, so this is not what stops guessing; it stops a misconfigured script or a scanner
 * from turning every request into a token lookup and a warning, and tells it when to retry.
 *
 * Memory is bounded: at most `maxClients` addresses are remembered, the least recently
 * failing forgotten first (a Map iterates in insertion order; a failure re-inserts its key).
 */
export interface FailureLimiterOptions {
  maxFailures?: number;
  windowMs?: number;
  maxClients?: number;
  /** Clock, for tests. */
  now?: () => number;
}

interface Entry {
  failures: number;
  windowEnds: number;
}

export const DEFAULT_MAX_FAILURES = 10;
export const DEFAULT_WINDOW_MS = 60_000;
export const DEFAULT_MAX_CLIENTS = 10_000;

export class AuthFailureLimiter {
  readonly maxFailures: number;
  readonly windowMs: number;
  readonly maxClients: number;
  private readonly now: () => number;
  private readonly clients = new Map<string, Entry>();

  constructor(opts: FailureLimiterOptions = {}) {
    this.maxFailures = opts.maxFailures ?? DEFAULT_MAX_FAILURES;
    this.windowMs = opts.windowMs ?? DEFAULT_WINDOW_MS;
    this.maxClients = opts.maxClients ?? DEFAULT_MAX_CLIENTS;
    this.now = opts.now ?? Date.now;
  }

  /** Whole seconds until `client` may try again; 0 when it may now. */
  retryAfterSeconds(client: string): number {
    const e = this.clients.get(client);
    if (!e) return 0;
    const left = e.windowEnds - this.now();
    if (left <= 0) {
      this.clients.delete(client);
      return 0;
    }
    return e.failures >= this.maxFailures ? Math.ceil(left / 1000) : 0;
  }

  /** Count one failure; true when it is the one that blocks the client. */
  recordFailure(client: string): boolean {
    const now = this.now();
    let e = this.clients.get(client);
    this.clients.delete(client);
    if (!e || e.windowEnds <= now) e = { failures: 0, windowEnds: now + this.windowMs };
    e.failures++;
    this.clients.set(client, e);
    while (this.clients.size > this.maxClients) this.clients.delete(this.clients.keys().next().value!);
    return e.failures === this.maxFailures;
  }

  /** Addresses remembered (bounded by maxClients). */
  get size(): number {
    return this.clients.size;
  }
}
