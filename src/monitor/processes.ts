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
  staleAfterMs?: number;
  onError?: (err: unknown) => void;
}

export async function registerProcess(pool: pg.Pool, opts: RegisterOptions): Promise<RegisteredProcess> {
  const host = os.hostname();
  const id = `${host}:${process.pid}:${crypto.randomBytes(3).toString('hex')}`;
  const workerIds = new Set<string>();
  const intervalMs = opts.intervalMs ?? 2000;
  const staleAfterMs = opts.staleAfterMs ?? 30_000;
  await pool.query(`INSERT INTO processes (id, role, host, pid) VALUES ($1, $2, $3, $4)`, [id, opts.role, host, process.pid]);

  const activeIntervalMs = Math.min(opts.activeIntervalMs ?? 1000, intervalMs);
  let lastFull = Date.now();
  let publishedBusy = false;
  const publish = async () => {
    const entries = opts.activity?.snapshot() ?? [];
    publishedBusy = entries.length > 0;
    await pool.query(`UPDATE processes SET last_seen_at = now(), worker_ids = $2, activity = $3 WHERE id = $1`, [id, [...workerIds], JSON.stringify(entries)]);
  };
  const beat = async () => {
    lastFull = Date.now();
    await publish();
    await sweepDeadProcesses(pool, host, staleAfterMs);
  };
  await sweepDeadProcesses(pool, host, staleAfterMs);

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

/** Free the jobs of processes that are gone and forget them. Two statements, any number of processes. */
export async function sweepDeadProcesses(pool: pg.Pool, host: string, staleAfterMs: number): Promise<number> {
  const { rows } = await pool.query<{ id: string; pid: number }>(`SELECT id, pid FROM processes WHERE host = $1`, [host]);
  const deadHere = rows.filter((r) => r.pid !== process.pid && !isProcessAlive(r.pid)).map((r) => r.id);
  const { rows: freed } = await pool.query<{ n: number }>(
    `WITH dead AS (
       DELETE FROM processes
       WHERE id = ANY($1::text[]) OR last_seen_at < now() - make_interval(secs => $2::float8 / 1000)
       RETURNING worker_ids),
     ids AS (SELECT coalesce(array_agg(w), '{}') AS w FROM dead, unnest(dead.worker_ids) AS w)
     SELECT cardinality(ids.w) AS n, graphile_worker.force_unlock_workers(ids.w) FROM ids`,
    [deadHere, staleAfterMs],
  );
  return Number(freed[0]?.n ?? 0);
}

