/**
 * Every file is opened as what the scan saw, or not at all. Between a run's scan and its
 * batches, files of the release are swapped for what must never be read: a symlink to a file
 * outside the data root, a FIFO (a read would block forever: it hung a run and then the
 * worker's shutdown), a directory swapped for a symlink to a directory outside, and a file
 * that changed size. The run still ends; each of them is FAILED with a precise issue; the
 * outside files' bytes are never stored (no checksum, no header, no source); the worker stops.
 *
 * The scan is run by the test (as scan-rerun.test.ts does), then a real worker runs the batches.
 * Both paths are covered: a release's first ingest (write-once: the batch job carries what the
 * scan saw) and a re-ingest (the batch loads it from the registered files).
 */
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { spectrumFits } from '../../src/bench/products.js';
import { runScan } from '../../src/ingest/run-scan.js';
import { DEFAULT_INGEST_SETTINGS } from '../../src/ingest/settings.js';
import { submitIngest } from '../../src/ingest/submit.js';
import type { RunningWorker } from '../../src/worker/runner.js';
import { createTestDatabase } from '../helpers/db.js';
import { orphanRows, startTestWorker, tempDir, waitForRun } from '../helpers/ingest.js';

const settings = { ...DEFAULT_INGEST_SETTINGS, batchSize: 50 };
const SECRET = spectrumFits({ object: 'TOP SECRET', ra: 1, dec: 2, seed: 99 });
const SECRET_SHA = crypto.createHash('sha256').update(SECRET).digest('hex');

let database: Database;
let root: string;
let outside: string;
let rel: string;

beforeAll(async () => {
  database = await createTestDatabase();
  root = tempDir();
  outside = tempDir('astroarchive-outside-');
  fs.writeFileSync(path.join(outside, 'secret.fits'), SECRET);
  fs.mkdirSync(path.join(outside, 'dir'));
  fs.writeFileSync(path.join(outside, 'dir', 'inner.fits'), SECRET);
  rel = path.join(root, 'dr1');
  fs.mkdirSync(path.join(rel, 'sub'), { recursive: true });
  for (let i = 0; i < 5; i++) fs.writeFileSync(path.join(rel, `good${i}.fits`), spectrumFits({ object: `GOOD ${i}`, ra: i, dec: i, seed: i }));
  for (const name of ['link.fits', 'fifo.fits', 'grown.fits']) fs.writeFileSync(path.join(rel, name), spectrumFits({ object: 'VICTIM', ra: 3, dec: 4, seed: 5 }));
  fs.writeFileSync(path.join(rel, 'sub', 'inner.fits'), spectrumFits({ object: 'VICTIM', ra: 3, dec: 4, seed: 6 }));
});

afterAll(async () => {
  await database?.close();
  for (const d of [root, outside]) if (d) fs.rmSync(d, { recursive: true, force: true });
});

/** What a worker must never read, swapped in where the scan found regular files. */
function swap(): void {
  fs.rmSync(path.join(rel, 'link.fits'));
  fs.symlinkSync(path.join(outside, 'secret.fits'), path.join(rel, 'link.fits'));
  fs.rmSync(path.join(rel, 'fifo.fits'));
  execFileSync('mkfifo', [path.join(rel, 'fifo.fits')]);
  fs.appendFileSync(path.join(rel, 'grown.fits'), Buffer.alloc(2880));
  fs.renameSync(path.join(rel, 'sub'), path.join(rel, 'sub-was'));
  fs.symlinkSync(path.join(outside, 'dir'), path.join(rel, 'sub'));
}

/** Back to regular files, each changed so that a re-ingest reads it again. */
function restore(): void {
  for (const name of ['link.fits', 'fifo.fits', 'grown.fits']) {
    fs.rmSync(path.join(rel, name));
    fs.writeFileSync(path.join(rel, name), spectrumFits({ object: 'VICTIM', ra: 3, dec: 4, seed: 7 }));
  }
  fs.rmSync(path.join(rel, 'sub'));
  fs.renameSync(path.join(rel, 'sub-was'), path.join(rel, 'sub'));
  fs.writeFileSync(path.join(rel, 'sub', 'inner.fits'), spectrumFits({ object: 'VICTIM', ra: 3, dec: 4, seed: 8 }));
}

/** Submit, run the scan here (the queued scan job is dropped), swap files, let a worker run the batches. */
async function ingestWithSwap(release: string, counts: Record<string, number>): Promise<number> {
  const run = await submitIngest(database, root, { survey: 'SWAP', release, path: 'dr1' });
  // The scan job sits in the queue (no worker yet); nothing runs it but this test.
  await database.pool.query(`DELETE FROM graphile_worker._private_jobs WHERE NOT (payload::jsonb ? 'files' OR payload::jsonb ? 'fileIds')`);
  await runScan(database.pool, run.id, settings, undefined, 1);
  swap();
  const worker: RunningWorker = await startTestWorker(database, settings);
  try {
    const done = await waitForRun(database, run.id, 60_000);
    expect(done.status).toBe('PARTIAL');
    expect({ total: done.total_files, ingested: done.ingested_files, skipped: done.skipped_files, failed: done.failed_files }).toEqual(counts);
  } finally {
    // A FIFO opened for reading would block its analysis thread, and this stop, forever.
    await worker.stop();
  }
  return run.id;
}

interface Outcome {
  path: string;
  status: string;
  checksum: string | null;
  size_bytes: string;
  issues: string | null;
}

async function outcomes(runId: number): Promise<Record<string, Outcome>> {
  const { rows } = await database.pool.query<Outcome>(
    `SELECT f.path, f.status, f.checksum, f.size_bytes,
            (SELECT string_agg(code || ': ' || message, '; ') FROM validation_issues i WHERE i.file_id = f.id) AS issues
     FROM files f WHERE f.run_id = $1 AND f.path NOT LIKE 'good%' ORDER BY f.path`,
    [runId],
  );
  return Object.fromEntries(rows.map((r) => [r.path, r]));
}

async function expectNothingOutsideStored(): Promise<void> {
  const { rows } = await database.pool.query(
    `SELECT (SELECT count(*) FROM files WHERE checksum = $1)::int AS checksums,
            (SELECT count(*) FROM hdus WHERE header LIKE '%TOP SECRET%')::int AS headers,
            (SELECT count(*) FROM sources WHERE name = 'TOP SECRET')::int AS sources,
            (SELECT count(*) FROM validation_issues WHERE message LIKE '%' || $2 || '%' OR message LIKE '%' || $3 || '%')::int AS server_paths`,
    [SECRET_SHA, outside, root],
  );
  expect(rows[0]).toEqual({ checksums: 0, headers: 0, sources: 0, server_paths: 0 });
  expect(await orphanRows(database)).toEqual({ hdus: 0, issues: 0, records: 0, record_sources: 0, files: 0 });
}

describe('files swapped between the scan and their batch', () => {
  it("a release's first ingest: each swapped file is FAILED with why, nothing outside is read, the worker stops", async () => {
    const runId = await ingestWithSwap('DR1', { total: 9, ingested: 5, skipped: 0, failed: 4 });
    const files = await outcomes(runId);
    expect(Object.keys(files)).toEqual(['fifo.fits', 'grown.fits', 'link.fits', 'sub/inner.fits']);
    for (const f of Object.values(files)) {
      expect(f.status).toBe('FAILED');
      expect(f.checksum).toBeNull();
    }
    expect(files['link.fits'].issues).toMatch(/^FILE_NOT_REGULAR: the file is now a symbolic link/);
    expect(files['fifo.fits'].issues).toMatch(/^FILE_NOT_REGULAR: the file is now a FIFO \(named pipe\)/);
    expect(files['grown.fits'].issues).toMatch(/^FILE_CHANGED: the file changed after the scan \(size (\d+) -> \d+ bytes/);
    expect(files['sub/inner.fits'].issues).toMatch(/^FILE_OUTSIDE_RELEASE: /);
    // The size the scan saw, not the one found later.
    expect(Number(files['grown.fits'].size_bytes)).toBe(spectrumFits({ object: 'VICTIM', ra: 3, dec: 4, seed: 5 }).length);
    await expectNothingOutsideStored();
  }, 90_000);

  it('a re-ingest (files registered first): the same', async () => {
    restore();
    // The good files are unchanged: skipped, not read again.
    const runId = await ingestWithSwap('DR1', { total: 9, ingested: 0, skipped: 5, failed: 4 });
    const files = await outcomes(runId);
    expect(Object.fromEntries(Object.entries(files).map(([p, f]) => [p, `${f.status} ${String(f.issues).split(':')[0]}`]))).toEqual({
      'fifo.fits': 'FAILED FILE_NOT_REGULAR',
      'grown.fits': 'FAILED FILE_CHANGED',
      'link.fits': 'FAILED FILE_NOT_REGULAR',
      'sub/inner.fits': 'FAILED FILE_OUTSIDE_RELEASE',
    });
    await expectNothingOutsideStored();
  }, 90_000);
});
