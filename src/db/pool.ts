/**
 * The one instrumented path every SQL statement takes: drizzle, the hand-written hot-path
 * queries and graphile-worker all share this pool, so `astroarchive_db_queries_total` and the
 * per-request / per-run counters see every round trip, including the job queue's own.
 */
import { AsyncResource } from 'node:async_hooks';
import pg from 'pg';
import { currentQueryScope } from '../monitor/query-scope.js';
import { dbQueries } from '../monitor/metrics.js';

function recordQuery(): void {
  const scope = currentQueryScope();
  if (scope) scope.queries++;
  dbQueries.inc({ origin: scope?.origin ?? 'other' });
}

class InstrumentedClient extends pg.Client {
  // pg's overloads are awkward to restate; the arguments pass through untouched.
  override query(...args: unknown[]): any {
    recordQuery();
    return (super.query as (...a: unknown[]) => unknown).apply(this, args);
  }
}

class InstrumentedPool extends pg.Pool {
  /**
   * pg-pool hands a released client to a waiting caller from inside the *releaser's*
   * async context. Binding the callback keeps the statement attributed to the caller
   * that asked for it (pool.query goes through here with a callback).
   */
  override connect(...args: unknown[]): any {
    const [cb] = args;
    if (typeof cb === 'function') {
      return (super.connect as (cb: unknown) => void).call(this, AsyncResource.bind(cb as (...a: unknown[]) => unknown));
    }
    return super.connect();
  }
}

export interface PoolOptions {
  connectionString: string;
  max?: number;
  applicationName?: string;
  /** Told about connection-level errors (which are otherwise survivable). */
  onError?: (err: Error) => void;
}

export function createPool(opts: PoolOptions): pg.Pool {
  const pool = new InstrumentedPool({
    connectionString: opts.connectionString,
    max: opts.max ?? 10,
    application_name: opts.applicationName ?? 'astroarchive',
    Client: InstrumentedClient,
  } as pg.PoolConfig);
  // A client losing its connection (server restart, idle timeout) must not crash the process:
  // pg emits 'error' on the pool for idle clients and on the client for checked-out ones.
  // The statement that was running fails and is retried by whoever ran it; the next
  // checkout reconnects. (graphile-worker checks that both handlers exist.)
  const onError = (err: Error) => opts.onError?.(err);
  pool.on('error', onError);
  pool.on('connect', (client) => client.on('error', onError));
  return pool;
}

// BIGINT (int8) and NUMERIC come back as strings by default; ids and sizes here fit in a
// double (sizes up to 8 PB), so parse them as numbers once, here, rather than everywhere.
pg.types.setTypeParser(20, (v) => Number(v));
