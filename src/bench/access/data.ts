/**
 * The access benchmark's data, on disk and in a fresh database through the real ingest:
 *  - `spectra`: N one-HDU spectra of about 8 kB each (small-file requests; the tar of a whole
 *    release): a 2,880-byte header and 1,300 float32 pixels padded to 5,760 bytes;
 *  - `big`: one file of `bigBytes` (the single-stream download), and `images`: a few images
 *    and a cube to draw previews of. Each directory is ingested as its own release and
 *    published, so every request below runs the anonymous access check.
 * Files are written once per --dir and reused when their shape has not changed.
 */
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type { Database } from '../../db/client.js';
import { publishRelease } from '../../graphql/publish.js';
import { submitIngest } from '../../ingest/submit.js';
import { DEFAULT_INGEST_SETTINGS } from '../../ingest/settings.js';
import { createLogger } from '../../log.js';
import { ActivityBoard } from '../../monitor/activity.js';
import { startWorker } from '../../worker/runner.js';
import { buildHdu, float32BE, type CardInput } from '../fits-writer.js';
import { cubeFits } from '../products.js';

export interface AccessShape {
  spectra: number;
  bigBytes: number;
  /** Side of the square float32 preview images. */
  imageSide: number;
  images: number;
  /** A cube of cubeSide x cubeSide x cubePlanes float32 (0: none). */
  cubeSide: number;
  cubePlanes: number;
}

export const ACCESS_SHAPE: AccessShape = { spectra: 20_000, bigBytes: 1024 ** 3, imageSide: 2048, images: 4, cubeSide: 256, cubePlanes: 200 };

export interface AccessDataset {
  root: string;
  spectraRelease: number;
  bigRelease: number;
  /** Relative path and file id of the big file. */
  big: { path: string; id: number; bytes: number };
  /** Relative paths (from root) and ids of the spectra, in id order. */
  spectra: { path: string; id: number }[];
  /** Record ids of the images and cubes, with their paths. */
  previews: { path: string; recordId: number; bytes: number }[];
  ingestSeconds: number;
}

function smallSpectrum(i: number): Buffer {
  const n = 1300;
  const flux = new Float32Array(n);
  for (let k = 0; k < n; k++) flux[k] = 1 + 0.05 * Math.sin((k + i) / 17);
  const cards: CardInput[] = [
    ['SIMPLE', true], ['BITPIX', -32], ['NAXIS', 1], ['NAXIS1', n], ['OBJECT', `OBJ ${i % 5000}`],
    ['RA', (i * 0.137) % 360], ['DEC', ((i * 0.071) % 170) - 85],
    ['CTYPE1', 'AWAV'], ['CUNIT1', 'Angstrom'], ['CRPIX1', 1.0], ['CRVAL1', 3700.0], ['CDELT1', 4.0], ['BUNIT', 'counts'],
  ];
  return buildHdu(cards, float32BE(flux), true);
}

function image(side: number, seed: number): Buffer {
  const px = new Float32Array(side * side);
  let s = seed;
  for (let k = 0; k < px.length; k++) {
    s = (s * 1664525 + 1013904223) >>> 0;
    const x = (k % side) - side / 2;
    const y = Math.floor(k / side) - side / 2;
    px[k] = 100 + 5000 * Math.exp(-(x * x + y * y) / (side * side * 0.01)) + (s / 0xffffffff) * 10;
  }
  const cards: CardInput[] = [['SIMPLE', true], ['BITPIX', -32], ['NAXIS', 2], ['NAXIS1', side], ['NAXIS2', side], ['OBJECT', `IMG ${seed}`]];
  return buildHdu(cards, float32BE(px), false);
}

/** Writes `bytes` of a repeating pattern in 4 MiB writes (never held whole). */
function writeBig(file: string, bytes: number): void {
  const chunk = Buffer.alloc(Math.min(bytes, 4 * 1024 * 1024));
  for (let i = 0; i < chunk.length; i++) chunk[i] = (i * 31 + 7) & 0xff;
  const fd = fs.openSync(file, 'w');
  try {
    for (let done = 0; done < bytes; ) {
      const n = Math.min(chunk.length, bytes - done);
      fs.writeSync(fd, chunk, 0, n);
      done += n;
    }
  } finally {
    fs.closeSync(fd);
  }
}

/** The files under root/<name>, made unless a marker says they are there with this shape. */
export function generateAccessFiles(root: string, shape: AccessShape, log: (m: string) => void): string {
  const name = `access-${shape.spectra}-${shape.bigBytes}-${shape.images}x${shape.imageSide}-${shape.cubeSide}x${shape.cubePlanes}`;
  const dir = path.join(root, name);
  const marker = path.join(root, `${name}.done`);
  if (fs.existsSync(marker) && fs.existsSync(dir)) {
    log(`reusing ${dir}`);
    return dir;
  }
  fs.rmSync(dir, { recursive: true, force: true });
  log(`generating ${shape.spectra} spectra, a ${(shape.bigBytes / 1024 ** 2).toFixed(0)} MB file and ${shape.images} images in ${dir} ...`);
  for (let i = 0; i < shape.spectra; i++) {
    const sub = path.join(dir, 'spectra', String(Math.floor(i / 1000)).padStart(3, '0'));
    if (i % 1000 === 0) fs.mkdirSync(sub, { recursive: true });
    fs.writeFileSync(path.join(sub, `spec_${String(i).padStart(6, '0')}.fits`), smallSpectrum(i));
  }
  fs.mkdirSync(path.join(dir, 'big'), { recursive: true });
  writeBig(path.join(dir, 'big', 'big.bin'), shape.bigBytes);
  for (let i = 0; i < shape.images; i++) fs.writeFileSync(path.join(dir, 'big', `image_${i}.fits`), image(shape.imageSide, i + 1));
  if (shape.cubeSide > 0) fs.writeFileSync(path.join(dir, 'big', 'cube.fits'), cubeFits({ object: 'CUBE', ra: 150, dec: 2, size: shape.cubeSide, planes: shape.cubePlanes }));
  fs.writeFileSync(marker, '');
  return dir;
}

/** Ingests root/<rel> as release BENCH/<name> with the real worker, waits for it, publishes it. */
async function ingestPublished(database: Database, root: string, rel: string, name: string): Promise<number> {
  const run = await submitIngest(database, root, { survey: 'BENCH', release: name, path: rel });
  const watcher = new pg.Client({ connectionString: database.url });
  await watcher.connect();
  try {
    for (;;) {
      const { rows } = await watcher.query<{ status: string }>(`SELECT status FROM ingestion_runs WHERE id = $1`, [run.id]);
      if (['SUCCEEDED', 'PARTIAL'].includes(rows[0].status)) break;
      if (rows[0].status === 'FAILED') throw new Error(`the access bench's ingest of ${rel} failed`);
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    await watcher.end();
  }
  await publishRelease(database, run.releaseId);
  return run.releaseId;
}

export async function loadAccessDataset(database: Database, root: string, shape: AccessShape, log: (m: string) => void): Promise<AccessDataset> {
  const dir = generateAccessFiles(root, shape, log);
  const rel = path.relative(root, dir);
  const worker = await startWorker({ pool: database.pool, logger: createLogger(process.env.LOG_LEVEL ?? 'warn'), activity: new ActivityBoard(), settings: DEFAULT_INGEST_SETTINGS });
  const t0 = performance.now();
  let spectraRelease: number;
  let bigRelease: number;
  try {
    log('ingesting and publishing the spectra and the big files (real ingest) ...');
    spectraRelease = await ingestPublished(database, root, path.join(rel, 'spectra'), `${path.basename(dir)}-spectra`);
    bigRelease = await ingestPublished(database, root, path.join(rel, 'big'), `${path.basename(dir)}-big`);
  } finally {
    await worker.stop();
  }
  const ingestSeconds = (performance.now() - t0) / 1000;
  const q = <T extends pg.QueryResultRow>(sql: string, params: unknown[]) => database.pool.query<T>(sql, params).then((r) => r.rows);
  const spectra = await q<{ path: string; id: string }>(`SELECT path, id FROM files WHERE release_id = $1 ORDER BY id`, [spectraRelease]);
  const big = await q<{ path: string; id: string; size_bytes: string }>(`SELECT path, id, size_bytes FROM files WHERE release_id = $1 AND path = 'big.bin'`, [bigRelease]);
  const previews = await q<{ path: string; id: string; size_bytes: string }>(
    `SELECT f.path, rec.id, f.size_bytes FROM records rec JOIN files f ON f.id = rec.file_id WHERE rec.release_id = $1 AND f.kind IN ('IMAGE', 'IFS_CUBE') ORDER BY f.path`,
    [bigRelease],
  );
  await database.pool.query('VACUUM (ANALYZE)');
  log(`  ${spectra.length} spectra and ${previews.length + 1} big files ingested and published in ${ingestSeconds.toFixed(1)} s`);
  return {
    root,
    spectraRelease,
    bigRelease,
    big: { path: path.join(rel, 'big', big[0].path), id: Number(big[0].id), bytes: Number(big[0].size_bytes) },
    spectra: spectra.map((s) => ({ path: path.join(rel, 'spectra', s.path), id: Number(s.id) })),
    previews: previews.map((p) => ({ path: path.join(rel, 'big', p.path), recordId: Number(p.id), bytes: Number(p.size_bytes) })),
    ingestSeconds,
  };
}
