/**
 * The archive the spectrum and preview tests share: generated files with known values,
 * ingested through the real pipeline into a published release (and one draft image), served
 * by the real HTTP app, with an admin token. Call at the top of a test file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { createToken } from '../../src/auth/tokens.js';
import { buildHdu, float32BE, int16BE, type CardInput } from '../../src/bench/fits-writer.js';
import { cubeFits, imageFits, spectrumFits } from '../../src/bench/products.js';
import { loadConfig } from '../../src/config.js';
import type { Database } from '../../src/db/client.js';
import { publishRelease } from '../../src/graphql/publish.js';
import { submitIngest } from '../../src/ingest/submit.js';
import { createTestDatabase } from '../helpers/db.js';
import { serveApp, type ServedApp } from '../helpers/http-app.js';
import { startTestWorker, tempDir, waitForRun } from '../helpers/ingest.js';

export const GENERATED_SPECTRA = 20;
/** The hand-made spectrum: 10,000 pixels, two spikes and a run of NaN. */
export const KNOWN = { pixels: 10_000, crval: 5000, cdelt: 0.5, spikeUp: 4321, spikeDown: 8765, nanFrom: 2000, nanTo: 2100 };

export function knownFlux(): Float32Array {
  const y = new Float32Array(KNOWN.pixels);
  for (let i = 0; i < y.length; i++) y[i] = 10 + Math.sin(i / 300);
  y[KNOWN.spikeUp] = 1000;
  y[KNOWN.spikeDown] = -500;
  for (let i = KNOWN.nanFrom; i < KNOWN.nanTo; i++) y[i] = NaN;
  return y;
}

function knownSpectrum(): Buffer {
  const cards: CardInput[] = [
    ['SIMPLE', true], ['BITPIX', -32], ['NAXIS', 1], ['NAXIS1', KNOWN.pixels], ['OBJECT', 'KNOWN'],
    ['CTYPE1', 'WAVE'], ['CUNIT1', 'nm'], ['CRPIX1', 1.0], ['CRVAL1', KNOWN.crval], ['CDELT1', KNOWN.cdelt], ['BUNIT', '1e-17 erg/s/cm2/Angstrom'],
  ];
  return buildHdu(cards, float32BE(knownFlux()), true);
}

/** One row per point: WAVELENGTH (Angstrom), FLUX_ERR, FLUX (the error column first: it must not be taken for the flux). */
export const TABLE_POINTS = 300;
function tableSpectrum(): Buffer {
  const primary: CardInput[] = [['SIMPLE', true], ['BITPIX', 8], ['NAXIS', 0], ['EXTEND', true], ['OBJECT', 'TABLE']];
  const data = new Uint8Array(TABLE_POINTS * 12);
  const view = new DataView(data.buffer);
  for (let i = 0; i < TABLE_POINTS; i++) {
    view.setFloat32(i * 12, 6000 + i * 2, false);
    view.setFloat32(i * 12 + 4, 0.1, false);
    view.setFloat32(i * 12 + 8, i === 7 ? NaN : i, false);
  }
  const table: CardInput[] = [
    ['XTENSION', 'BINTABLE'], ['BITPIX', 8], ['NAXIS', 2], ['NAXIS1', 12], ['NAXIS2', TABLE_POINTS], ['PCOUNT', 0], ['GCOUNT', 1], ['TFIELDS', 3],
    ['TTYPE1', 'WAVELENGTH'], ['TFORM1', 'E'], ['TUNIT1', 'Angstrom'], ['TTYPE2', 'FLUX_ERR'], ['TFORM2', 'E'], ['TTYPE3', 'FLUX'], ['TFORM3', 'E'], ['TUNIT3', 'Jy'],
  ];
  return Buffer.concat([buildHdu(primary, null, true), buildHdu(table, data, true)]);
}

/** An int16 image of width x height with a bright square in its lower-left corner. */
export function squareImage(width: number, height: number): Buffer {
  const px = new Array<number>(width * height).fill(100);
  for (let y = 0; y < height / 4; y++) for (let x = 0; x < width / 4; x++) px[y * width + x] = 10_000;
  const cards: CardInput[] = [['SIMPLE', true], ['BITPIX', 16], ['NAXIS', 2], ['NAXIS1', width], ['NAXIS2', height], ['OBJECT', 'SQUARE']];
  return buildHdu(cards, int16BE(px), true);
}

/** Claims 300 x 300 int16 pixels, holds one block of them: truncated, hence INVALID, still an image. */
function truncatedImage(): Buffer {
  const cards: CardInput[] = [['SIMPLE', true], ['BITPIX', 16], ['NAXIS', 2], ['NAXIS1', 300], ['NAXIS2', 300], ['OBJECT', 'BROKEN']];
  return Buffer.concat([buildHdu(cards, null), Buffer.alloc(2880)]);
}

export interface SpectrumArchive {
  database: Database;
  served: ServedApp;
  root: string;
  home: string;
  admin: string;
  /** Record ids by file path (release-relative), published release. */
  records: Map<string, number>;
  /** The draft release's image record. */
  draftImage: number;
  publishedReleaseId: number;
  gql(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<{ data: any; errors?: any[]; extensions?: any }>;
}

function write(dir: string, rel: string, bytes: Buffer): void {
  fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  fs.writeFileSync(path.join(dir, rel), bytes);
}

export function spectrumArchive(): SpectrumArchive {
  const a = {} as SpectrumArchive;
  beforeAll(async () => {
    a.database = await createTestDatabase();
    a.root = tempDir('aa-spectrum-data-');
    a.home = tempDir('aa-spectrum-home-');
    const pub = path.join(a.root, 'pub');
    for (let i = 0; i < GENERATED_SPECTRA; i++) write(pub, `spectra/s${String(i).padStart(2, '0')}.fits`, spectrumFits({ object: `S${i}`, ra: 10 + i, dec: -5, pixels: 1024, seed: i + 1 }));
    write(pub, 'spectra/known.fits', knownSpectrum());
    write(pub, 'spectra/table.fits', tableSpectrum());
    write(pub, 'images/small.fits', imageFits({ object: 'IMG', ra: 150, dec: 2, size: 64 }));
    write(pub, 'images/wide.fits', squareImage(1100, 600));
    write(pub, 'images/broken.fits', truncatedImage());
    write(pub, 'images/touched.fits', squareImage(50, 50));
    write(pub, 'cubes/cube.fits', cubeFits({ object: 'CUBE', ra: 150, dec: 2, size: 16, planes: 32 }));
    write(path.join(a.root, 'draft'), 'images/draft.fits', squareImage(40, 30));

    const worker = await startTestWorker(a.database);
    try {
      const run = await submitIngest(a.database, a.root, { survey: 'TEST', release: 'PUB', path: 'pub' });
      await waitForRun(a.database, run.id);
      await publishRelease(a.database, run.releaseId);
      a.publishedReleaseId = run.releaseId;
      const draft = await submitIngest(a.database, a.root, { survey: 'TEST', release: 'DRAFT', path: 'draft' });
      await waitForRun(a.database, draft.id);
    } finally {
      await worker.stop();
    }
    const { rows } = await a.database.pool.query<{ path: string; id: string; release: string }>(
      `SELECT f.path, rec.id, r.name AS release FROM records rec JOIN files f ON f.id = rec.file_id JOIN releases r ON r.id = rec.release_id`,
    );
    a.records = new Map(rows.filter((r) => r.release === 'PUB').map((r) => [r.path, Number(r.id)]));
    a.draftImage = Number(rows.find((r) => r.release === 'DRAFT')!.id);
    a.served = await serveApp(a.database, loadConfig({ ARCHIVE_HOME: a.home, ARCHIVE_DATA_ROOT: a.root }, a.home));
    a.admin = (await createToken(a.database, 'spectrum admin', 'admin')).token;
    a.gql = async (query, variables = {}, headers = {}) => {
      const res = await fetch(`${a.served.base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) });
      return (await res.json()) as { data: any; errors?: any[]; extensions?: any };
    };
  }, 120_000);
  afterAll(async () => {
    await a.served?.close();
    await a.database?.close();
    for (const d of [a.root, a.home]) if (d) fs.rmSync(d, { recursive: true, force: true });
  });
  return a;
}
