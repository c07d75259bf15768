/**
 * A job that will never run again (its last attempt used) but whose give-up was never recorded
 * (its worker stopped, or died during that attempt) is given up when a worker starts: its
 * files FAILED with the job's error, its run ended, the job removed. Not only ingest batches:
 * a dead scan fails its run. Jobs still alive, and other tasks' dead jobs, are left alone.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { generateRelease } from '../../src/bench/generate.js';
import { createAnalysisPool } from '../../src/ingest/analyze/pool.js';
import { runNewFilesBatch } from '../../src/ingest/run-new-files.js';
import { runScan } from '../../src/ingest/run-scan.js';
import { giveUpJob } from '../../src/worker/give-up-job.js';
import type { NewFiles } from '../../src/db/queries/write-new-files.js';
import { DEFAULT_INGEST_SETTINGS } from '../../src/ingest/settings.js';
import { submitIngest } from '../../src/ingest/submit.js';
import { createTestDatabase } from '../helpers/db.js';
import { startTestWorker, tempDir, waitForRun } from '../helpers/ingest.js';

const settings = { ...DEFAULT_INGEST_SETTINGS, batchSize: 20 };
let database: Database;
let root: string;

beforeAll(async () => {
  database = await createTestDatabase();
  root = tempDir();
  generateRelease(path.join(root, 'dr1'), { spectra: 40, cubes: 0, images: 0, catalogues: 0, blobs: 0, sources: 3 });
}, 120_000);
afterAll(async () => {
  await database?.close();
  fs.rmSync(root, { recursive: true, force: true });
});

const q = async (sql: string, params: unknown[] = []) => (await database.pool.query(sql, params)).rows;

/** Jobs as graphile-worker holds them, with their task (the payload is in the private table). */
const jobs = () => q(`SELECT j.id::int, t.identifier AS task, j.payload, j.attempts, j.max_attempts FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks t ON t.id = j.task_id ORDER BY j.id`);

/** As graphile-worker leaves a job whose last attempt failed: attempts used, unlocked, its error kept. */
const kill = (id: number, error: string) => q(`UPDATE graphile_worker._private_jobs SET attempts = max_attempts, last_error = $2, locked_at = NULL, locked_by = NULL WHERE id = $1`, [id, error]);

describe('jobs given up before a worker starts', () => {
  it('end visibly at the start: a batch\'s files FAILED with its error, a scan\'s run FAILED, the jobs removed', async () => {
    // A batch run: the scan runs here, its two write-once batches are queued; one has died.
    const batches = await submitIngest(database, root, { survey: 'DEAD', release: 'DR1', path: 'dr1' });
    await q(`DELETE FROM graphile_worker._private_jobs`);
    await runScan(database.pool, batches.id, settings, undefined, 1);
    const queued = await jobs();
    expect(queued.map((j) => j.task)).toEqual(['ingest_batch', 'ingest_batch']);
    await kill(queued[0].id, 'EIO: disk on fire\n    at stack (server path)');
    // A scan run whose scan job died; and another task's dead job, which is not ours to end.
    const scan = await submitIngest(database, root, { survey: 'DEAD', release: 'DR2', path: 'dr1' });
    const [scanJob] = (await jobs()).filter((j) => j.task === 'scan_release');
    await kill(scanJob.id, 'the data volume went away');
    await q(`SELECT graphile_worker.add_job('tap_destroy', '{}'::json, max_attempts => 1)`);
    const [tap] = (await jobs()).filter((j) => j.task === 'tap_destroy');
    await kill(tap.id, 'not ours');

    const worker = await startTestWorker(database, settings);
    try {
      const run1 = await waitForRun(database, batches.id);
      expect(run1).toMatchObject({ status: 'PARTIAL', total_files: 40, processed_files: 40, ingested_files: 20, failed_files: 20 });
      const failed = await q(
        `SELECT i.message FROM files f JOIN validation_issues i ON i.file_id = f.id WHERE f.run_id = $1 AND f.status = 'FAILED' AND i.code = 'INGEST_JOB_FAILED'`,
        [batches.id],
      );
      expect(failed).toHaveLength(20);
      // The error's first line only: no server paths for readers of the release.
      expect(failed.every((r) => /disk on fire/.test(r.message) && !r.message.includes('server path'))).toBe(true);
      const run2 = await waitForRun(database, scan.id);
      expect(run2).toMatchObject({ status: 'FAILED' });
      expect(run2.error).toMatch(/data volume went away/);
      // Ours are gone; the other task's dead job is as it was.
      expect((await jobs()).map((j) => [j.id, j.task, j.attempts === j.max_attempts])).toEqual([[tap.id, 'tap_destroy', true]]);
    } finally {
      await worker.stop();
    }
  }, 120_000);

  it('a catalogue load given up twice (recorded, then found dead) is counted on its run once', async () => {
    fs.mkdirSync(path.join(root, 'cat'));
    fs.writeFileSync(path.join(root, 'cat', 'a.csv'), 'x,y\n1,2\n');
    fs.writeFileSync(path.join(root, 'cat', 'b.csv'), 'x,y\n3,4\n');
    const run = await submitIngest(database, root, { survey: 'DEAD', release: 'CAT', path: 'cat' });
    await q(`DELETE FROM graphile_worker._private_jobs`);
    await runScan(database.pool, run.id, settings, undefined, 1);
    const [batch] = await jobs();
    await q(`DELETE FROM graphile_worker._private_jobs`);
    const analysis = createAnalysisPool(1);
    try {
      await runNewFilesBatch({ pool: database.pool, analysis, settings }, run.id, (batch.payload as { files: NewFiles }).files);
    } finally {
      await analysis.close();
    }
    const loads = (await jobs()).filter((j) => j.task === 'load_catalogue');
    expect(loads).toHaveLength(2);
    const deps = { pool: database.pool, settings };
    await giveUpJob(deps, 'load_catalogue', loads[0].payload, 'the thread died', 3);
    await giveUpJob(deps, 'load_catalogue', loads[0].payload, 'the thread died', 3); // found dead at a start
    const [mid] = await q(`SELECT status, catalogue_loads, catalogue_loads_done, failed_files FROM ingestion_runs WHERE id = $1`, [run.id]);
    expect(mid).toEqual({ status: 'RUNNING', catalogue_loads: 2, catalogue_loads_done: 1, failed_files: 1 });
    await giveUpJob(deps, 'load_catalogue', loads[1].payload, 'the thread died', 3);
    const [end] = await q(`SELECT status, catalogue_loads_done, failed_files FROM ingestion_runs WHERE id = $1`, [run.id]);
    expect(end).toEqual({ status: 'PARTIAL', catalogue_loads_done: 2, failed_files: 2 });
  }, 120_000);
});
