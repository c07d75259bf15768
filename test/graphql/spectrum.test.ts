/**
 * Record.spectrum through real HTTP requests on spectra ingested by the real pipeline: the
 * values the generators wrote (src/bench/products.ts, and hand-made ones with known peaks,
 * NaN runs and a table layout), decimation keeping the peaks, units, bad arguments, a file
 * changed since its ingest, and the statements a page costs (flat in the page size).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { KNOWN, TABLE_POINTS, knownFlux, spectrumArchive } from './spectrum-fixture.js';

const a = spectrumArchive();

const SPECTRUM = `query($id: ID!, $n: Int) { record(id: $id) { dataproductType spectrum(maxPoints: $n) { wavelength flux unit fluxUnit points decimated } } }`;

async function spectrumOf(file: string, n?: number) {
  const r = await a.gql(SPECTRUM, { id: String(a.records.get(file)), n });
  return r;
}

describe('Record.spectrum', () => {
  it('gives a generated spectrum\'s wavelengths in metres (AWAV, Angstrom) and its fluxes, undecimated below maxPoints', async () => {
    const r = await spectrumOf('spectra/s00.fits');
    expect(r.errors).toBeUndefined();
    const s = r.data.record.spectrum;
    expect(s).toMatchObject({ unit: 'm', fluxUnit: 'counts', points: 1024, decimated: false });
    expect(s.wavelength).toHaveLength(1024);
    expect(s.flux).toHaveLength(1024);
    // spectrumFits: CRVAL1 = 4715 + seed % 7 Angstrom (seed 1), CDELT1 = 0.046, CRPIX1 = 1.
    for (const i of [0, 1, 511, 1023]) expect(s.wavelength[i]).toBeCloseTo((4716 + 0.046 * i) * 1e-10, 20);
    // Its noise is 1 +- 0.05.
    for (const f of s.flux) expect(Math.abs(f - 1)).toBeLessThanOrEqual(0.05 + 1e-6);
  });

  it('decimates to at most maxPoints keeping both spikes, NaN runs as null, nm converted', async () => {
    const r = await spectrumOf('spectra/known.fits', 500);
    expect(r.errors).toBeUndefined();
    const s = r.data.record.spectrum;
    expect(s.decimated).toBe(true);
    expect(s.points).toBeLessThanOrEqual(500);
    expect(s.points).toBe(s.wavelength.length);
    expect(s.flux).toHaveLength(s.points);
    expect(s.fluxUnit).toBe('1e-17 erg/s/cm2/Angstrom');
    const finite = s.flux.filter((f: number | null) => f !== null) as number[];
    expect(Math.max(...finite)).toBe(1000);
    expect(Math.min(...finite)).toBe(-500);
    expect(s.wavelength[s.flux.indexOf(1000)]).toBeCloseTo((KNOWN.crval + KNOWN.cdelt * KNOWN.spikeUp) * 1e-9, 18);
    expect(s.wavelength[s.flux.indexOf(-500)]).toBeCloseTo((KNOWN.crval + KNOWN.cdelt * KNOWN.spikeDown) * 1e-9, 18);
    // Buckets of 40 pixels: [2000, 2040) and [2040, 2080) are all NaN, one null point each.
    expect(s.flux.filter((f: number | null) => f === null)).toHaveLength(2);
    for (let i = 1; i < s.wavelength.length; i++) expect(s.wavelength[i]).toBeGreaterThan(s.wavelength[i - 1]);
  });

  it('gives every point, exactly, at the largest maxPoints', async () => {
    const s = (await spectrumOf('spectra/known.fits', 20_000)).data.record.spectrum;
    expect(s).toMatchObject({ points: KNOWN.pixels, decimated: false });
    const y = knownFlux();
    for (const i of [0, 1999, 2000, 2099, 2100, KNOWN.spikeUp, KNOWN.spikeDown, 9999]) expect(s.flux[i]).toBe(Number.isNaN(y[i]) ? null : y[i]);
  });

  it('reads a binary-table spectrum (wavelength and flux columns, the error column left alone)', async () => {
    const s = (await spectrumOf('spectra/table.fits')).data.record.spectrum;
    expect(s).toMatchObject({ unit: 'm', fluxUnit: 'Jy', points: TABLE_POINTS, decimated: false });
    expect(s.wavelength[0]).toBeCloseTo(6000e-10, 20);
    expect(s.wavelength[299]).toBeCloseTo(6598e-10, 20);
    expect(s.flux[7]).toBeNull();
    expect(s.flux[299]).toBe(299);
  });

  it('is null for records that are not spectra', async () => {
    for (const file of ['images/small.fits', 'cubes/cube.fits']) {
      const r = await spectrumOf(file);
      expect(r.errors).toBeUndefined();
      expect(r.data.record.spectrum).toBeNull();
    }
  });

  it('refuses maxPoints outside 2..20000, naming the argument', async () => {
    for (const n of [1, 0, -5, 20_001]) {
      const r = await spectrumOf('spectra/s01.fits', n);
      expect(r.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'maxPoints' });
      expect(r.errors?.[0].message).toMatch(/maxPoints must be an integer from 2 to 20000/);
    }
  });

  it('costs the same statements for a page of 2 and of 10 spectra (one statement finds all their files)', async () => {
    const page = (n: number) =>
      a.gql(`query($id: ID!, $n: Int!) { release(id: $id) { files(first: $n, kind: SPECTRUM) { edges { node { record { spectrum(maxPoints: 100) { points } } } } } } }`, { id: String(a.publishedReleaseId), n }, { 'x-astroarchive-trace': '1' });
    const small = await page(2);
    const big = await page(10);
    expect(small.errors).toBeUndefined();
    expect(big.errors).toBeUndefined();
    expect(big.data.release.files.edges.map((e: any) => e.node.record.spectrum.points)).toHaveLength(10);
    for (const e of big.data.release.files.edges) expect(e.node.record.spectrum.points).toBeGreaterThan(0);
    expect(big.extensions.sqlQueries).toBe(small.extensions.sqlQueries);
    expect(big.extensions.sqlQueries).toBeLessThanOrEqual(4);
  });

  it('costs the same statements for a search page of 2 and of 12 records asking for their spectra', async () => {
    const page = (n: number) =>
      a.gql(`query($n: Int!) { records(filter: { kind: [SPECTRUM] }, first: $n) { edges { node { id spectrum(maxPoints: 50) { points decimated } } } } }`, { n }, { 'x-astroarchive-trace': '1' });
    const small = await page(2);
    const big = await page(12);
    expect(big.errors).toBeUndefined();
    expect(big.data.records.edges).toHaveLength(12);
    for (const e of big.data.records.edges) expect(e.node.spectrum).toMatchObject({ points: 50, decimated: true });
    expect(big.extensions.sqlQueries).toBe(small.extensions.sqlQueries);
    // The page's statement, then one for all its records' files.
    expect(big.extensions.sqlQueries).toBeLessThanOrEqual(3);
  });

  it('bounds the points of one request: past 200,000 in all, the further spectra are refused, naming maxPoints', async () => {
    const r = await a.gql(`{ records(filter: { kind: [SPECTRUM] }, first: 12) { edges { node { spectrum(maxPoints: 20000) { points } } } } }`);
    const served = r.data.records.edges.filter((e: any) => e.node.spectrum !== null);
    expect(served).toHaveLength(10);
    expect(r.errors).toHaveLength(2);
    for (const e of r.errors!) {
      expect(e.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'maxPoints' });
      expect(e.message).toMatch(/more than 200000 spectrum points in all/);
    }
  });

  it('never follows a recorded path out of the release directory', async () => {
    const id = a.records.get('spectra/s18.fits')!;
    fs.writeFileSync(path.join(a.root, 'outside.fits'), fs.readFileSync(path.join(a.root, 'pub', 'spectra/s18.fits')));
    await a.database.pool.query(`UPDATE files f SET path = '../outside.fits' FROM records r WHERE r.file_id = f.id AND r.id = $1`, [id]);
    const r = await a.gql(SPECTRUM, { id: String(id) });
    expect(r.data.record.spectrum).toBeNull();
    expect(r.errors?.[0].extensions?.code).toBe('CONFLICT');
    expect(r.errors?.[0].message).toMatch(/no location inside its release/);
  });

  it('refuses, with a clear error, a file that changed on disk after its ingest', async () => {
    const file = path.join(a.root, 'pub', 'spectra/s19.fits');
    const st = fs.statSync(file);
    fs.utimesSync(file, st.atime, new Date(st.mtimeMs + 5000));
    const r = await spectrumOf('spectra/s19.fits');
    expect(r.data.record.spectrum).toBeNull();
    expect(r.errors?.[0].extensions?.code).toBe('CONFLICT');
    expect(r.errors?.[0].message).toMatch(/changed on disk since it was ingested/);
    expect(r.errors?.[0].message).not.toContain(a.root); // no server paths
    fs.rmSync(file);
    const gone = await spectrumOf('spectra/s19.fits');
    expect(gone.errors?.[0].message).toMatch(/no longer on disk/);
  });
});
