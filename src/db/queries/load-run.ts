/**
 * Batch stage "load" of a write-once batch, one statement: the run's root directory, release
 * and rules. On a rerun (`checkIds`), also whether the batch's files are written already: a
 * write-once batch writes all of them in one statement or none (write-new-files.ts).
 */
import type pg from 'pg';
import type { ProductRules } from '../../ingest/rules.js';

export interface RunForBatch {
  root: string;
  releaseId: number;
  rules: ProductRules | null;
  status: string;
  written: boolean;
}

export async function loadRun(pool: pg.Pool, runId: number, checkIds: number[] | null): Promise<RunForBatch | undefined> {
  const { rows } = await pool.query(
    `SELECT run.path AS root, run.release_id, run.status, rel.rules,
            $2::bigint[] IS NOT NULL AND EXISTS (SELECT 1 FROM files f WHERE f.id = ANY($2::bigint[])) AS written
     FROM ingestion_runs run JOIN releases rel ON rel.id = run.release_id
     WHERE run.id = $1`,
    [runId, checkIds],
  );
  const r = rows[0];
  return r && { root: r.root, releaseId: Number(r.release_id), rules: r.rules, status: r.status, written: r.written };
}
