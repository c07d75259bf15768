/**
 * One `load_catalogue` job per catalogue file of a written batch, in one statement. Each table
 * loads in its own job, so a 2 GB catalogue never holds up the batch that found it, nor the
 * batches after it.
 *
 * No job key: each job carries its run and ends that run's count of loads (run-fragments.ts,
 * loadsDone), so two runs' jobs for one file must both run. A file queued twice (a re-ingest
 * while its load still waits) costs the second job a look at the checksum: the loads of one
 * file take turns (load-file.ts), and the second finds the table loaded.
 */
import type pg from 'pg';

export async function enqueueCatalogueLoads(pool: pg.Pool, runId: number, fileIds: readonly number[], maxAttempts = 3): Promise<void> {
  if (!fileIds.length) return;
  await pool.query(
    `SELECT graphile_worker.add_job('load_catalogue', json_build_object('runId', $3::bigint, 'fileId', id), max_attempts => $2)
     FROM unnest($1::bigint[]) AS id`,
    [fileIds, maxAttempts, runId],
  );
}
