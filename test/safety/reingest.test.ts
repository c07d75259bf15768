/**
 * Re-ingesting a release: unchanged files are SKIPPED without being read, changed files are
 * re-read with their record and issues replaced, deleted files are reported missing, and no
 * row is ever duplicated.
 *
 * "Without reading", proven two ways: the second run has no read/checksum/analyze time and
 * ran no batch at all; and one file whose bytes were changed behind the archive's back (same
 * size, mtime put back) still has its old checksum afterwards, so its bytes were not read.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { generateRelease } from '../../src/bench/generate.js';
import { spectrumFits } from '../../src/bench/products.js';
import { submitIngest } from '../../src/ingest/submit.js';
import type { RunningWorker } from '../../src/worker/runner.js';
import { createTestDatabase } from '../helpers/db.js';
import { orphanRows, startTestWorker, tempDir, waitForRun } from '../helpers/ingest.js';
import { expectedResults } from './invariants.js';

let database: Database;
let worker: RunningWorker;
let root: string;
let rel: string;
const FIXED_MTIME = 1_700_000_000; // whole seconds: utimes can put it back exactly

const SNAPSHOT = `SELECT f.path, f.status, f.checksum, f.processed_at, f.missing, r.id AS record_id,
  (SELECT count(*)::int FROM hdus h WHERE h.file_id = f.id) AS hdus,
  (SELECT count(*)::int FROM validation_issues i WHERE i.file_id = f.id) AS issues
  FROM files f LEFT JOIN records r ON r.file_id = f.id ORDER BY f.path`;

type Row = { path: string; status: string; checksum: string; processed_at: Date; missing: boolean; record_id: number; hdus: number; issues: number };
const byPath = (rows: Row[]) => new Map(rows.map((r) => [r.path, r]));

async function ingest(): Promise<Awaited<ReturnType<typeof waitForRun>>> {
  const run = await submitIngest(database, root, { survey: 'RE', release: 'DR1', path: 'dr1' });
  return waitForRun(database, run.id);
}

beforeAll(async () => {
  database = await createTestDatabase();
  worker = await startTestWorker(database);
  root = tempDir();
  rel = path.join(root, 'dr1');
  generateRelease(rel, { spectra: 40, cubes: 2, images: 2, catalogues: 2, blobs: 10, sources: 6 });
  fs.writeFileSync(path.join(rel, 'bad.fits'), spectrumFits({ object: 'BAD', ra: 1, dec: 2 }).subarray(0, 5000));
  fs.utimesSync(path.join(rel, 'spectra/0000/spectrum_0000005.fits'), FIXED_MTIME, FIXED_MTIME);
});

afterAll(async () => {
  await worker?.stop();
  await database?.close();
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

describe('re-ingest', () => {
  let first: Map<string, Row>;

  it('the first ingest reads everything', async () => {
    const done = await ingest();
    expect(done.status).toBe('SUCCEEDED');
    expect(done.total_files).toBe(57);
    expect(done.invalid_files).toBe(1);
    first = byPath((await database.pool.query<Row>(SNAPSHOT)).rows);
    expect(first.size).toBe(57);
  });

  it('the same release again: every file SKIPPED, none read, nothing rewritten', async () => {
    // Same size, same mtime, different bytes: only reading the file could notice.
    const sneaky = path.join(rel, 'spectra/0000/spectrum_0000005.fits');
    const original = fs.readFileSync(sneaky);
    const altered = Buffer.from(original);
    altered[altered.length - 1] ^= 0xff;
    fs.writeFileSync(sneaky, altered);
    fs.utimesSync(sneaky, FIXED_MTIME, FIXED_MTIME);

    const done = await ingest();
    expect(done.status).toBe('SUCCEEDED');
    expect({ total: done.total_files, skipped: done.skipped_files, processed: done.processed_files, ingested: done.ingested_files, invalid: done.invalid_files })
      .toEqual({ total: 57, skipped: 57, processed: 57, ingested: 0, invalid: 0 });
    // No batch ran: only the scan's stage, and the scan's few statements.
    expect(Object.keys(done.stage_seconds)).toEqual(['scan']);
    expect(done.queries).toBeLessThanOrEqual(4);
    const second = byPath((await database.pool.query<Row>(SNAPSHOT)).rows);
    expect(second).toEqual(first); // same status, checksum, processed_at, record ids, HDU and issue counts
    expect(second.get('spectra/0000/spectrum_0000005.fits')!.checksum).toBe(first.get('spectra/0000/spectrum_0000005.fits')!.checksum);
    fs.writeFileSync(sneaky, original);
    fs.utimesSync(sneaky, FIXED_MTIME, FIXED_MTIME);
  });

  it('changed files are re-read with record and issues replaced; a deleted file is missing; no duplicates', async () => {
    // A good spectrum becomes truncated, the bad one is fixed, a blob is deleted.
    fs.writeFileSync(path.join(rel, 'spectra/0000/spectrum_0000007.fits'), spectrumFits({ object: 'SRC 000001', ra: 0.137, dec: -84.929, seed: 8 }).subarray(0, 6000));
    fs.writeFileSync(path.join(rel, 'bad.fits'), spectrumFits({ object: 'FIXED', ra: 9, dec: 9, seed: 9 }));
    fs.rmSync(path.join(rel, 'blobs/0000/blob_0000003.log'));
    const expected = expectedResults(rel);

    const done = await ingest();
    expect(done.status).toBe('SUCCEEDED');
    expect({ total: done.total_files, skipped: done.skipped_files, ingested: done.ingested_files, invalid: done.invalid_files, missing: done.missing_files })
      .toEqual({ total: 56, skipped: 54, ingested: 1, invalid: 1, missing: 1 });

    const now = byPath((await database.pool.query<Row>(SNAPSHOT)).rows);
    const cut = now.get('spectra/0000/spectrum_0000007.fits')!;
    expect(cut.status).toBe('INVALID');
    expect(cut.checksum).not.toBe(first.get('spectra/0000/spectrum_0000007.fits')!.checksum);
    expect(cut.record_id).toBe(first.get('spectra/0000/spectrum_0000007.fits')!.record_id); // record upserted in place
    const fixed = now.get('bad.fits')!;
    expect(fixed.status).toBe('INGESTED');
    expect(fixed.processed_at.getTime()).toBeGreaterThan(first.get('bad.fits')!.processed_at.getTime());
    const { rows: src } = await database.pool.query(`SELECT s.name FROM records r JOIN files f ON f.id = r.file_id JOIN sources s ON s.id = r.source_id WHERE f.path = 'bad.fits'`);
    expect(src).toEqual([{ name: 'FIXED' }]);

    // Issues and HDUs are exactly the new analysis' (old ones replaced, not added to).
    const { rows: issues } = await database.pool.query<{ path: string; keys: string[] }>(
      `SELECT f.path, array_agg(i.severity || ' ' || i.code || ' ' || coalesce(i.hdu::text, '-') || ' ' || coalesce(i.keyword, '-')) AS keys
       FROM validation_issues i JOIN files f ON f.id = i.file_id GROUP BY 1`,
    );
    const issuesOf = new Map(issues.map((r) => [r.path, [...r.keys].sort()]));
    for (const p of ['spectra/0000/spectrum_0000007.fits', 'bad.fits']) {
      expect(issuesOf.get(p) ?? [], p).toEqual(expected.get(p)!.issues);
      expect(now.get(p)!.hdus, p).toBe(expected.get(p)!.hdus);
    }
    expect(issuesOf.get('spectra/0000/spectrum_0000007.fits')!.join()).toMatch(/ERROR FITS_TRUNCATED_DATA/);
    expect((issuesOf.get('bad.fits') ?? []).filter((k) => k.startsWith('ERROR'))).toEqual([]);

    // Every unchanged file kept its row, record and timestamps.
    for (const [p, row] of now) {
      if (['spectra/0000/spectrum_0000007.fits', 'bad.fits', 'blobs/0000/blob_0000003.log'].includes(p)) continue;
      expect(row, p).toEqual(first.get(p));
    }
    const gone = now.get('blobs/0000/blob_0000003.log')!;
    expect(gone.missing).toBe(true);
    expect(now.size).toBe(57);

    const { rows: dups } = await database.pool.query(
      `SELECT (SELECT count(*) FROM (SELECT release_id, path FROM files GROUP BY 1, 2 HAVING count(*) > 1) a)::int AS files,
              (SELECT count(*) FROM (SELECT file_id FROM records GROUP BY 1 HAVING count(*) > 1) b)::int AS records,
              (SELECT count(*) FROM (SELECT file_id, severity, code, hdu, keyword, message FROM validation_issues GROUP BY 1, 2, 3, 4, 5, 6 HAVING count(*) > 1) c)::int AS issues`,
    );
    expect(dups[0]).toEqual({ files: 0, records: 0, issues: 0 });
    expect(await orphanRows(database)).toEqual({ hdus: 0, issues: 0, records: 0, record_sources: 0, files: 0 });
  });
});
