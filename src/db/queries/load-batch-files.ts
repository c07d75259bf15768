/**
 * Batch stage "load", one statement: the batch's files that still need work in this run
 * (PENDING and registered by this run), with the run's root directory and release rules.
 * A rerun of a batch after a crash finds only the files the crashed attempt did not finish.
 */
import type pg from 'pg';
import type { ProductRules } from '../../ingest/rules.js';

export interface BatchFiles {
  root: string | null;
  releaseId: number | null;
  rules: ProductRules | null;
  /** `processed`: the file has results from an earlier attempt or ingest that must be cleared. */
  /** `sizeBytes`, `mtimeMs`: as the scan saw them (a file that differs when opened is not read). */
  files: Array<{ id: number; path: string; attempts: number; processed: boolean; sizeBytes: number; mtimeMs: number }>;
}

export async function loadBatchFiles(pool: pg.Pool, runId: number, fileIds: number[]): Promise<BatchFiles> {
  const { rows } = await pool.query(
    `SELECT run.path AS root, run.release_id, rel.rules,
            coalesce((SELECT json_agg(json_build_object('id', f.id, 'path', f.path, 'attempts', f.attempts, 'processed', f.processed_at IS NOT NULL, 'sizeBytes', f.size_bytes, 'mtimeMs', f.mtime_ms) ORDER BY f.id)
                      FROM files f WHERE f.id = ANY($2::bigint[]) AND f.run_id = run.id AND f.status = 'PENDING'), '[]') AS files
     FROM ingestion_runs run JOIN releases rel ON rel.id = run.release_id
     WHERE run.id = $1`,
    [runId, fileIds],
  );
  const r = rows[0];
  if (!r) return { root: null, releaseId: null, rules: null, files: [] };
  return { root: r.root, releaseId: Number(r.release_id), rules: r.rules, files: r.files };
}
