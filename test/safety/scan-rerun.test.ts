/**
 * A release's first ingest is write-once: its scan enqueues files without registering them,
 * so a rerun of a crashed scan cannot tell which files its first attempt enqueued. It starts
 * the run over instead (reset-write-once-run.ts): it waits for a batch a live worker still
 * holds, removes the first attempt's other jobs, deletes what its batches wrote, and scans
 * again. The run then ends with every file exactly once.
 *
 * The crash is simulated at the job's boundary: the scan's first attempt ran (some of its
 * batches too) and the scan job runs again as attempt 2, as graphile-worker reruns a job
 * whose worker died. (A kill -9 of a real process lands in the scan only by luck: the scan of
 * a test-sized release takes milliseconds. test/safety/crash.test.ts kills during batches.)
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { generateRelease } from '../../src/bench/generate.js';
import { createAnalysisPool, type AnalysisPool } from '../../src/ingest/analyze/pool.js';
import { runNewFilesBatch } from '../../src/ingest/run-new-files.js';
import { runScan } from '../../src/ingest/run-scan.js';
import { DEFAULT_INGEST_SETTINGS } from '../../src/ingest/settings.js';
import { submitIngest } from '../../src/ingest/submit.js';
import type { NewFiles } from '../../src/db/queries/write-new-files.js';
import { createTestDatabase } from '../helpers/db.js';
import { orphanRows, startTestWorker, tempDir, waitForRun } from '../helpers/ingest.js';
import { expectedResults, expectExactlyOnce, logProcessedAtWrites, processedWritesPerFile } from './invariants.js';

const SPECTRA = 500;
const settings = { ...DEFAULT_INGEST_SETTINGS, batchSize: 100 };

let database: Database;
let root: string;
let analysis: AnalysisPool;

beforeAll(async () => {
  database = await createTestDatabase();
  await logProcessedAtWrites(database);
  root = tempDir();
  generateRelease(path.join(root, 'dr1'), { spectra: SPECTRA, cubes: 0, images: 0, catalogues: 0, blobs: 0, sources: 20 });
  analysis = createAnalysisPool(2);
});

afterAll(async () => {
  await analysis?.close();
  await database?.close();
});

interface QueuedBatch {
  id: number;
  files: NewFiles;
}

async function queuedBatches(): Promise<QueuedBatch[]> {
  // Test-only: the payload lives in graphile-worker's private table (its public view omits it).
  const { rows } = await database.pool.query(`SELECT id, payload FROM graphile_worker._private_jobs WHERE payload::jsonb ? 'files' ORDER BY id`);
  return rows.map((r) => ({ id: Number(r.id), files: r.payload.files }));
}

describe('a write-once scan that runs again', () => {
  it('waits for a batch still held, starts the run over, and ends with every file exactly once', async () => {
    const expected = expectedResults(path.join(root, 'dr1'));
    const run = await submitIngest(database, root, { survey: 'RERUN', release: 'DR1', path: 'dr1' });
    // The scan job itself sits in the queue; nothing runs it but this test.
    await database.pool.query(`DELETE FROM graphile_worker._private_jobs WHERE NOT (payload::jsonb ? 'files')`);

    await runScan(database.pool, run.id, settings, undefined, 1);
    const { rows: [afterScan] } = await database.pool.query(`SELECT write_once, total_files, scan_done FROM ingestion_runs WHERE id = $1`, [run.id]);
    expect(afterScan).toEqual({ write_once: true, total_files: SPECTRA, scan_done: true });
    const first = await queuedBatches();
    expect(first).toHaveLength(SPECTRA / 100);
    // No file row yet: the batches write them.
    expect((await database.pool.query(`SELECT count(*)::int AS n FROM files`)).rows[0].n).toBe(0);

    // Two batches of the first attempt were written; one is held by a (simulated) live worker.
    const deps = { pool: database.pool, analysis, settings };
    for (const b of first.slice(0, 2)) {
      await runNewFilesBatch(deps, run.id, b.files);
      await database.pool.query(`DELETE FROM graphile_worker._private_jobs WHERE id = $1`, [b.id]);
    }
    const held = first[2];
    await database.pool.query(`UPDATE graphile_worker._private_jobs SET locked_at = now(), locked_by = 'test-holder' WHERE id = $1`, [held.id]);
    expect((await database.pool.query(`SELECT count(*)::int AS n FROM files`)).rows[0].n).toBe(200);

    let rerunDone = false;
    const rerun = runScan(database.pool, run.id, settings, undefined, 2).then((r) => {
      rerunDone = true;
      return r;
    });
    await new Promise((r) => setTimeout(r, 1200));
    expect(rerunDone).toBe(false); // it waits for the held batch
    // The holder finishes its batch (as its worker would), and the job goes.
    await runNewFilesBatch(deps, run.id, held.files);
    await database.pool.query(`DELETE FROM graphile_worker._private_jobs WHERE id = $1`, [held.id]);
    const summary = await rerun;
    expect(summary?.enqueued).toBe(SPECTRA);

    // The first attempt's jobs are gone and what its batches wrote was deleted: only the
    // rerun's batches remain, with ids of their own.
    const second = await queuedBatches();
    expect(second).toHaveLength(SPECTRA / 100);
    const firstIds = new Set(first.flatMap((b) => b.files.ids));
    expect(second.flatMap((b) => b.files.ids).filter((id) => firstIds.has(id))).toEqual([]);
    expect((await database.pool.query(`SELECT count(*)::int AS n FROM files`)).rows[0].n).toBe(0);
    const { rows: [reset] } = await database.pool.query(`SELECT total_files, processed_files, ingested_files, scan_done FROM ingestion_runs WHERE id = $1`, [run.id]);
    expect(reset).toEqual({ total_files: SPECTRA, processed_files: 0, ingested_files: 0, scan_done: true });
    // Its progress rows went with them: the run's curve starts over as its counters do.
    expect((await database.pool.query(`SELECT count(*)::int AS n FROM run_progress WHERE run_id = $1`, [run.id])).rows[0].n).toBe(0);

    const worker = await startTestWorker(database, settings);
    try {
      await waitForRun(database, run.id);
    } finally {
      await worker.stop();
    }
    await expectExactlyOnce(database, run.id, expected);
    expect((await database.pool.query(`SELECT sum(files)::int AS n FROM run_progress WHERE run_id = $1`, [run.id])).rows[0].n).toBe(SPECTRA);
    const writes = await processedWritesPerFile(database, run.releaseId);
    expect(writes.size).toBe(SPECTRA);
    expect([...writes.values()].filter((n) => n !== 1)).toEqual([]);
    expect(await orphanRows(database)).toEqual({ hdus: 0, issues: 0, records: 0, record_sources: 0, files: 0 });
  }, 60_000);
});
