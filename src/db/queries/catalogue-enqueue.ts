/**
 * One `load_catalogue` job per catalogue file of a written batch, in one statement. Each table
 * loads in its own job, so a 2 GB catalogue never holds up the batch that found it, nor the
 * batches after it. The job key (`catalogue:<file id>`) folds a file queued twice (a re-ingest
 * while its load is still waiting) into one job.
 */
import type pg from 'pg';

export async function enqueueCatalogueLoads(pool: pg.Pool, fileIds: readonly number[], maxAttempts = 3): Promise<void> {
  if (!fileIds.length) return;
  await pool.query(
    `SELECT graphile_worker.add_job('load_catalogue', json_build_object('fileId', id), max_attempts => $2,
                                    job_key => 'catalogue:' || id, job_key_mode => 'replace')
     FROM unnest($1::bigint[]) AS id`,
    [fileIds, maxAttempts],
  );
}
