/**
 * ObsCore-shaped columns and the sky index, through a real ingest (worker, threads, both write
 * statements) and the GraphQL API: a spectrum in Angstrom, a cube, an image, a blob. The first
 * ingest takes the write-once path; the re-ingest of changed files the register-then-finish path.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { submitIngest } from '../../src/ingest/submit.js';
import { buildHdu, float32BE, type CardInput } from '../../src/bench/fits-writer.js';
import { blobBytes, cubeFits, imageFits } from '../../src/bench/products.js';
import { ang2pixNest } from '../../src/sky/index.js';
import type { RunningWorker } from '../../src/worker/runner.js';
import { createTestDatabase } from '../helpers/db.js';
import { orphanRows, startTestWorker, tempDir, waitForRun } from '../helpers/ingest.js';
import { ADMIN, createHarness } from '../graphql/harness.js';

let database: Database;
let worker: RunningWorker;
let root: string;
let rel: string;

/** astropy: Time('2019-04-12T13:45:07', scale='utc').mjd, and the same time read as TT, in UTC. */
const MJD_UTC = 58585.57299768519;
const MJD_TT_AS_UTC = 58585.57219694444;

function spectrum(timesys: string | null, ra = 150.0): Buffer {
  const cards: CardInput[] = [
    ['SIMPLE', true], ['BITPIX', -32], ['NAXIS', 1], ['NAXIS1', 1000],
    ['OBJECT', 'NGC 1234'], ['RA', ra], ['DEC', 2.0],
    ['CTYPE1', 'WAVE'], ['CUNIT1', 'Angstrom'], ['CRPIX1', 1.0], ['CRVAL1', 4000.0], ['CDELT1', 1.0],
    ['TELESCOP', 'AAT'], ['INSTRUME', 'HERMES'], ['DATE-OBS', '2019-04-12T13:45:07'], ['EXPTIME', 1200.0],
    ...(timesys ? [['TIMESYS', timesys] as CardInput] : []),
  ];
  return buildHdu(cards, float32BE(new Float32Array(1000).fill(1)), true);
}

const QUERY = `query($id: ID!) { file(id: $id) { record { obsId dataproductType calibLevel targetName emMin emMax tMin tMax tExptime
  facilityName instrumentName fov spectralRange { min max unit } source { name ra dec records { obsId } } } } }`;

beforeAll(async () => {
  database = await createTestDatabase();
  worker = await startTestWorker(database, { batchSize: 3 });
  root = tempDir();
  rel = path.join(root, 'dr1');
  fs.mkdirSync(path.join(rel, 'img'), { recursive: true });
  fs.writeFileSync(path.join(rel, 'astroarchive.json'), JSON.stringify({ products: [{ match: 'img/*.fits', calibLevel: 3 }] }));
  fs.writeFileSync(path.join(rel, 'spectrum.fits'), spectrum(null));
  fs.writeFileSync(path.join(rel, 'cube.fits'), cubeFits({ object: 'NGC 1234', ra: 150.2, dec: 2.0 }));
  fs.writeFileSync(path.join(rel, 'img', 'image.fits'), imageFits({ object: 'Field 7', ra: 210.5, dec: -30.25, size: 64 }));
  fs.writeFileSync(path.join(rel, 'data.bin'), blobBytes(5000));
  // INVALID (truncated): its record is kept, but its source does not list it or count its position.
  fs.writeFileSync(path.join(rel, 'broken.fits'), spectrum(null, 10).subarray(0, 5000));
});

afterAll(async () => {
  await worker?.stop();
  await database?.close();
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

async function stored(): Promise<Record<string, any>> {
  const { rows } = await database.pool.query(
    `SELECT f.path, f.id AS file_id, r.id, r.obs_id, r.dataproduct_type, r.calib_level, r.em_min, r.em_max, r.t_min, r.t_max, r.t_exptime,
            r.facility_name, r.instrument_name, r.fov, r.hpx, r.center_ra, r.center_dec, r.coverage::text AS coverage,
            r.coverage @> r.hpx AS covers_centre, r.invalid, (SELECT count(*) FROM unnest(r.coverage))::int AS ranges
       FROM files f JOIN records r ON r.file_id = f.id`,
  );
  return Object.fromEntries(rows.map((r) => [r.path, r]));
}

function expectStored(rows: Record<string, any>, tMin: number): void {
  const s = rows['spectrum.fits'];
  expect(s).toMatchObject({ obs_id: 'OBSCORE/DR1/spectrum.fits', dataproduct_type: 'spectrum', calib_level: 2, t_exptime: 1200, facility_name: 'AAT', instrument_name: 'HERMES' });
  expect(s.em_min).toBeCloseTo(4000e-10, 18);
  expect(s.em_max).toBeCloseTo(4999e-10, 18);
  expect(Math.abs(s.t_min - tMin)).toBeLessThan(1e-9);
  expect(Math.abs(s.t_max - (tMin + 1200 / 86400))).toBeLessThan(1e-9);
  // A spectrum's position comes from RA/DEC: a pixel id, but no footprint to cover or measure.
  expect(Number(s.hpx)).toBe(ang2pixNest(24, 150, 2));
  expect(s).toMatchObject({ fov: null, coverage: null });

  const c = rows['cube.fits'];
  expect(c).toMatchObject({ dataproduct_type: 'cube', calib_level: 2, covers_centre: true });
  expect(c.em_min).toBeCloseTo(3700e-10, 18);
  expect(c.em_max).toBeCloseTo((3700 + 1.25 * 31) * 1e-10, 18);
  // 16 x 16 pixels of 0.0002 deg: the enclosing circle's diameter is the footprint's diagonal.
  expect(c.fov).toBeCloseTo(16 * 0.0002 * Math.SQRT2, 6);

  const i = rows['img/image.fits'];
  expect(i).toMatchObject({ dataproduct_type: 'image', calib_level: 3, em_min: null, t_min: null, covers_centre: true });
  expect(i.fov).toBeCloseTo(64 * 0.0001 * Math.SQRT2, 6);
  expect(Number(i.hpx)).toBe(ang2pixNest(24, i.center_ra, i.center_dec));
  expect(i.ranges).toBeGreaterThan(0);
  expect(i.ranges).toBeLessThanOrEqual(64);

  expect(rows['data.bin']).toMatchObject({
    obs_id: 'OBSCORE/DR1/data.bin', dataproduct_type: 'other', calib_level: null, em_min: null, em_max: null, t_min: null, t_max: null,
    t_exptime: null, facility_name: null, instrument_name: null, fov: null, hpx: null, coverage: null,
  });
}

describe('ObsCore fields and the sky index at ingest', () => {
  it('are stored by a first (write-once) ingest and served on Record', async () => {
    const run = await submitIngest(database, root, { survey: 'OBSCORE', release: 'DR1', path: 'dr1' });
    expect((await waitForRun(database, run.id)).status).toBe('SUCCEEDED');
    const rows = await stored();
    expectStored(rows, MJD_UTC);

    const h = createHarness(database);
    const spec = await h.exec(QUERY, { id: String(rows['spectrum.fits'].file_id) }, ADMIN);
    expect(spec.errors).toBeUndefined();
    const rec = spec.data.file.record;
    expect(rec).toMatchObject({
      obsId: 'OBSCORE/DR1/spectrum.fits', dataproductType: 'spectrum', calibLevel: 2, targetName: 'NGC 1234', tExptime: 1200,
      facilityName: 'AAT', instrumentName: 'HERMES', fov: null, spectralRange: { min: 4000, max: 4999, unit: 'Angstrom' },
    });
    expect(rec.emMin).toBeCloseTo(4e-7, 18);
    expect(rec.emMax).toBeCloseTo(4.999e-7, 18);
    expect(rec.tMin).toBeCloseTo(MJD_UTC, 9);
    expect(rec.tMax).toBeCloseTo(MJD_UTC + 1200 / 86400, 9);
    // The source's position: the mean of its valid records' (the spectrum at 150.0, the cube at
    // 150.2; not the INVALID file's RA 10), and they are the records it lists.
    expect(rec.source.name).toBe('NGC 1234');
    expect(rec.source.records.map((r: { obsId: string }) => r.obsId).sort()).toEqual(['OBSCORE/DR1/cube.fits', 'OBSCORE/DR1/spectrum.fits']);
    expect(rec.source.ra).toBeCloseTo(150.1, 4);
    expect(rec.source.dec).toBeCloseTo(2.0, 4);

    // The INVALID file's record is still there, from its file.
    expect(rows['broken.fits']).toMatchObject({ invalid: true, dataproduct_type: 'spectrum', center_ra: 10 });
    expect(rows['spectrum.fits'].invalid).toBe(false);
    const broken = await h.exec(QUERY, { id: String(rows['broken.fits'].file_id) }, ADMIN);
    expect(broken.data.file.record).toMatchObject({ obsId: 'OBSCORE/DR1/broken.fits', targetName: 'NGC 1234' });

    const blob = await h.exec(QUERY, { id: String(rows['data.bin'].file_id) }, ADMIN);
    expect(blob.data.file.record).toEqual({
      obsId: 'OBSCORE/DR1/data.bin', dataproductType: 'other', calibLevel: null, targetName: null, emMin: null, emMax: null, tMin: null,
      tMax: null, tExptime: null, facilityName: null, instrumentName: null, fov: null, spectralRange: null, source: null,
    });
    const img = await h.exec(QUERY, { id: String(rows['img/image.fits'].file_id) }, ADMIN);
    expect(img.data.file.record).toMatchObject({ dataproductType: 'image', calibLevel: 3, targetName: 'Field 7' });
    expect(img.data.file.record.fov).toBeCloseTo(64 * 0.0001 * Math.SQRT2, 6);
  });

  it('are rewritten by a re-ingest of changed files (records keep their ids)', async () => {
    const before = await stored();
    // Same spectrum, now in TT: a changed file, re-read, its time converted to UTC.
    fs.writeFileSync(path.join(rel, 'spectrum.fits'), spectrum('TT'));
    for (const p of ['cube.fits', 'img/image.fits', 'data.bin', 'broken.fits']) {
      const t = new Date(Date.now() + 5000);
      fs.utimesSync(path.join(rel, p), t, t);
    }
    const run = await submitIngest(database, root, { survey: 'OBSCORE', release: 'DR1', path: 'dr1' });
    const done = await waitForRun(database, run.id);
    expect(done.status).toBe('SUCCEEDED');
    expect(done.invalid_files).toBe(1);
    const after = await stored();
    expectStored(after, MJD_TT_AS_UTC);
    for (const p of Object.keys(before)) expect(after[p].id).toBe(before[p].id);
    expect(after['cube.fits'].coverage).toBe(before['cube.fits'].coverage);
    expect(after['broken.fits'].invalid).toBe(true);
    expect(await orphanRows(database)).toEqual({ hdus: 0, issues: 0, records: 0, record_sources: 0, files: 0 });
  });
});
