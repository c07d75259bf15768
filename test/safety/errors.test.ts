/**
 * Error handling, in a real worker process with EIO injected at fs.openSync
 * (./fault-hook.mjs, loaded with --import, inherited by the analysis threads):
 * - a content problem is INVALID and never retried (read once, attempts 0);
 * - a transient error is retried with exponential backoff (2 s, 4 s with the defaults):
 *   a file that recovers is INGESTED, one that never does is FAILED after 3 tries;
 * - retryFailed(runId) re-queues only the FAILED file: every other file keeps its
 *   processed_at and record id and is not read again.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { generateRelease } from '../../src/bench/generate.js';
import { spectrumFits } from '../../src/bench/products.js';
import { retryFailed } from '../../src/ingest/retry.js';
import { DEFAULT_INGEST_SETTINGS } from '../../src/ingest/settings.js';
import { submitIngest } from '../../src/ingest/submit.js';
import { createTestDatabase } from '../helpers/db.js';
import { tempDir, waitForRun } from '../helpers/ingest.js';
import { killAllWorkers, spawnWorker, type WorkerProcess } from '../helpers/processes.js';

const HOOK = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fault-hook.mjs');

let database: Database;
let root: string;
let faults: string;
let rel: string;
let worker: WorkerProcess;

interface Open {
  path: string;
  at: number;
  eio: boolean;
}

function opens(): Open[] {
  const log = path.join(faults, 'opens.log');
  if (!fs.existsSync(log)) return [];
  return fs
    .readFileSync(log, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Open);
}

const opensOf = (rel_: string) => opens().filter((o) => o.path === path.join(rel, rel_));

async function fileRow(p: string) {
  const { rows } = await database.pool.query(
    `SELECT f.id, f.status, f.attempts, f.processed_at, r.id AS record_id,
            coalesce((SELECT array_agg(code || ': ' || message) FROM validation_issues i WHERE i.file_id = f.id), '{}') AS issues
     FROM files f LEFT JOIN records r ON r.file_id = f.id WHERE f.path = $1`,
    [p],
  );
  return rows[0];
}

beforeAll(async () => {
  database = await createTestDatabase();
  root = tempDir();
  faults = tempDir('astroarchive-faults-');
  rel = path.join(root, 'dr1');
  generateRelease(rel, { spectra: 30, cubes: 0, images: 0, catalogues: 0, blobs: 20, sources: 5 });
  fs.writeFileSync(path.join(rel, 'truncated.fits'), spectrumFits({ object: 'CUT', ra: 1, dec: 2 }).subarray(0, 5000));
  fs.writeFileSync(path.join(rel, 'flaky.fits'), spectrumFits({ object: 'FLAKY', ra: 3, dec: 4, seed: 7 }));
  fs.writeFileSync(path.join(rel, 'dead.fits'), spectrumFits({ object: 'DEAD', ra: 5, dec: 6, seed: 8 }));
  fs.writeFileSync(path.join(faults, 'flaky.fits'), '1'); // one EIO, then fine
  fs.writeFileSync(path.join(faults, 'dead.fits'), 'always');
  worker = await spawnWorker({
    databaseUrl: database.url,
    nodeArgs: ['--import', HOOK],
    env: { AA_FAULTS_DIR: faults, AA_FAULTS_WATCH: fs.realpathSync(rel) },
  });
  rel = fs.realpathSync(rel); // the run opens real paths
});

afterAll(async () => {
  await worker?.stop().catch(() => {});
  await killAllWorkers();
  await database?.close();
  for (const d of [root, faults]) if (d) fs.rmSync(d, { recursive: true, force: true });
});

describe('errors', () => {
  let runId: number;

  it('INVALID is never retried; transient errors are retried with backoff, then FAILED', async () => {
    const run = await submitIngest(database, root, { survey: 'ERR', release: 'DR1', path: 'dr1' });
    runId = run.id;
    const done = await waitForRun(database, run.id, 60_000);
    expect(done.status).toBe('PARTIAL');
    expect({ total: done.total_files, ingested: done.ingested_files, invalid: done.invalid_files, failed: done.failed_files }).toEqual({
      total: 53,
      ingested: 51,
      invalid: 1,
      failed: 1,
    });

    const truncated = await fileRow('truncated.fits');
    expect(truncated.status).toBe('INVALID');
    expect(truncated.attempts).toBe(0);
    expect(opensOf('truncated.fits')).toHaveLength(1);

    const flaky = await fileRow('flaky.fits');
    expect(flaky.status).toBe('INGESTED');
    expect(flaky.attempts).toBe(1);
    expect(flaky.record_id).not.toBeNull();
    const f = opensOf('flaky.fits');
    expect(f.map((o) => o.eio)).toEqual([true, false]);
    expect(f[1].at - f[0].at).toBeGreaterThanOrEqual(DEFAULT_INGEST_SETTINGS.retryBaseDelaySeconds * 1000 - 100);

    const dead = await fileRow('dead.fits');
    expect(dead.status).toBe('FAILED');
    expect(dead.record_id).toBeNull();
    expect(dead.issues.join('\n')).toMatch(/FILE_UNREADABLE: .*EIO.*gave up after 3 attempts/);
    const d = opensOf('dead.fits');
    expect(d).toHaveLength(DEFAULT_INGEST_SETTINGS.maxFileAttempts);
    expect(d.every((o) => o.eio)).toBe(true);
    // Exponential backoff: base, then twice the base.
    const base = DEFAULT_INGEST_SETTINGS.retryBaseDelaySeconds * 1000;
    expect(d[1].at - d[0].at).toBeGreaterThanOrEqual(base - 100);
    expect(d[2].at - d[1].at).toBeGreaterThanOrEqual(2 * base - 100);

    // Every other file was read exactly once.
    const counts = new Map<string, number>();
    for (const o of opens()) counts.set(o.path, (counts.get(o.path) ?? 0) + 1);
    const others = [...counts].filter(([p]) => !/(flaky|dead)\.fits$/.test(p));
    expect(others).toHaveLength(51);
    expect(others.filter(([, n]) => n !== 1)).toEqual([]);
  }, 90_000);

  it('retryFailed re-queues only the FAILED files; the others are not touched or read', async () => {
    const { rows: before } = await database.pool.query(
      `SELECT f.path, f.status, f.processed_at, r.id AS record_id FROM files f LEFT JOIN records r ON r.file_id = f.id WHERE f.path <> 'dead.fits' ORDER BY f.path`,
    );
    const opensBefore = opens().length;
    fs.rmSync(path.join(faults, 'dead.fits')); // the disk recovered
    const again = await retryFailed(database, runId);
    expect(again.status).toBe('RUNNING');
    const done = await waitForRun(database, runId, 60_000);
    expect(done.status).toBe('SUCCEEDED');
    expect({ processed: done.processed_files, ingested: done.ingested_files, invalid: done.invalid_files, failed: done.failed_files }).toEqual({
      processed: 53,
      ingested: 52,
      invalid: 1,
      failed: 0,
    });
    // The run's progress rows (the dashboard's curve) follow its counter through the retry:
    // the failed file taken back (-1), then done again.
    const { rows: progress } = await database.pool.query<{ files: number }>('SELECT files FROM run_progress WHERE run_id = $1 ORDER BY id', [runId]);
    expect(progress.reduce((n, p) => n + p.files, 0)).toBe(53);
    expect(progress.filter((p) => p.files < 0).map((p) => p.files)).toEqual([-1]);
    const dead = await fileRow('dead.fits');
    expect(dead.status).toBe('INGESTED');
    expect(dead.record_id).not.toBeNull();
    expect(dead.issues).toEqual([]);

    const { rows: after } = await database.pool.query(
      `SELECT f.path, f.status, f.processed_at, r.id AS record_id FROM files f LEFT JOIN records r ON r.file_id = f.id WHERE f.path <> 'dead.fits' ORDER BY f.path`,
    );
    expect(after).toEqual(before);
    expect(opens().slice(opensBefore).map((o) => path.relative(rel, o.path))).toEqual(['dead.fits']);
  }, 90_000);
});
