/** A run whose scan cannot complete (directory gone, permissions) ends FAILED with the reason. */
import type pg from 'pg';

export async function failRun(pool: pg.Pool, runId: number, error: string): Promise<void> {
  await pool.query(
    `UPDATE ingestion_runs SET status = 'FAILED', error = $2, finished_at = clock_timestamp()
     WHERE id = $1 AND status IN ('QUEUED', 'RUNNING')`,
    [runId, error.slice(0, 4000)],
  );
}
