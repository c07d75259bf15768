/**
 * Scan stage end, one statement: flag files of the release that this run's scan did not
 * find (reported as missing, not deleted: their records stay until someone decides), mark
 * the scan done, add the scan's timing and statement count, and end the run if nothing is
 * left to process. A release published meanwhile is not touched, and the run ends FAILED
 * (run-fragments.ts, openRelease).
 */
import type pg from 'pg';
import { addStages, finishColumns, openRelease, RELEASE_OPEN } from './run-fragments.js';

const SQL = `
WITH ${openRelease('$1')}, flagged AS (
  UPDATE files SET missing = true
  WHERE release_id = $1 AND run_id IS DISTINCT FROM $2 AND NOT missing AND ${RELEASE_OPEN}
  RETURNING id
), missing AS (
  SELECT count(*)::int AS n FROM files WHERE release_id = $1 AND run_id IS DISTINCT FROM $2
)
UPDATE ingestion_runs r SET
  scan_done = true,
  missing_files = (SELECT n FROM missing),
  queries = r.queries + $4,
  ${addStages('$3')},
  ${finishColumns('0', '0', 'r.processed_files >= r.total_files')}
WHERE r.id = $2
RETURNING r.status, r.total_files, r.missing_files, (SELECT count(*) FROM flagged)::int AS newly_missing`;

export async function finishScan(
  pool: pg.Pool,
  releaseId: number,
  runId: number,
  stages: Record<string, number>,
  queries: number,
): Promise<{ status: string; totalFiles: number; missingFiles: number }> {
  const { rows } = await pool.query(SQL, [releaseId, runId, JSON.stringify(stages), queries + 1]);
  return { status: rows[0].status, totalFiles: rows[0].total_files, missingFiles: rows[0].missing_files };
}
