/**
 * kill -9 of a real worker process while it is still scanning a release's first ingest (the
 * write-once path: the files it enqueued exist only in job payloads). The restarted worker's
 * scan starts the run over (reset-write-once-run.ts) and the run ends with every file exactly
 * once. A small batch size makes the scan long enough (hundreds of chunk statements) for the
 * kill to land inside it; test/safety/scan-rerun.test.ts pins the reset's steps one by one.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { generateRelease } from '../../src/bench/generate.js';
import { submitIngest } from '../../src/ingest/submit.js';
import { createTestDatabase } from '../helpers/db.js';
import { orphanRows, tempDir, waitForRun } from '../helpers/ingest.js';
import { killAllWorkers, spawnWorker, waitFor, waitForWorkerIds } from '../helpers/processes.js';
import { expectedResults, expectExactlyOnce, logProcessedAtWrites, processedWritesPerFile, type Expected } from './invariants.js';

const BLOBS = 6000;
const BATCH = 10; // 600 chunks: the scan takes long enough to be caught in the middle

let database: Database;
let root: string;
let expected: Map<string, Expected>;

beforeAll(async () => {
  database = await createTestDatabase();
  await logProcessedAtWrites(database);
  root = tempDir();
  generateRelease(path.join(root, 'dr1'), { spectra: 0, cubes: 0, images: 0, catalogues: 0, blobs: BLOBS, sources: 10 });
  expected = expectedResults(path.join(root, 'dr1'));
});

afterAll(async () => {
  await killAllWorkers();
  await database?.close();
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

describe('worker crash during a write-once scan (kill -9)', () => {
  it('the restarted scan starts the run over and every file ends up exactly once', async () => {
    // Two slots: the scan job holds one, batches run in the other while it scans.
    const first = await spawnWorker({ databaseUrl: database.url, args: ['--concurrency', '2', '--batch-size', String(BATCH)] });
    await waitForWorkerIds(database, first.pid);
    const run = await submitIngest(database, root, { survey: 'SCANCRASH', release: 'DR1', path: 'dr1' });
    const atKill = await waitFor(
      async () => {
        const { rows } = await database.pool.query(`SELECT total_files, processed_files, scan_done, write_once FROM ingestion_runs WHERE id = $1`, [run.id]);
        const r = rows[0];
        if (r.scan_done) throw new Error('the scan ended before the kill: make it longer (more files, smaller batches)');
        // Batches enqueued and some already written: the reset has both to undo.
        return r.total_files >= BLOBS * 0.1 && r.processed_files > 0 ? r : undefined;
      },
      60_000,
      5,
      'a scan under way with batches written',
    );
    await first.kill9();
    expect(atKill.write_once).toBe(true);
    expect(atKill.total_files).toBeLessThan(BLOBS);
    expect(atKill.processed_files).toBeGreaterThan(0);

    const second = await spawnWorker({ databaseUrl: database.url, args: ['--batch-size', '500'] });
    const done = await waitForRun(database, run.id, 90_000);
    await second.stop();

    expect(done.status).toBe('SUCCEEDED');
    await expectExactlyOnce(database, run.id, expected);
    const writes = await processedWritesPerFile(database, run.releaseId);
    expect(writes.size).toBe(BLOBS);
    expect([...writes.values()].filter((n) => n !== 1)).toEqual([]);
    expect(await orphanRows(database)).toEqual({ hdus: 0, issues: 0, records: 0, record_sources: 0, files: 0 });
    const { rows: jobs } = await database.pool.query(`SELECT count(*)::int AS n FROM graphile_worker._private_jobs`);
    expect(jobs[0].n).toBe(0);
  }, 180_000);
});
