/**
 * A batch job that used its last attempt still ends visibly: its files become FAILED with the
 * job's error as their issue (so retryFailed can requeue them) and the run can end. Both kinds
 * of batch: a write-once batch (its files written FAILED, once) and a batch of registered files.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { generateRelease } from '../../src/bench/generate.js';
import { createAnalysisPool, type AnalysisPool } from '../../src/ingest/analyze/pool.js';
import { failBatchFiles, failNewFiles } from '../../src/ingest/give-up.js';
import { runBatch } from '../../src/ingest/run-batch.js';
import { runNewFilesBatch } from '../../src/ingest/run-new-files.js';
import { runScan } from '../../src/ingest/run-scan.js';
import { DEFAULT_INGEST_SETTINGS } from '../../src/ingest/settings.js';
import { submitIngest } from '../../src/ingest/submit.js';
import type { NewFiles } from '../../src/db/queries/write-new-files.js';
import { createTestDatabase } from '../helpers/db.js';
import { orphanRows, tempDir } from '../helpers/ingest.js';

const settings = { ...DEFAULT_INGEST_SETTINGS, batchSize: 50 };
let database: Database;
let root: string;
let analysis: AnalysisPool;

beforeAll(async () => {
  database = await createTestDatabase();
  root = tempDir();
  generateRelease(path.join(root, 'dr1'), { spectra: 100, cubes: 0, images: 0, catalogues: 0, blobs: 50, sources: 5 });
  analysis = createAnalysisPool(1);
});
afterAll(async () => {
  await analysis?.close();
  await database?.close();
});

const q = async (sql: string, params: unknown[] = []) => (await database.pool.query(sql, params)).rows;

async function queuedPayloads(): Promise<Array<{ id: number; payload: { files?: NewFiles; fileIds?: number[] } }>> {
  // Test-only: the payload lives in graphile-worker's private table (its public view omits it).
  const rows = await q(`SELECT id, payload FROM graphile_worker._private_jobs WHERE payload::jsonb ?| array['files', 'fileIds'] ORDER BY id`);
  await q(`DELETE FROM graphile_worker._private_jobs`); // this test runs the jobs itself
  return rows.map((r) => ({ id: Number(r.id), payload: r.payload }));
}

async function failedIssues(runId: number): Promise<number> {
  return (await q(`SELECT count(*)::int AS n FROM files f JOIN validation_issues i ON i.file_id = f.id WHERE f.run_id = $1 AND f.status = 'FAILED' AND i.code = 'INGEST_JOB_FAILED' AND i.message LIKE '%disk on fire%'`, [runId]))[0].n;
}

describe('a batch job that gives up', () => {
  it('writes its files FAILED with the reason, once, in a first ingest and in a re-ingest', async () => {
    const deps = { pool: database.pool, analysis, settings };
    // First ingest (write-once): one batch gives up, the others run.
    const first = await submitIngest(database, root, { survey: 'GIVEUP', release: 'DR1', path: 'dr1' });
    await q(`DELETE FROM graphile_worker._private_jobs`);
    await runScan(database.pool, first.id, settings, undefined, 1);
    const batches = await queuedPayloads();
    expect(batches).toHaveLength(3);
    const [lost, ...rest] = batches.map((b) => b.payload.files!);
    await failNewFiles(database.pool, settings, first.id, lost, 'disk on fire');
    await failNewFiles(database.pool, settings, first.id, lost, 'disk on fire'); // a second call finds them written
    for (const files of rest) await runNewFilesBatch(deps, first.id, files);
    const [run1] = await q(`SELECT status, total_files, processed_files, failed_files FROM ingestion_runs WHERE id = $1`, [first.id]);
    expect(run1).toEqual({ status: 'PARTIAL', total_files: 150, processed_files: 150, failed_files: 50 });
    expect(await failedIssues(first.id)).toBe(50);

    // Re-ingest after touching every file (registered files): one batch gives up again.
    const later = new Date(Date.now() + 10_000);
    for (const rel of fs.readdirSync(path.join(root, 'dr1'), { recursive: true }) as string[]) {
      const abs = path.join(root, 'dr1', rel);
      if (fs.statSync(abs).isFile()) fs.utimesSync(abs, later, later);
    }
    const second = await submitIngest(database, root, { survey: 'GIVEUP', release: 'DR1', path: 'dr1' });
    await q(`DELETE FROM graphile_worker._private_jobs`);
    await runScan(database.pool, second.id, settings, undefined, 1);
    const again = await queuedPayloads();
    expect(again.every((b) => b.payload.fileIds)).toBe(true);
    const [gone, ...others] = again.map((b) => b.payload.fileIds!);
    await failBatchFiles(database.pool, second.id, gone, 'disk on fire');
    await failBatchFiles(database.pool, second.id, gone, 'disk on fire'); // files no longer PENDING: nothing to do
    for (const ids of others) await runBatch(deps, second.id, ids);
    const [run2] = await q(`SELECT status, processed_files, failed_files FROM ingestion_runs WHERE id = $1`, [second.id]);
    expect(run2).toEqual({ status: 'PARTIAL', processed_files: 150, failed_files: gone.length });
    expect(await failedIssues(second.id)).toBe(gone.length);
    expect((await q(`SELECT count(*)::int AS n FROM files`))[0].n).toBe(150);
    expect(await orphanRows(database)).toEqual({ hdus: 0, issues: 0, records: 0, record_sources: 0, files: 0 });
  }, 60_000);
});
