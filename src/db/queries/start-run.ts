/**
 * Scan stage start: mark the run RUNNING and fetch what the scan needs, in one statement. A
 * run whose release was published before its scan started ends FAILED here, and the scan
 * does nothing (the scan's writes re-check the release too: run-fragments.ts, openRelease).
 */
import type pg from 'pg';
import type { ProductRules } from '../../ingest/rules.js';
import { PUBLISHED_MEANWHILE } from './run-fragments.js';

export interface RunToScan {
  id: number;
  releaseId: number;
  path: string;
  status: string;
  releaseStatus: string;
  rules: ProductRules | null;
  /** No file of the release is registered yet (its first ingest, and not a rerun of the scan). */
  releaseEmpty: boolean;
  /**
   * The scan's first attempt found the release empty: files are enqueued unregistered and
   * written once by their batches. Kept by later attempts, which must then start over.
   */
  writeOnce: boolean;
}

/** @param attempt the scan job's attempt: only the first decides `writeOnce`. */
export async function startRun(pool: pg.Pool, runId: number, attempt = 1): Promise<RunToScan | undefined> {
  const { rows } = await pool.query(
    `WITH empty AS (
       SELECT NOT EXISTS (SELECT 1 FROM files f JOIN ingestion_runs r ON f.release_id = r.release_id WHERE r.id = $1) AS release_empty
     )
     UPDATE ingestion_runs r SET status = CASE WHEN rel.status = 'published' AND r.status IN ('QUEUED', 'RUNNING') THEN 'FAILED'
                                               WHEN r.status = 'QUEUED' THEN 'RUNNING' ELSE r.status END,
                                 error = CASE WHEN rel.status = 'published' AND r.status IN ('QUEUED', 'RUNNING') THEN $3 ELSE r.error END,
                                 finished_at = CASE WHEN rel.status = 'published' THEN coalesce(r.finished_at, clock_timestamp()) ELSE r.finished_at END,
                                 started_at = coalesce(r.started_at, now()),
                                 write_once = CASE WHEN $2::int = 1 THEN (SELECT release_empty FROM empty) ELSE r.write_once END
     FROM releases rel WHERE r.id = $1 AND rel.id = r.release_id
     RETURNING r.id, r.release_id, r.path, r.status, rel.status AS release_status, rel.rules,
               (SELECT release_empty FROM empty), r.write_once`,
    [runId, attempt, PUBLISHED_MEANWHILE],
  );
  const r = rows[0];
  return (
    r && {
      id: Number(r.id),
      releaseId: Number(r.release_id),
      path: r.path,
      status: r.status,
      releaseStatus: r.release_status,
      rules: r.rules,
      releaseEmpty: r.release_empty,
      writeOnce: r.write_once,
    }
  );
}
