import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { submitIngest } from '../../src/ingest/submit.js';
import { generateRelease } from '../../src/bench/generate.js';
import { spectrumFits } from '../../src/bench/products.js';
import type { RunningWorker } from '../../src/worker/runner.js';
import { createTestDatabase } from '../helpers/db.js';
import { orphanRows, startTestWorker, tempDir, waitForRun } from '../helpers/ingest.js';

let database: Database;
let worker: RunningWorker;
let root: string;

beforeAll(async () => {
  database = await createTestDatabase();
  worker = await startTestWorker(database, { batchSize: 20 });
  root = tempDir();
  const rel = path.join(root, 'dr1');
  generateRelease(rel, { spectra: 40, cubes: 2, images: 3, catalogues: 2, blobs: 10, sources: 7 });
  // A spectrum truncated in the middle of its data, and a FITS-named file that is not FITS.
  fs.writeFileSync(path.join(rel, 'broken.fits'), spectrumFits({ object: 'X', ra: 1, dec: 2 }).subarray(0, 5000));
  fs.writeFileSync(path.join(rel, 'notfits.fits'), 'hello, I am not FITS\n'.repeat(200));
  fs.writeFileSync(path.join(rel, 'table.csv'), 'id,ra,dec,name\n1,10.5,-3.25,a\n2,11.0,-3.5,b\n3,,,c\n');
});

afterAll(async () => {
  await worker?.stop();
  await database?.close();
  fs.rmSync(root, { recursive: true, force: true });
});

describe('ingest pipeline', () => {
  it('turns every file of a release into a file row with status, and every readable one into a record', async () => {
    const run = await submitIngest(database, root, { survey: 'GAMA', release: 'DR1', path: 'dr1' });
    const done = await waitForRun(database, run.id);
    expect(done.status).toBe('SUCCEEDED');
    expect(done.total_files).toBe(40 + 2 + 3 + 2 + 10 + 3);
    expect(done.processed_files).toBe(done.total_files);
    expect(done.invalid_files).toBe(2);
    expect(done.ingested_files).toBe(done.total_files - 2);

    const { rows: kinds } = await database.pool.query(`SELECT kind, status, count(*)::int AS n FROM files GROUP BY 1, 2 ORDER BY 1, 2`);
    const byKind = Object.fromEntries(kinds.map((r) => [`${r.kind}/${r.status}`, r.n]));
    expect(byKind['SPECTRUM/INGESTED']).toBe(40);
    expect(byKind['IFS_CUBE/INGESTED']).toBe(2);
    expect(byKind['IMAGE/INGESTED']).toBe(3);
    expect(byKind['CATALOGUE/INGESTED']).toBe(3); // 2 FITS tables + 1 CSV
    expect(byKind['BLOB/INGESTED']).toBe(10);

    const { rows: recs } = await database.pool.query(`SELECT count(*)::int AS n, count(DISTINCT file_id)::int AS files FROM records`);
    expect(recs[0].n).toBe(done.total_files);
    expect(recs[0].files).toBe(done.total_files);
    const { rows: src } = await database.pool.query(`SELECT count(*)::int AS n FROM sources`);
    expect(src[0].n).toBe(8); // 7 shared names + broken.fits's OBJECT (an INVALID file still has a record)
    expect(await orphanRows(database)).toEqual({ hdus: 0, issues: 0, records: 0, record_sources: 0, files: 0 });
  });

  it('records what the data says: positions, spectral ranges, checksums, headers', async () => {
    const { rows } = await database.pool.query(
      `SELECT f.path, f.checksum, r.center_ra, r.center_dec, r.spectral_min, r.spectral_max, r.spectral_unit, s.name AS source,
              (SELECT count(*)::int FROM hdus h WHERE h.file_id = f.id) AS hdus
       FROM files f JOIN records r ON r.file_id = f.id LEFT JOIN sources s ON s.id = r.source_id
       WHERE f.path = 'spectra/0000/spectrum_0000003.fits'`,
    );
    const r = rows[0];
    expect(r.hdus).toBe(2);
    expect(r.checksum).toMatch(/^[0-9a-f]{64}$/);
    expect(r.source).toBe('SRC 000003');
    expect(r.center_ra).toBeCloseTo((3 * 0.137) % 360, 6);
    expect(r.spectral_unit).toBe('Angstrom');
    expect(r.spectral_min).toBeCloseTo(4715 + (4 % 7), 6);
    expect(r.spectral_max).toBeCloseTo(4715 + (4 % 7) + 1023 * 0.046, 6);
  });

  it('reports broken files as INVALID with a precise ERROR issue, and loses nothing else', async () => {
    const { rows } = await database.pool.query(
      `SELECT f.path, i.severity, i.code, i.hdu FROM files f JOIN validation_issues i ON i.file_id = f.id
       WHERE f.status = 'INVALID' AND i.severity = 'ERROR' ORDER BY f.path, i.code`,
    );
    const codes = rows.map((r) => `${r.path}:${r.code}`);
    expect(codes).toContain('broken.fits:FITS_TRUNCATED_DATA');
    expect(codes).toContain('notfits.fits:FITS_NOT_FITS');
  });

  it('re-ingest skips unchanged files without reading them, re-reads changed ones and reports missing ones', async () => {
    const rel = path.join(root, 'dr1');
    fs.rmSync(path.join(rel, 'table.csv'));
    const changed = path.join(rel, 'spectra/0000/spectrum_0000001.fits');
    fs.writeFileSync(changed, spectrumFits({ object: 'NEW SOURCE', ra: 5, dec: 6, seed: 99 }));
    const before = await database.pool.query(`SELECT id FROM records WHERE file_id = (SELECT id FROM files WHERE path = 'blobs/0000/blob_0000001.log')`);
    const run = await submitIngest(database, root, { survey: 'GAMA', release: 'DR1', path: 'dr1' });
    const done = await waitForRun(database, run.id);
    expect(done.status).toBe('SUCCEEDED');
    expect(done.total_files).toBe(59);
    expect(done.skipped_files).toBe(58);
    expect(done.ingested_files).toBe(1);
    expect(done.missing_files).toBe(1);
    const { rows } = await database.pool.query(
      `SELECT s.name FROM files f JOIN records r ON r.file_id = f.id JOIN sources s ON s.id = r.source_id WHERE f.path = 'spectra/0000/spectrum_0000001.fits'`,
    );
    expect(rows[0].name).toBe('NEW SOURCE');
    const { rows: dup } = await database.pool.query(`SELECT count(*)::int AS n FROM records GROUP BY file_id HAVING count(*) > 1`);
    expect(dup).toHaveLength(0);
    const after = await database.pool.query(`SELECT id FROM records WHERE file_id = (SELECT id FROM files WHERE path = 'blobs/0000/blob_0000001.log')`);
    expect(after.rows[0].id).toBe(before.rows[0].id);
    const { rows: missing } = await database.pool.query(`SELECT path FROM files WHERE missing`);
    expect(missing.map((r) => r.path)).toEqual(['table.csv']);
  });
});
