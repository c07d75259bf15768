/**
 * The one instrumented path every SQL statement takes: drizzle, the hand-written hot-path
 * queries and graphile-worker all share this pool, so `astroarchive_db_queries_total` and the
 * per-request / per-run counters see every round trip, including the job queue's own.
 * It is also where a stopped GraphQL request (deadline, client gone: the scope's signal)
 * stops its SQL: new statements are refused, the running one is cancelled on the server.
 */
import { AsyncResource } from 'node:async_hooks';
import pg from 'pg';
import { currentQueryScope, implicitScopesInUse, type QueryScope } from '../monitor/query-scope.js';
import { cancelBackend } from './cancel.js';
import { dbQueries } from '../monitor/metrics.js';

function recordQuery(scope: QueryScope | undefined): void {
  if (scope) scope.queries++;
  dbQueries.inc({ origin: scope?.origin ?? 'other' });
}

type Callback = (err: Error | null | undefined, result?: unknown) => void;

/** Why a stopped scope's statement failed: the scope's own reason (e.g. "deadline of 15000 ms"). */
function stopReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error('statement not run: the work it belonged to was stopped');
}

/** Fail a statement without sending it, in whichever style (callback or promise) it was asked. */
function refuse(signal: AbortSignal, args: unknown[]): Promise<never> | undefined {
  const cb = args[args.length - 1];
  if (typeof cb === 'function') {
    process.nextTick(cb as Callback, stopReason(signal));
    return undefined;
  }
  return Promise.reject(stopReason(signal));
}

class InstrumentedClient extends pg.Client {
  /** The scope of whoever checked this client out through a scoped pool (see scopedDatabase). */
  explicitScope: QueryScope | undefined = undefined;

  // pg's overloads are awkward to restate; the arguments pass through untouched.
  override query(...args: unknown[]): any {
    const scope = this.explicitScope ?? currentQueryScope();
    const signal = scope?.signal;
    // Submittables (cursors, streams) manage their own lifetime; they are not stoppable here.
    const submittable = typeof (args[0] as { submit?: unknown } | null)?.submit === 'function';
    if (signal && !submittable) return this.stoppableQuery(scope, signal, args);
    recordQuery(scope);
    return (super.query as (...a: unknown[]) => unknown).apply(this, args);
  }

  /**
   * A statement of a stoppable scope (a GraphQL request): not sent once the scope is aborted,
   * cancelled on the server if the scope is aborted while it runs, and failing with the
   * scope's reason rather than PostgreSQL's "canceling statement due to user request". One
   * listener per statement, not per field: loaders send one statement per batch.
   */
  private stoppableQuery(scope: QueryScope | undefined, signal: AbortSignal, args: unknown[]): any {
    if (signal.aborted) return refuse(signal, args);
    recordQuery(scope);
    const onAbort = () => cancelBackend(this);
    signal.addEventListener('abort', onAbort, { once: true });
    const done = () => signal.removeEventListener('abort', onAbort);
    const translate = (err: unknown) => (err && signal.aborted ? stopReason(signal) : err);
    const last = args.length - 1;
    const cb = args[last];
    const query = super.query as (...a: unknown[]) => unknown;
    if (typeof cb === 'function') {
      const wrapped: Callback = (err, result) => {
        done();
        (cb as Callback)(translate(err) as Error | undefined, result);
      };
      return query.apply(this, [...args.slice(0, last), wrapped]);
    }
    return (query.apply(this, args) as Promise<unknown>).then(
      (result) => {
        done();
        return result;
      },
      (err: unknown) => {
        done();
        throw translate(err);
      },
    );
  }
}

class InstrumentedPool extends pg.Pool {
  /**
   * pg-pool hands a released client to a waiting caller from inside the *releaser's*
   * async context. Binding the callback keeps the statement attributed to the caller
   * that asked for it (pool.query goes through here with a callback). Only needed once an
   * implicit scope exists (ingest): the API's `serve` process never binds (no async hooks).
   */
  override connect(...args: unknown[]): any {
    const [cb] = args;
    if (typeof cb === 'function' && implicitScopesInUse()) {
      return (super.connect as (cb: unknown) => void).call(this, AsyncResource.bind(cb as (...a: unknown[]) => unknown));
    }
    return (super.connect as (...a: unknown[]) => unknown).apply(this, args);
  }

  /** A stopped scope's statement is refused before it takes a connection from the pool. */
  override query(...args: unknown[]): any {
    const signal = currentQueryScope()?.signal;
    if (signal?.aborted) return refuse(signal, args);
    return (super.query as (...a: unknown[]) => unknown).apply(this, args);
  }
}

/**
 * A view of `pool` whose statements belong to `scope`: counted in it, refused and cancelled
 * by its signal. The GraphQL API hands one to each request (through its context) instead of
 * entering an AsyncLocalStorage scope. `query` checks a client out, marks it with the scope
 * for that one statement and releases it (destroying it after an error, as pg-pool does);
 * `connect` marks the client until it is released (a transaction's statements).
 */
export function scopedPool(pool: pg.Pool, scope: QueryScope): pg.Pool {
  const scoped = Object.create(pool) as pg.Pool;
  const checkout = async (): Promise<pg.PoolClient & InstrumentedClient> => {
    const client = (await connectUnlessStopped(pool, scope.signal)) as pg.PoolClient & InstrumentedClient;
    client.explicitScope = scope;
    return client;
  };
  const run = async (args: unknown[]): Promise<unknown> => {
    const client = await checkout();
    try {
      const result = await (client.query as (...a: unknown[]) => Promise<unknown>).apply(client, args);
      release(client, undefined);
      return result;
    } catch (err) {
      release(client, err as Error);
      throw err;
    }
  };
  scoped.query = ((...args: unknown[]) => {
    if (scope.signal?.aborted) return refuse(scope.signal, args);
    const cb = args[args.length - 1];
    if (typeof cb !== 'function') return run(args);
    run(args.slice(0, -1)).then(
      (result) => (cb as Callback)(null, result),
      (err: Error) => (cb as Callback)(err),
    );
    return undefined;
  }) as pg.Pool['query'];
  scoped.connect = (async () => {
    const client = await checkout();
    const { release: own } = client;
    client.release = (err?: Error | boolean) => {
      client.release = own;
      (client as unknown as InstrumentedClient).explicitScope = undefined;
      return own.call(client, err);
    };
    return client;
  }) as pg.Pool['connect'];
  return scoped;
}

/**
 * A client from the pool, or the scope's stop reason as soon as it is stopped: a request whose
 * deadline passed while every connection was busy answers then, not when one frees (a request
 * stopped at 15 s answered at 146 s while slow TAP readers held the pool). A connection that
 * arrives after the stop goes straight back.
 */
function connectUnlessStopped(pool: pg.Pool, signal: AbortSignal | undefined): Promise<pg.PoolClient> {
  const pending = pool.connect();
  if (!signal) return pending;
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      pending.then(
        (client) => client.release(),
        () => {},
      );
      reject(stopReason(signal));
    };
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    pending.then(
      (client) => {
        signal.removeEventListener('abort', onAbort);
        if (!signal.aborted) resolve(client); // else onAbort rejected, and gives this client back
      },
      (err: Error) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}

function release(client: pg.PoolClient & InstrumentedClient, err: Error | undefined): void {
  client.explicitScope = undefined;
  client.release(err);
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
