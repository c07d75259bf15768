/**
 * The archive the browser tests look at: FITS files written by the bench's generators
 * (spectra, images, a cube, a catalogue, a blob) for a handful of named sources spread over the
 * sky, ingested by the real pipeline into a published release (GAMA DR4), plus a draft release
 * (GAMA DR5) for sign-in and publishing; served by the real HTTP app with an admin token.
 * Call at the top of a test file (one archive per file).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { createToken } from '../../src/auth/tokens.js';
import { buildHdu } from '../../src/bench/fits-writer.js';
import { blobBytes, catalogueFits, cubeFits, imageFits, spectrumFits } from '../../src/bench/products.js';
import { loadConfig } from '../../src/config.js';
import type { Database } from '../../src/db/client.js';
import { publishRelease } from '../../src/graphql/publish.js';
import { submitIngest } from '../../src/ingest/submit.js';
import { createTestDatabase } from '../helpers/db.js';
import { serveApp, type ServedApp } from '../helpers/http-app.js';
import { startTestWorker, tempDir, waitForRun } from '../helpers/ingest.js';

/** Named sources and where they are (degrees). */
export const SOURCES = [
  { name: 'NGC 1068', ra: 40.669629, dec: -0.013281 },
  { name: 'M31', ra: 10.684708, dec: 41.26875 },
  { name: 'NGC 4993', ra: 197.448, dec: -23.383 },
  { name: 'Sgr A*', ra: 266.41683, dec: -29.00781 },
  { name: 'LMC N11', ra: 74.2, dec: -66.4 },
  { name: 'M87', ra: 187.70593, dec: 12.39112 },
] as const;

export interface WebArchive {
  database: Database;
  served: ServedApp;
  base: string;
  root: string;
  home: string;
  admin: string;
  publishedReleaseId: number;
  draftReleaseId: number;
  /** Record ids of the published release by release-relative path. */
  records: Map<string, number>;
  /** Absolute path on disk of a published file, by release-relative path. */
  fileOnDisk(rel: string): string;
  gql(query: string, variables?: Record<string, unknown>, token?: string): Promise<{ data: any; errors?: any[] }>;
}

function write(dir: string, rel: string, bytes: Buffer): void {
  fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  fs.writeFileSync(path.join(dir, rel), bytes);
}

export function webArchive(): WebArchive {
  const a = {} as WebArchive;
  beforeAll(async () => {
    a.database = await createTestDatabase();
    a.root = tempDir('aa-web-data-');
    a.home = tempDir('aa-web-home-');
    const dr4 = path.join(a.root, 'dr4');
    let seed = 1;
    for (const s of SOURCES) {
      const slug = s.name.toLowerCase().replace(/[^a-z0-9]+/g, '');
      for (let k = 0; k < 3; k++) {
        write(
          dr4,
          `spectra/${slug}_${k}.fits`,
          spectrumFits({
            object: s.name,
            ra: s.ra + k * 0.002,
            dec: s.dec + k * 0.001,
            pixels: 2048,
            seed: seed++,
          }),
        );
      }
    }
    // Field spectra spread over the sky, so that a list of everything takes two pages.
    for (let i = 0; i < 10; i++)
      write(
        dr4,
        `field/field_${i}.fits`,
        spectrumFits({
          object: `FIELD ${i}`,
          ra: (i * 37 + 15) % 360,
          dec: -70 + i * 15,
          pixels: 1024,
          seed: seed++,
        }),
      );
    write(
      dr4,
      'images/ngc1068.fits',
      imageFits({
        object: 'NGC 1068',
        ra: 40.669629,
        dec: -0.013281,
        size: 128,
        seed: 3,
      }),
    );
    write(
      dr4,
      'images/m87.fits',
      imageFits({
        object: 'M87',
        ra: 187.70593,
        dec: 12.39112,
        size: 96,
        seed: 4,
      }),
    );
    write(
      dr4,
      'cubes/m31.fits',
      cubeFits({
        object: 'M31',
        ra: 10.684708,
        dec: 41.26875,
        size: 16,
        planes: 24,
        seed: 5,
      }),
    );
    // Claims 300 x 300 int16 pixels and holds one block of them: INVALID, with ERROR issues to show.
    write(dr4, 'images/broken.fits', Buffer.concat([buildHdu([['SIMPLE', true], ['BITPIX', 16], ['NAXIS', 2], ['NAXIS1', 300], ['NAXIS2', 300], ['OBJECT', 'BROKEN']], null), Buffer.alloc(2880)]));
    write(dr4, 'catalogues/stellarmass.fits', catalogueFits({ rows: 120, seed: 6 }));
    write(dr4, 'logs/pipeline.log', blobBytes(4096, 7));
    const dr5 = path.join(a.root, 'dr5');
    for (let i = 0; i < 4; i++)
      write(
        dr5,
        `spectra/new_${i}.fits`,
        spectrumFits({
          object: `NEW ${i}`,
          ra: 120 + i * 20,
          dec: 30 - i * 15,
          pixels: 512,
          seed: 100 + i,
        }),
      );

    const worker = await startTestWorker(a.database);
    try {
      const run = await submitIngest(a.database, a.root, {
        survey: 'GAMA',
        release: 'DR4',
        path: 'dr4',
      });
      await waitForRun(a.database, run.id, 120_000);
      await publishRelease(a.database, run.releaseId);
      a.publishedReleaseId = run.releaseId;
      const draft = await submitIngest(a.database, a.root, {
        survey: 'GAMA',
        release: 'DR5',
        path: 'dr5',
      });
      await waitForRun(a.database, draft.id, 120_000);
      a.draftReleaseId = draft.releaseId;
      // The catalogue's table loads in a job of its own, after the run: wait for it.
      const deadline = Date.now() + 60_000;
      for (;;) {
        const { rows } = await a.database.pool.query(`SELECT count(*)::int AS n FROM catalogue_tables`);
        if (rows[0].n > 0) break;
        if (Date.now() > deadline) throw new Error('the catalogue table was not loaded within 60 s');
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      await worker.stop();
    }
    const { rows } = await a.database.pool.query<{ path: string; id: string }>(
      `SELECT f.path, rec.id FROM records rec JOIN files f ON f.id = rec.file_id WHERE rec.release_id = $1`,
      [a.publishedReleaseId],
    );
    a.records = new Map(rows.map((r) => [r.path, Number(r.id)]));
    a.fileOnDisk = (rel) => path.join(dr4, rel);
    a.served = await serveApp(a.database, loadConfig({ ARCHIVE_HOME: a.home, ARCHIVE_DATA_ROOT: a.root }, a.home));
    a.base = a.served.base;
    a.admin = (await createToken(a.database, 'web admin', 'admin')).token;
    a.gql = async (query, variables = {}, token) => {
      const res = await fetch(`${a.base}/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify({ query, variables }),
      });
      return (await res.json()) as { data: any; errors?: any[] };
    };
  }, 240_000);
  afterAll(async () => {
    await a.served?.close();
    await a.database?.close();
    for (const d of [a.root, a.home]) if (d) fs.rmSync(d, { recursive: true, force: true });
  });
  return a;
}
