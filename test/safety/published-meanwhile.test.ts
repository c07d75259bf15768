/**
 * Ingest jobs never write to a published release. `publishRelease` refuses while a run is
 * queued or running, but jobs can outlive their run's activity (a scan that gave up leaves its
 * batches queued, and the run FAILED: publishing is then allowed), and a release can be
 * published by other means than the mutation. Every write statement of the scan and the
 * batches re-checks the release (and waits for a publication in progress): nothing changes
 * once it is published, and a run still going ends FAILED instead of waiting forever.
 */
import fs from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { PUBLISHED_MEANWHILE } from '../../src/db/queries/run-fragments.js';
import { generateRelease } from '../../src/bench/generate.js';
import { publishRelease } from '../../src/graphql/publish.js';
import { failScan } from '../../src/ingest/give-up.js';
import { runScan } from '../../src/ingest/run-scan.js';
import { DEFAULT_INGEST_SETTINGS } from '../../src/ingest/settings.js';
import { submitIngest } from '../../src/ingest/submit.js';
import type { RunningWorker } from '../../src/worker/runner.js';
import { createTestDatabase } from '../helpers/db.js';
import { startTestWorker, tempDir, waitForRun } from '../helpers/ingest.js';
import { waitFor } from '../helpers/processes.js';
import { ingestSettled, releaseSnapshot } from './release-snapshot.js';

const SETTINGS = { ...DEFAULT_INGEST_SETTINGS, batchSize: 100 };
let database: Database;
let root: string;
let worker: RunningWorker | undefined;

beforeAll(async () => {
  database = await createTestDatabase();
  root = tempDir();
  for (const name of ['once', 'again']) generateRelease(path.join(root, name), { spectra: 300, cubes: 0, images: 20, catalogues: 0, blobs: 80, sources: 20 });
});

afterAll(async () => {
  await worker?.stop();
  await database?.close();
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

async function startWorker(): Promise<void> {
  worker = await startTestWorker(database, SETTINGS);
}
async function stopWorker(): Promise<void> {
  await worker?.stop();
  worker = undefined;
}

/**
 * Statements of the ingest waiting for a lock on the release row (the guard's FOR KEY SHARE).
 * Asked on the publishing connection itself: the waiting statements hold pool connections the
 * worker shares with the test, and a poll waiting for one of them would never return. Inside a
 * transaction pg_stat_activity is a snapshot, so it is cleared first.
 */
async function waitingOnRelease(client: pg.PoolClient): Promise<number> {
  await client.query('SELECT pg_stat_clear_snapshot()');
  const { rows } = await client.query(
    `SELECT count(*)::int AS n FROM pg_stat_activity
     WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%open_release%' AND pid <> pg_backend_pid()`,
  );
  return rows[0].n;
}

describe('a release published while its ingest is in flight', () => {
  it('first ingest: the scan and the batches waiting for the publication write nothing, and the run ends FAILED', async () => {
    const run = await submitIngest(database, root, { survey: 'PUB', release: 'ONCE', path: 'once' });
    // Publication in progress: the release row is locked as publishRelease locks it, then the
    // release is made public. (Set directly: the mutation itself refuses while the run is queued.)
    const publisher = await database.pool.connect();
    try {
      await publisher.query('BEGIN');
      await publisher.query(`SELECT id FROM releases WHERE id = $1 FOR UPDATE`, [run.releaseId]);
      await startWorker();
      // The scan's last statement and the batches' writes reach the release and wait.
      await waitFor(async () => ((await waitingOnRelease(publisher)) >= 2 ? true : undefined), 60_000, 50, 'ingest statements waiting on the release row');
      await publisher.query(`UPDATE releases SET status = 'published', published_at = now() WHERE id = $1`, [run.releaseId]);
      await publisher.query('COMMIT');
    } catch (err) {
      await publisher.query('ROLLBACK');
      throw err;
    } finally {
      publisher.release();
    }
    await ingestSettled(database);
    const done = await waitForRun(database, run.id);
    expect(done.status).toBe('FAILED');
    expect(done.error).toBe(PUBLISHED_MEANWHILE);
    expect(await releaseSnapshot(database, run.releaseId)).toEqual([]);
    const { rows } = await database.pool.query(
      `SELECT (SELECT count(*) FROM hdus)::int AS hdus, (SELECT count(*) FROM validation_issues)::int AS issues, (SELECT count(*) FROM records)::int AS records`,
    );
    expect(rows[0]).toEqual({ hdus: 0, issues: 0, records: 0 });
    await stopWorker();
  }, 120_000);

  it('re-ingest: batches left queued by a scan that gave up do not touch the release once publishRelease accepted it', async () => {
    await startWorker();
    const first = await submitIngest(database, root, { survey: 'PUB', release: 'AGAIN', path: 'again' });
    expect((await waitForRun(database, first.id)).status).toBe('SUCCEEDED');
    await ingestSettled(database);
    await stopWorker();

    // Every file changed on disk, so the re-ingest's scan registers them all PENDING and
    // queues their batches. The scan runs here, in the test, and then gives up (as its job
    // does on its last attempt), leaving the batches queued and the run FAILED.
    const later = new Date(Date.now() + 60_000);
    for (const f of fs.readdirSync(path.join(root, 'again'), { recursive: true, withFileTypes: true })) {
      if (f.isFile()) fs.utimesSync(path.join(f.parentPath, f.name), later, later);
    }
    const run = await submitIngest(database, root, { survey: 'PUB', release: 'AGAIN', path: 'again' });
    await database.pool.query(`SELECT graphile_worker.complete_jobs(ARRAY(SELECT id FROM graphile_worker.jobs WHERE key = $1))`, [`scan:${run.id}`]);
    const scanned = await runScan(database.pool, run.id, SETTINGS);
    expect(scanned?.enqueued).toBe(scanned?.totalFiles);
    expect(scanned?.enqueued).toBeGreaterThan(0);
    await failScan(database.pool, run.id, 'the scan gave up');
    expect((await publishRelease(database, run.releaseId)).status).toBe('published');
    const published = await releaseSnapshot(database, run.releaseId);

    await startWorker();
    await ingestSettled(database);
    expect(await releaseSnapshot(database, run.releaseId)).toEqual(published);
    const after = await waitForRun(database, run.id);
    expect({ status: after.status, error: after.error, processed: after.processed_files }).toEqual({ status: 'FAILED', error: 'the scan gave up', processed: 0 });
  }, 120_000);
});
