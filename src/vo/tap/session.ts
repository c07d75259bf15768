/**
 * Where every TAP / IVOA query runs: a READ ONLY transaction as the database role of the
 * caller (migration 0023), with a statement timeout. The role is what keeps drafts out of
 * reach, whatever SQL the translator produced: `astroarchive_tap_anon` reads ivoa.obscore's
 * published rows, tap_schema and published releases' catalogue tables; `astroarchive_tap_token`
 * (any valid API token) drafts too; neither can read the archive's own tables.
 *
 * All settings are SET LOCAL (they end with the transaction, so a pooled connection goes back
 * as it came), sent with BEGIN in one round trip. `astroarchive.public_base` and
 * `astroarchive.ivo_authority` are what ivoa.obscore builds access_url / preview and
 * obs_publisher_did from.
 */
import type pg from 'pg';
import { VoUsageError } from '../errors.js';
import { STREAM_SESSION_SETTINGS } from '../stream-query.js';
import { ResultRowsTooLargeError } from '../row-budget.js';
import type { SessionGate } from '../session-gate.js';

/** token: any valid API token (admin or not) sees drafts. */
export type TapViewer = 'anonymous' | 'token';

export const TAP_ROLES: Readonly<Record<TapViewer, string>> = {
  anonymous: 'astroarchive_tap_anon',
  token: 'astroarchive_tap_token',
};

export interface TapSessionOptions {
  /** statement_timeout: each statement (each FETCH of a cursor) is cancelled past it. */
  timeoutMs: number;
  /** The public base URL (no trailing slash) for access_url and preview; without it they are paths. */
  publicBase?: string;
  /** The IVOA authority of obs_publisher_did (default astroarchive.local). */
  authority?: string;
  /**
   * A session left idle inside the transaction this long (a result consumer that stopped
   * reading between FETCHes) is ended by the server, which frees its snapshot and locks.
   * Default: the larger of timeoutMs and 60 s.
   */
  idleMs?: number;
  /** work_mem for the query's sorts and hashes, in kB (default: the server's). */
  workMemKb?: number;
  /**
   * The caller's abort signal. A session whose caller gave up is destroyed, never pooled: a
   * cancel request sent for its statement travels on a connection of its own and may arrive
   * after the COMMIT, where it would stop the next borrower's statement instead.
   */
  signal?: AbortSignal;
  /**
   * The session streams a result (streamQuery with settingsDone): its output settings go with
   * BEGIN, one round trip fewer.
   */
  stream?: boolean;
  /** The process's bound on sessions at once (session-gate.ts): entered before a connection is taken. */
  gate?: SessionGate;
}

/**
 * A query stopped by the server: its statement timeout, a cancel (the caller went away), or
 * a permission the role lacks. Messages name no table: a table the caller may not read must
 * look like one that does not exist.
 */
export class TapExecutionError extends VoUsageError {
  constructor(
    message: string,
    readonly reason: 'timeout' | 'cancelled' | 'denied' | 'read-only',
  ) {
    super(message);
    this.name = 'TapExecutionError';
  }
}

/** PostgreSQL's error for what the session's limits stopped; anything else unchanged. */
export function tapError(err: unknown, o: { timeoutMs: number }): unknown {
  const e = err as { code?: string; message?: string };
  if (e?.code === '57014') {
    return /statement timeout/.test(e.message ?? '')
      ? new TapExecutionError(`the query took longer than this service's limit of ${formatSeconds(o.timeoutMs)} and was stopped; narrow it (TOP, a smaller region, fewer joins); asynchronous jobs (/tap/async) may run longer`, 'timeout')
      : new TapExecutionError('the query was cancelled', 'cancelled');
  }
  if (e?.code === '42501') return new TapExecutionError('permission denied: the query reads a table or calls a function this service does not offer', 'denied');
  if (e?.code === '25006') return new TapExecutionError('queries are read-only: this service does not change data', 'read-only');
  return err;
}

const formatSeconds = (ms: number) => (ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`);

/**
 * Checks out a client, BEGIN READ ONLY, SET LOCAL ROLE to the viewer's TAP role and the
 * limits, runs fn, COMMIT (ROLLBACK on error), releases. Errors of the session's limits come
 * out as TapExecutionError.
 */
export async function withTapSession<T>(pool: pg.Pool, viewer: TapViewer, o: TapSessionOptions, fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
  const leave = o.gate ? await o.gate.enter(o.signal) : undefined;
  try {
    return await inSession(pool, viewer, o, fn);
  } finally {
    leave?.();
  }
}

async function inSession<T>(pool: pg.Pool, viewer: TapViewer, o: TapSessionOptions, fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  // A client whose session broke (the idle timeout ended it, the server went away) is
  // destroyed on release, not handed to the next caller.
  let broken: Error | undefined;
  // The first error says why (the server's reason comes before "Connection terminated").
  const onError = (err: Error) => {
    broken ??= err;
  };
  client.on('error', onError);
  /** A read past its budget cancelled its own statement: that cancel may land after COMMIT. */
  let cancelled = false;
  try {
    await client.query(sessionSql(client, viewer, o));
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    cancelled = err instanceof ResultRowsTooLargeError || (err as { cause?: unknown }).cause instanceof ResultRowsTooLargeError;
    // Outside a transaction (BEGIN itself failed) ROLLBACK is only a warning.
    await client.query('ROLLBACK').catch((e: Error) => {
      broken ??= e;
    });
    // The server ended an idle session: fn only saw the connection close.
    if ((broken as { code?: string } | undefined)?.code === '25P03') {
      throw new TapExecutionError(`the result was not read for ${formatSeconds(idleMsOf(o))} and the query was stopped`, 'timeout');
    }
    throw tapError(err, o);
  } finally {
    client.off('error', onError);
    client.release(broken ?? (o.signal?.aborted || cancelled ? new Error('the TAP session was abandoned by its caller') : undefined));
  }
}

const idleMsOf = (o: TapSessionOptions) => o.idleMs ?? Math.max(o.timeoutMs, 60_000);

/** The statements that open the session, as one simple-protocol string (values escaped, role from the fixed table). */
function sessionSql(client: pg.PoolClient, viewer: TapViewer, o: TapSessionOptions): string {
  const ms = (n: number) => String(Math.max(1, Math.floor(n)));
  const idle = idleMsOf(o);
  const settings: string[] = [
    `SET LOCAL statement_timeout = ${ms(o.timeoutMs)}`,
    `SET LOCAL idle_in_transaction_session_timeout = ${ms(idle)}`,
    `SET LOCAL lock_timeout = ${ms(o.timeoutMs)}`,
    // JIT compiles a plan PostgreSQL costs as large (SELECT * FROM ivoa.obscore is, for its
    // per-row expressions) in ~0.1-0.7 s before the first row: measured 2.2-3.2 s with it off
    // against 3.6-4.7 s on for 250,000 ObsCore rows (PostgreSQL 15, alternating). TAP queries are
    // mostly small, and the big ones are streams the JIT does not speed up enough to pay for it.
    'SET LOCAL jit = off',
  ];
  if (o.stream) settings.push(...STREAM_SESSION_SETTINGS);
  if (o.workMemKb !== undefined) settings.push(`SET LOCAL work_mem = ${ms(o.workMemKb)}`);
  const custom = [
    ['astroarchive.public_base', o.publicBase],
    ['astroarchive.ivo_authority', o.authority],
  ].filter((kv): kv is [string, string] => kv[1] !== undefined);
  const configs = custom.map(([k, v]) => `set_config('${k}', ${client.escapeLiteral(v)}, true)`);
  return [
    'BEGIN READ ONLY',
    ...settings,
    ...(configs.length ? [`SELECT ${configs.join(', ')}`] : []),
    // Last: the settings above are the session's own; after this only the role's privileges count.
    `SET LOCAL ROLE ${TAP_ROLES[viewer]}`,
  ].join('; ');
}
