/**
 * Every process listens for profile requests: a dedicated PostgreSQL connection runs
 * `LISTEN astroarchive_profile`; a notification carries a `profiles` row id. The process the
 * row names claims it (requested -> running, so it runs once), samples itself
 * (src/monitor/profiler.ts) and stores the JSON, sample count and top functions
 * (done), or the error (failed). Requests made while the connection was down are picked up
 * on (re)connect, since the row is the request and the notification only a wake-up call.
 * The connection is reopened with backoff whenever it drops.
 */
import pg from 'pg';
import type { Logger } from '../log.js';
import { captureSelf, type CpuProfile, type HeapProfile, type ProfileKind } from './profiler.js';
import { summarizeCpuProfile, summarizeHeapProfile } from './profile-summary.js';

export const PROFILE_CHANNEL = 'astroarchive_profile';

export interface ProfileListener {
  processId: string;
  /** Resolves once the LISTEN is in place (first connection). */
  ready: Promise<void>;
  stop(): Promise<void>;
}

export interface ProfileListenerOptions {
  /** Same database as `pool`; the listener needs a connection of its own. */
  databaseUrl: string;
  /** Instrumented pool for claiming and storing (ordinary statements). */
  pool: pg.Pool;
  processId: string;
  logger?: Logger;
  /** Backoff bounds for reconnecting. */
  minRetryMs?: number;
  maxRetryMs?: number;
}

/** The process id of this process's listener, if one runs (the API's default target). */
let localProcessId: string | null = null;

export function localProfileProcessId(): string | null {
  return localProcessId;
}

export function startProfileListener(opts: ProfileListenerOptions): ProfileListener {
  const { pool, processId, logger } = opts;
  const minRetry = opts.minRetryMs ?? 250;
  const maxRetry = opts.maxRetryMs ?? 5000;
  let stopped = false;
  let client: pg.Client | null = null;
  let retryTimer: NodeJS.Timeout | undefined;
  let delay = minRetry;
  const running = new Set<Promise<void>>();
  const abort = new AbortController();
  let markReady!: () => void;
  const ready = new Promise<void>((r) => (markReady = r));

  const handle = (id: string) => {
    if (stopped || !/^\d+$/.test(id)) return;
    const p = serveRequest(pool, processId, id, abort.signal, logger).catch((err) => logger?.warn({ err: String(err), profileId: id }, 'profile request failed'));
    running.add(p);
    void p.finally(() => running.delete(p));
  };

  const connect = async () => {
    if (stopped) return;
    const c = new pg.Client({ connectionString: opts.databaseUrl, application_name: `astroarchive-profile-listener` });
    client = c;
    let failed = false;
    const onDown = (err?: Error) => {
      if (failed) return;
      failed = true;
      c.removeAllListeners('notification');
      c.end().catch(() => {});
      if (client === c) client = null;
      if (stopped) return;
      logger?.warn({ err: err ? String(err) : 'connection ended' }, `profile listener lost its connection; reconnecting in ${delay} ms`);
      retryTimer = setTimeout(connect, delay);
      retryTimer.unref();
      delay = Math.min(maxRetry, delay * 2);
    };
    c.on('error', onDown);
    c.on('end', () => onDown());
    c.on('notification', (msg) => {
      if (msg.channel === PROFILE_CHANNEL && msg.payload) handle(msg.payload);
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${PROFILE_CHANNEL}`);
      delay = minRetry;
      markReady();
      // Requests that arrived while we were not listening.
      const { rows } = await pool.query<{ id: string }>(`SELECT id::text FROM profiles WHERE process_id = $1 AND status = 'requested'`, [processId]);
      for (const r of rows) handle(r.id);
    } catch (err) {
      onDown(err as Error);
    }
  };
  void connect();
  localProcessId = processId;

  return {
    processId,
    ready,
    async stop() {
      stopped = true;
      if (localProcessId === processId) localProcessId = null;
      clearTimeout(retryTimer);
      abort.abort();
      await Promise.allSettled([...running]);
      const c = client;
      client = null;
      await c?.end().catch(() => {});
    },
  };
}

/** Claim a request addressed to us, capture, store. */
async function serveRequest(pool: pg.Pool, processId: string, id: string, signal: AbortSignal, logger?: Logger): Promise<void> {
  const { rows } = await pool.query<{ kind: ProfileKind; seconds: number }>(
    `UPDATE profiles SET status = 'running' WHERE id = $1 AND process_id = $2 AND status = 'requested' RETURNING kind, seconds`,
    [id, processId],
  );
  const req = rows[0];
  if (!req) return; // someone else's, or already taken
  logger?.info({ profileId: id, kind: req.kind, seconds: req.seconds }, 'capturing profile');
  try {
    const capture = await captureSelf(req.kind, req.seconds, { signal });
    const top =
      capture.kind === 'CPU' ? summarizeCpuProfile(capture.profile as CpuProfile) : summarizeHeapProfile(capture.profile as HeapProfile);
    await pool.query(
      `UPDATE profiles SET status = 'done', data = $2, sample_count = $3, top_functions = $4, completed_at = now() WHERE id = $1`,
      [id, JSON.stringify(capture.profile), capture.sampleCount, JSON.stringify(top)],
    );
    logger?.info({ profileId: id, samples: capture.sampleCount, threads: capture.threads }, 'profile stored');
  } catch (err) {
    await pool.query(`UPDATE profiles SET status = 'failed', error = $2, completed_at = now() WHERE id = $1`, [id, (err as Error).message]);
    throw err;
  }
}
