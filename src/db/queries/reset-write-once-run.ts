/**
 * A write-once run whose scan is rerun (its first attempt crashed) starts over. Its first
 * attempt enqueued files that exist nowhere but in job payloads, so the rerun cannot tell
 * which files it already enqueued; it removes that attempt's jobs and what they wrote, then
 * scans again. Nothing else can have written to the release: it was empty when the run began,
 * and a release has one run at a time.
 *
 * Jobs a live worker is running are not removed (graphile-worker does not let a locked job
 * go): the reset waits for them to end, then removes and deletes again. A dead worker's jobs
 * are unlocked by the process registry when a worker starts (worker/registry), and then go.
 */
import type pg from 'pg';
import { batchJobKeyPrefix } from './enqueue-new-files.js';
import { openRelease, RELEASE_OPEN } from './run-fragments.js';

const REMOVE_WAITING_JOBS = `
SELECT count(*)::int AS removed FROM graphile_worker.complete_jobs(
  ARRAY(SELECT id FROM graphile_worker.jobs WHERE key LIKE $1 || '%' AND locked_at IS NULL))`;

const HELD_JOBS = `SELECT count(*)::int AS held FROM graphile_worker.jobs WHERE key LIKE $1 || '%'`;

const DELETE_RESULTS = `
WITH ${openRelease('$2')},
     gone AS (DELETE FROM files WHERE release_id = $2 AND ${RELEASE_OPEN} RETURNING id),
     h AS (DELETE FROM hdus WHERE file_id IN (SELECT id FROM gone)),
     i AS (DELETE FROM validation_issues WHERE file_id IN (SELECT id FROM gone)),
     rec AS (DELETE FROM records WHERE file_id IN (SELECT id FROM gone)),
     progress AS (DELETE FROM run_progress WHERE run_id = $1 AND ${RELEASE_OPEN})
UPDATE ingestion_runs SET total_files = 0, processed_files = 0, ingested_files = 0, invalid_files = 0,
                          failed_files = 0, skipped_files = 0, missing_files = 0, scan_done = false
WHERE id = $1
RETURNING (SELECT count(*) FROM gone)::int AS files`;

export interface ResetOptions {
  /** How long to wait for jobs held by live workers. */
  timeoutMs?: number;
  pollMs?: number;
}

export async function resetWriteOnceRun(pool: pg.Pool, runId: number, releaseId: number, opts: ResetOptions = {}): Promise<{ removedJobs: number; deletedFiles: number }> {
  const prefix = batchJobKeyPrefix(runId);
  const deadline = Date.now() + (opts.timeoutMs ?? 10 * 60_000);
  let removedJobs = 0;
  for (;;) {
    removedJobs += (await pool.query(REMOVE_WAITING_JOBS, [prefix])).rows[0].removed;
    const held = (await pool.query(HELD_JOBS, [prefix])).rows[0].held;
    if (held === 0) break;
    if (Date.now() > deadline) throw new Error(`run ${runId}: ${held} batch jobs of the crashed scan are still held by a worker; the scan will be retried`);
    await new Promise((r) => setTimeout(r, opts.pollMs ?? 500));
  }
  const { rows } = await pool.query(DELETE_RESULTS, [runId, releaseId]);
  return { removedJobs, deletedFiles: rows[0]?.files ?? 0 };
}
