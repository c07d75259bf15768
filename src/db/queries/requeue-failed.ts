/**
 * `retryFailed`, one statement: put a run's FAILED files back to PENDING, enqueue them in
 * batches, and take them off the run's counters (and its progress: a negative row) so it
 * finishes again when they are done.
 */
import type pg from 'pg';
import { progressRow } from './run-fragments.js';

/** @param db a client inside retryFailed's transaction, which holds the release's row lock. */
export async function requeueFailed(db: pg.Pool | pg.PoolClient, runId: number, batchSize: number, maxJobAttempts: number): Promise<Record<string, unknown> | undefined> {
  const { rows } = await db.query(
    `WITH failed AS (
       UPDATE files SET status = 'PENDING', attempts = 0
       WHERE release_id = (SELECT release_id FROM ingestion_runs WHERE id = $1) -- index on (release_id, id)
         AND run_id = $1 AND status = 'FAILED'
       RETURNING id
     ), numbered AS (
       SELECT id, (row_number() OVER (ORDER BY id) - 1) / $2 AS batch FROM failed
     ), jobs AS (
       SELECT graphile_worker.add_job('ingest_batch', json_build_object('runId', $1::bigint, 'fileIds', array_agg(id ORDER BY id)), max_attempts => $3)
       FROM numbered GROUP BY batch
     ), c AS (SELECT count(*)::int AS n, (SELECT count(*) FROM jobs) AS jobs FROM failed),
     ${progressRow('$1', '-(SELECT n FROM c)')}
     UPDATE ingestion_runs r SET
       failed_files = r.failed_files - c.n,
       processed_files = r.processed_files - c.n,
       status = CASE WHEN c.n > 0 THEN 'RUNNING' ELSE r.status END,
       finished_at = CASE WHEN c.n > 0 THEN NULL ELSE r.finished_at END
     FROM c WHERE r.id = $1 AND c.jobs >= 0
     RETURNING r.*`,
    [runId, batchSize, maxJobAttempts],
  );
  return rows[0];
}
