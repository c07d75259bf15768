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
import { appendAnalysis, emptyColumns } from './analyze/columns.js';

export async function failBatchFiles(pool: pg.Pool, runId: number, fileIds: number[], error: string): Promise<void> {
  await withQueryScope('ingest', async (scope) => {
    const batch = await loadBatchFiles(pool, runId, fileIds);
    if (!batch.files.length || batch.releaseId === null) return;
    const failed = emptyColumns();
    for (const f of batch.files) {
      appendAnalysis(failed, {
        id: f.id,
        path: f.path,
        outcome: 'FAILED',
        kind: 'BLOB',
        sizeBytes: 0,
        checksum: null,
        hdus: [],
        issues: [{ severity: 'ERROR', code: 'INGEST_JOB_FAILED', message: `ingest gave up on this file's batch: ${error}`, hdu: null, keyword: null }],
        record: null,
        stages: {},
      });
    }
    const ids = failed.files.id;
    await clearFileResults(pool, ids, ids);
    await insertFileResults(pool, failed);
    await finishBatch(pool, runId, batch.releaseId, failed, ids.map(() => null), scope.queries, {}, []);
  });
}

export async function failScan(pool: pg.Pool, runId: number, error: string): Promise<void> {
  await withQueryScope('ingest', () => failRun(pool, runId, error));
}
