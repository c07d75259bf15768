/** Scan stage start: mark the run RUNNING and fetch what the scan needs, in one statement. */
import type pg from 'pg';
import type { ProductRules } from '../../ingest/rules.js';

export interface RunToScan {
  id: number;
  releaseId: number;
  path: string;
  status: string;
  releaseStatus: string;
  rules: ProductRules | null;
  /** No file of the release is registered yet (its first ingest, and not a rerun of the scan). */
  releaseEmpty: boolean;
}

export async function startRun(pool: pg.Pool, runId: number): Promise<RunToScan | undefined> {
  const { rows } = await pool.query(
    `UPDATE ingestion_runs r SET status = CASE WHEN r.status = 'QUEUED' THEN 'RUNNING' ELSE r.status END,
                                 started_at = coalesce(r.started_at, now())
     FROM releases rel WHERE r.id = $1 AND rel.id = r.release_id
     RETURNING r.id, r.release_id, r.path, r.status, rel.status AS release_status, rel.rules,
               NOT EXISTS (SELECT 1 FROM files f WHERE f.release_id = r.release_id) AS release_empty`,
    [runId],
  );
  const r = rows[0];
  return r && { id: Number(r.id), releaseId: Number(r.release_id), path: r.path, status: r.status, releaseStatus: r.release_status, rules: r.rules, releaseEmpty: r.release_empty };
}
