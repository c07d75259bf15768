/**
 * Two releases ingested for real (a published one and a draft), served by the real HTTP app
 * on a loopback port: what the download tests talk to.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createToken } from '../../src/auth/tokens.js';
import { loadConfig, type Config } from '../../src/config.js';
import type { Database } from '../../src/db/client.js';
import { generateRelease } from '../../src/bench/generate.js';
import { submitIngest } from '../../src/ingest/submit.js';
import type { RunningWorker } from '../../src/worker/runner.js';
import { createTestDatabase } from '../helpers/db.js';
import { serveApp, type ServedApp } from '../helpers/http-app.js';
import { startTestWorker, tempDir, waitForRun } from '../helpers/ingest.js';

export interface DownloadFixture {
  database: Database;
  worker: RunningWorker;
  served: ServedApp;
  config: Config;
  base: string;
  root: string;
  home: string;
  token: string;
  /** File id by release-relative path, per release. */
  pub: Map<string, number>;
  draft: Map<string, number>;
  pubReleaseId: number;
  draftReleaseId: number;
  close(): Promise<void>;
}

/** A whole second, so that a test can put a file's mtime back exactly. */
export const FIXED_MTIME = 1_700_000_000;

export const NAMES = {
  big: 'big.bin',
  /** Over the archive's whole-read size: streamed into its tar member. */
  huge: 'huge.bin',
  quoted: 'names/it\'s "quoted".txt',
  unicode: 'names/ünïcødé ✓.csv',
  newline: 'names/line\nbreak.dat',
  empty: 'empty.dat',
  /** Over ustar's 100-byte name: split into its prefix field. */
  longSplit: `deep/${'d'.repeat(60)}/${'f'.repeat(70)}.txt`,
  /** A component over 100 bytes: only a pax header can name it. */
  longPax: `deep/${'x'.repeat(150)}.txt`,
};

function writeExtras(dir: string): void {
  fs.mkdirSync(path.join(dir, 'names'), { recursive: true });
  fs.mkdirSync(path.join(dir, path.dirname(NAMES.longSplit)), { recursive: true });
  fs.writeFileSync(path.join(dir, NAMES.longSplit), 'split\n');
  fs.writeFileSync(path.join(dir, NAMES.longPax), 'pax\n');
  // 600 kB: more than two read chunks, so ranges cross chunk boundaries.
  fs.writeFileSync(path.join(dir, NAMES.big), crypto.randomBytes(600_000));
  fs.writeFileSync(path.join(dir, NAMES.huge), crypto.randomBytes(2_500_000));
  fs.writeFileSync(path.join(dir, NAMES.quoted), 'quoted\n');
  fs.writeFileSync(path.join(dir, NAMES.unicode), 'a,b\n1,2\n');
  fs.writeFileSync(path.join(dir, NAMES.newline), 'newline\n');
  fs.writeFileSync(path.join(dir, NAMES.empty), '');
  for (const name of Object.values(NAMES)) fs.utimesSync(path.join(dir, name), FIXED_MTIME, FIXED_MTIME);
}

async function ingest(database: Database, root: string, release: string, dir: string): Promise<number> {
  const run = await submitIngest(database, root, { survey: 'GAMA', release, path: dir });
  const done = await waitForRun(database, run.id, 120_000);
  if (done.status !== 'SUCCEEDED') throw new Error(`ingest of ${dir}: ${JSON.stringify(done)}`);
  return run.releaseId;
}

export async function fileIds(database: Database, releaseId: number): Promise<Map<string, number>> {
  const { rows } = await database.pool.query<{ id: number; path: string }>(`SELECT id, path FROM files WHERE release_id = $1`, [releaseId]);
  return new Map(rows.map((r) => [r.path, r.id]));
}

export async function downloadFixture(env: Record<string, string> = {}): Promise<DownloadFixture> {
  const database = await createTestDatabase();
  const worker = await startTestWorker(database, { batchSize: 50 });
  const root = tempDir();
  const home = tempDir('aa-home-');
  for (const dir of ['pub', 'draft']) {
    generateRelease(path.join(root, dir), { spectra: 4, cubes: 0, images: 1, catalogues: 1, blobs: 2, sources: 2 });
    writeExtras(path.join(root, dir));
  }
  const pubReleaseId = await ingest(database, root, 'DR1', 'pub');
  await database.pool.query(`UPDATE releases SET status = 'published', published_at = now() WHERE id = $1`, [pubReleaseId]);
  const draftReleaseId = await ingest(database, root, 'DR2', 'draft');
  const token = (await createToken(database, 'reader', 'ingest')).token;
  const config = loadConfig({ ARCHIVE_HOME: home, ARCHIVE_DATA_ROOT: root, ...env }, home);
  const served = await serveApp(database, config);
  return {
    database,
    worker,
    served,
    config,
    base: served.base,
    root,
    home,
    token,
    pub: await fileIds(database, pubReleaseId),
    draft: await fileIds(database, draftReleaseId),
    pubReleaseId,
    draftReleaseId,
    async close() {
      await served.close();
      await worker.stop();
      await database.close();
      fs.rmSync(root, { recursive: true, force: true });
      fs.rmSync(home, { recursive: true, force: true });
    },
  };
}

export const sha256 = (b: Buffer | Uint8Array) => crypto.createHash('sha256').update(b).digest('hex');
