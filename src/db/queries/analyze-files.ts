/** Refresh the planner's statistics of the tables a run grows (a sample: cheap at any size). */
import type pg from 'pg';

export async function analyzeFiles(pool: pg.Pool): Promise<void> {
  await pool.query('ANALYZE files, hdus, records');
}
