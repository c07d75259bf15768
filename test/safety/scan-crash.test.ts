/**
 * kill -9 of a real worker process while it is still scanning a release's first ingest (the
 * write-once path: the files it enqueued exist only in job payloads). The restarted worker's
 * scan starts the run over (reset-write-once-run.ts) and the run ends with every file exactly
 * once. A small batch size makes the scan long enough (hundreds of chunk statements) for the
 * kill to land inside it; test/safety/scan-rerun.test.ts pins the reset's steps one by one.
 */
import { describe, expect, it } from 'vitest';
import { submitIngest } from '../../src/ingest/submit.js';
import { orphanRows, waitForRun } from '../helpers/ingest.js';
import { spawnWorker, waitFor, waitForWorkerIds } from '../helpers/processes.js';
import { expectExactlyOnce, processedWritesPerFile } from './invariants.js';
import { safetyFixture } from './fixture.js';

const BLOBS = 6000;
const BATCH = 10; // 600 chunks: the scan takes long enough to be caught in the middle

const fx = safetyFixture({ blobs: BLOBS });

describe('worker crash during a write-once scan (kill -9)', () => {
  it('the restarted scan starts the run over and every file ends up exactly once', async () => {
    // Two slots: the scan job holds one, batches run in the other while it scans.
    const first = await spawnWorker({ databaseUrl: fx.database.url, args: ['--concurrency', '2', '--batch-size', String(BATCH)] });
    await waitForWorkerIds(fx.database, first.pid);
    const run = await submitIngest(fx.database, fx.root, { survey: 'SCANCRASH', release: 'DR1', path: 'dr1' });
    const atKill = await waitFor(
      async () => {
        const { rows } = await fx.database.pool.query(`SELECT total_files, processed_files, scan_done, write_once FROM ingestion_runs WHERE id = $1`, [run.id]);
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

    const second = await spawnWorker({ databaseUrl: fx.database.url, args: ['--batch-size', '500'] });
    const done = await waitForRun(fx.database, run.id, 90_000);
    await second.stop();

    expect(done.status).toBe('SUCCEEDED');
    await expectExactlyOnce(fx.database, run.id, fx.expected);
    const writes = await processedWritesPerFile(fx.database, run.releaseId);
    expect(writes.size).toBe(BLOBS);
    expect([...writes.values()].filter((n) => n !== 1)).toEqual([]);
    expect(await orphanRows(fx.database)).toEqual({ hdus: 0, issues: 0, records: 0, record_sources: 0, files: 0 });
    const { rows: jobs } = await fx.database.pool.query(`SELECT count(*)::int AS n FROM graphile_worker._private_jobs`);
    expect(jobs[0].n).toBe(0);
  }, 180_000);
});
