/**
 * When a job has used its last attempt, its work must still end somewhere visible: the
 * batch's unfinished files become FAILED (with the error as an issue, so `retryFailed` can
 * requeue them), and a scan that cannot finish fails its run. Otherwise the run would wait
 * forever for files nobody will process.
 */
import type pg from 'pg';
import { loadBatchFiles } from '../db/queries/load-batch-files.js';
import { clearFileResults } from '../db/queries/clear-file-results.js';
import { insertFileResults } from '../db/queries/insert-file-results.js';
import { finishBatch } from '../db/queries/finish-batch.js';
import { failRun } from '../db/queries/fail-run.js';
import { withQueryScope } from '../monitor/query-scope.js';
import { loadRun } from '../db/queries/load-run.js';
import { writeNewFiles, type NewFiles } from '../db/queries/write-new-files.js';
import { appendAnalysis, emptyColumns, type AnalysisColumns } from './analyze/columns.js';
import type { IngestSettings } from './settings.js';
import { errnoText } from './errno-text.js';

/**
 * A job's error as readers of the release may see it (issues, the run's error): its first line,
 * without the path Node appends to a system error; a stack (server paths) stays in the logs.
 */
function publicMessage(error: string): string {
  return errnoText({ message: error.split('\n')[0] });
}

export async function failBatchFiles(pool: pg.Pool, runId: number, fileIds: number[], error: string): Promise<void> {
  await withQueryScope('ingest', async (scope) => {
    const batch = await loadBatchFiles(pool, runId, fileIds);
    if (!batch.files.length || batch.releaseId === null) return;
    // The size the scan saw: retryFailed compares the file with it before reading.
    const failed = gaveUp(batch.files.map((f) => ({ id: f.id, path: f.path, sizeBytes: f.sizeBytes })), error);
    const ids = failed.files.id;
    await clearFileResults(pool, batch.releaseId, ids, ids);
    await insertFileResults(pool, batch.releaseId, failed);
    await finishBatch(pool, runId, batch.releaseId, failed, ids.map(() => null), scope.queries, {}, []);
  });
}

/**
 * The same for a write-once batch (run-new-files.ts): its files are written FAILED, unless
 * an attempt did write them (a write-once batch writes all its files or none).
 */
export async function failNewFiles(pool: pg.Pool, settings: IngestSettings, runId: number, files: NewFiles, error: string): Promise<void> {
  await withQueryScope('ingest', async (scope) => {
    const run = await loadRun(pool, runId, files.ids);
    if (!run || run.written) return;
    const failed = gaveUp(files.ids.map((id, i) => ({ id, path: files.paths[i], sizeBytes: files.sizes[i] })), error);
    await writeNewFiles(pool, runId, run.releaseId, files, failed, files.ids.map(() => null), { ids: [], delaySeconds: 0 }, settings.maxJobAttempts, scope.queries, {}, []);
  });
}

/** Files of a batch given up on: FAILED, no record, the job's error as their one issue. */
function gaveUp(files: Array<{ id: number; path: string; sizeBytes: number }>, error: string): AnalysisColumns {
  const failed = emptyColumns();
  for (const f of files) {
    appendAnalysis(failed, {
      ...f,
      outcome: 'FAILED',
      kind: 'BLOB',
      checksum: null,
      hdus: [],
      issues: [{ severity: 'ERROR', code: 'INGEST_JOB_FAILED', message: `ingest gave up on this file's batch: ${publicMessage(error)}`, hdu: null, keyword: null }],
      record: null,
      stages: {},
    });
  }
  return failed;
}

export async function failScan(pool: pg.Pool, runId: number, error: string): Promise<void> {
  await withQueryScope('ingest', () => failRun(pool, runId, publicMessage(error)));
}
