/**
 * Process registry: every API/worker process has a row in `processes` that it heartbeats,
 * carrying its graphile-worker ids and a snapshot of its jobs' activity. One query then
 * shows a whole deployment (`Query.processes`, `Query.activity`).
 *
 * The registry is also how a crashed worker's jobs come back promptly: graphile-worker only
 * frees a dead worker's locked jobs after 4 hours. Each heartbeat sweeps processes that are
 * gone (same host and pid no longer alive, or silent for `staleAfterMs` on any host), frees
 * their workers' jobs with `graphile_worker.force_unlock_workers`, and deletes their rows.
 * Batch writes are idempotent, so a job freed from a merely slow process is safe to rerun.
 *
 * What keeps this sound when a process stalls (a long GC, a heartbeat stuck behind a lock):
 * - a process never sweeps itself, and stamps `last_seen_at` with the time its heartbeat
 *   actually ran (clock_timestamp(), not the statement's start), so a heartbeat that waited
 *   does not write a time that is already stale;
 * - a heartbeat is an upsert: a process whose row was swept while it stalled registers
 *   again (same id, worker ids, start time) and is visible and sweepable once more;
 * - jobs locked for longer than `staleAfterMs` by a worker id that no live process owns are
 *   freed too, so a dead process's jobs come back within `staleAfterMs` (plus one heartbeat)
 *   even when its row is gone and nobody knows its ids any more.
 */
import crypto from 'node:crypto';
import os from 'node:os';
import type pg from 'pg';
import type { ActivityBoard } from './activity.js';
import { isProcessAlive } from '../util/process-alive.js';

export type ProcessRole = 'api' | 'worker' | 'all-in-one';

export interface RegisteredProcess {
  id: string;
  role: ProcessRole;
  /** Record the worker ids of this process's graphile-worker pool. */
  addWorkerId(id: string): void;
  /** Heartbeat + sweep now (tests; the timer does it every `intervalMs`). */
  beat(): Promise<void>;
  stop(): Promise<void>;
}

export interface RegisterOptions {
  role: ProcessRole;
  activity?: ActivityBoard;
  intervalMs?: number;
  /**
   * While jobs are in flight (the activity board is not empty), publish the activity this
   * often between full heartbeats: one UPDATE, no sweep, outside any run's query scope, so a
   * run's statements per file do not change. Default 1000 ms.
   */
  activeIntervalMs?: number;
  /** A process silent this long is dead (default 30 s; `ARCHIVE_PROCESS_TIMEOUT_SECONDS`). */
  staleAfterMs?: number;
  onError?: (err: unknown) => void;
  /** Told when the heartbeat found this process's row gone (swept while stalled) and registered again. */
  onReregistered?: () => void;
}

/**
 * Heartbeat and timeout from the environment (README, "Configuration"):
 * `ARCHIVE_HEARTBEAT_MS` (default 2,000) and `ARCHIVE_PROCESS_TIMEOUT_MS` (default 30,000),
 * after which a silent process counts as dead and its jobs are freed. Tests shorten both.
 */
export function registryTiming(env: NodeJS.ProcessEnv): { intervalMs: number; staleAfterMs: number } {
  const ms = (name: string, fallback: number) => {
    const raw = env[name]?.trim();
    if (!raw) return fallback;
    const n = Number(raw);
    if (!Number.isSafeInteger(n) || n < 1) throw new Error(`${name} must be a positive integer (milliseconds), got ${JSON.stringify(raw)}`);
    return n;
  };
  const intervalMs = ms('ARCHIVE_HEARTBEAT_MS', 2000);
  const staleAfterMs = ms('ARCHIVE_PROCESS_TIMEOUT_MS', 30_000);
  if (staleAfterMs < 3 * intervalMs) {
    throw new Error(`ARCHIVE_PROCESS_TIMEOUT_MS (${staleAfterMs}) must be at least three heartbeats (ARCHIVE_HEARTBEAT_MS ${intervalMs}), or live processes would be taken for dead`);
  }
  return { intervalMs, staleAfterMs };
}

/** One heartbeat: refresh our row, or register again if a sweep removed it while we stalled. */
const HEARTBEAT = `
INSERT INTO processes AS p (id, role, host, pid, started_at, last_seen_at, worker_ids, activity)
VALUES ($1, $2, $3, $4, $5, clock_timestamp(), $6, $7)
ON CONFLICT (id) DO UPDATE SET last_seen_at = clock_timestamp(), worker_ids = EXCLUDED.worker_ids, activity = EXCLUDED.activity
RETURNING (xmax = 0) AS inserted`;

export async function registerProcess(pool: pg.Pool, opts: RegisterOptions): Promise<RegisteredProcess> {
  const host = os.hostname();
  const id = `${host}:${process.pid}:${crypto.randomBytes(3).toString('hex')}`;
  const workerIds = new Set<string>();
  const intervalMs = opts.intervalMs ?? 2000;
  const staleAfterMs = opts.staleAfterMs ?? 30_000;
  const startedAt = new Date();
  await pool.query(`INSERT INTO processes (id, role, host, pid, started_at) VALUES ($1, $2, $3, $4, $5)`, [id, opts.role, host, process.pid, startedAt]);

  const activeIntervalMs = Math.min(opts.activeIntervalMs ?? 1000, intervalMs);
  let lastFull = Date.now();
  let publishedBusy = false;
  const publish = async () => {
    const entries = opts.activity?.snapshot() ?? [];
    publishedBusy = entries.length > 0;
    const { rows } = await pool.query<{ inserted: boolean }>(HEARTBEAT, [id, opts.role, host, process.pid, startedAt, [...workerIds], JSON.stringify(entries)]);
    if (rows[0]?.inserted) opts.onReregistered?.();
  };
  const beat = async () => {
    lastFull = Date.now();
    await publish();
    await sweepDeadProcesses(pool, host, staleAfterMs, { id, workerIds: [...workerIds] });
  };
  await sweepDeadProcesses(pool, host, staleAfterMs, { id, workerIds: [] });

  let running: Promise<void> | undefined;
  const timer = setInterval(() => {
    if (running) return; // a slow database must not pile up heartbeats
    const due = Date.now() - lastFull >= intervalMs - activeIntervalMs / 2;
    // Between full beats: publish while busy, and once more when the jobs have ended.
    const busy = publishedBusy || (opts.activity?.snapshot().length ?? 0) > 0;
    if (!due && !busy) return;
    running = (due ? beat() : publish())
      .catch((err) => opts.onError?.(err))
      .finally(() => {
        running = undefined;
      });
  }, activeIntervalMs);
  timer.unref();

  return {
    id,
    role: opts.role,
    addWorkerId: (w) => {
      if (workerIds.has(w)) return;
      workerIds.add(w);
      // Recorded at once, not at the next heartbeat: a process killed right after starting
      // may already hold locked jobs under this id.
      pool.query(`UPDATE processes SET worker_ids = $2 WHERE id = $1`, [id, [...workerIds]]).catch((err) => opts.onError?.(err));
    },
    beat,
    async stop() {
      clearInterval(timer);
      await running;
      await pool.query(`DELETE FROM processes WHERE id = $1`, [id]).catch(() => {});
    },
  };
}

/**
 * The sweep, in one statement: forget the dead processes (here: `$1`, pids gone from this
 * host; anywhere: silent for `$2` ms), never the sweeping process itself (`$3`), and free the
 * jobs and queues locked by their worker ids, and by any worker id that no remaining process
 * owns and that has held its lock for `$2` ms (a process whose row was removed before it
 * died). The sweeper's own worker ids (`$4`) are live whatever its row says. A row locked by
 * someone else (its owner heartbeating) is left for the next sweep rather than waited for:
 * a sweep never stalls a heartbeat.
 */
const SWEEP = `
WITH doomed AS (
  SELECT id FROM processes
  WHERE id <> $3 AND (id = ANY($1::text[]) OR last_seen_at < now() - make_interval(secs => $2::float8 / 1000))
  FOR UPDATE SKIP LOCKED
), dead AS (
  DELETE FROM processes p USING doomed d WHERE p.id = d.id RETURNING p.id, p.worker_ids
), live AS (
  SELECT w FROM processes p, unnest(p.worker_ids) AS w WHERE p.id NOT IN (SELECT id FROM dead)
  UNION ALL SELECT unnest($4::text[])
), orphaned AS (
  SELECT locked_by AS w FROM graphile_worker._private_jobs
  WHERE locked_by IS NOT NULL AND locked_at < now() - make_interval(secs => $2::float8 / 1000)
  UNION SELECT locked_by FROM graphile_worker._private_job_queues
  WHERE locked_by IS NOT NULL AND locked_at < now() - make_interval(secs => $2::float8 / 1000)
), ids AS (
  SELECT coalesce(array_agg(DISTINCT w), '{}') AS w FROM (
    SELECT unnest(dead.worker_ids) AS w FROM dead
    UNION SELECT o.w FROM orphaned o WHERE o.w NOT IN (SELECT w FROM live)) AS gone
)
SELECT cardinality(ids.w) AS n, graphile_worker.force_unlock_workers(ids.w) FROM ids`;

/**
 * Free the jobs of processes that are gone and forget them. Two statements, any number of
 * processes. `self`: the sweeping process, which is alive whatever its row says.
 */
export async function sweepDeadProcesses(pool: pg.Pool, host: string, staleAfterMs: number, self: { id: string; workerIds: string[] }): Promise<number> {
  const { rows } = await pool.query<{ id: string; pid: number }>(`SELECT id, pid FROM processes WHERE host = $1`, [host]);
  const deadHere = rows.filter((r) => r.pid !== process.pid && !isProcessAlive(r.pid)).map((r) => r.id);
  const { rows: freed } = await pool.query<{ n: number }>(SWEEP, [deadHere, staleAfterMs, self.id, self.workerIds]);
  return Number(freed[0]?.n ?? 0);
}

