/**
 * A real archive for the TAP tests: the HTTP app on a loopback port and a worker (async jobs
 * run as graphile-worker tasks), over two ingested releases of one survey: DR1, published
 * (synthetic spectra and images at known positions, and the catalogue sky.csv loaded as a
 * table), and DR2, a draft (spectra elsewhere on the sky, its own copy of the catalogue), so
 * anonymous and token callers see different things. Call at the top of a file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { createToken } from '../../src/auth/tokens.js';
import { loadConfig, type Config } from '../../src/config.js';
import type { Database } from '../../src/db/client.js';
import { generateRelease } from '../../src/bench/generate.js';
import { publishRelease } from '../../src/graphql/publish.js';
import type { RunningWorker } from '../../src/worker/runner.js';
import { copyFixture, ingestAndLoad } from '../catalogue/fixture.js';
import { createTestDatabase } from '../helpers/db.js';
import { serveApp, type ServedApp } from '../helpers/http-app.js';
import { startTestWorker, tempDir } from '../helpers/ingest.js';

export interface TapArchive {
  database: Database;
  worker: RunningWorker;
  served: ServedApp;
  config: Config;
  /** ARCHIVE_HOME and ARCHIVE_DATA_ROOT. */
  root: string;
  /** http://127.0.0.1:<port>/tap */
  tap: string;
  /** An admin token's secret, and an ingest token's (two owners for the async tests). */
  admin: string;
  other: string;
  /** Records per release (every file of it has one). */
  published: { releaseId: number; records: number; catalogue: string };
  draft: { releaseId: number; records: number; catalogue: string };
}

const RULES = JSON.stringify({ products: [{ match: 'sky.csv', kind: 'CATALOGUE', idColumn: 'name' }] });

export function tapArchive(env: Record<string, string> = {}): TapArchive {
  const a = {} as TapArchive;
  beforeAll(async () => {
    a.database = await createTestDatabase();
    a.root = tempDir('astroarchive-tap-');
    // The worker runs async jobs under the same limits as the app.
    a.worker = await startTestWorker(a.database, {}, undefined, loadConfig({ ARCHIVE_HOME: a.root, ...env }, a.root).tapLimits);
    const release = (dir: string, spectra: number, images: number) => {
      fs.mkdirSync(path.join(a.root, dir));
      generateRelease(path.join(a.root, dir), { spectra, cubes: 0, images, catalogues: 0, blobs: 0, sources: spectra });
      copyFixture('sky.csv', path.join(a.root, dir));
      fs.writeFileSync(path.join(a.root, dir, 'astroarchive.json'), RULES);
    };
    release('dr1', 12, 4);
    release('dr2', 3, 0);
    await ingestAndLoad(a.database, a.root, 'dr1', 'TAPT', 'DR1');
    await ingestAndLoad(a.database, a.root, 'dr2', 'TAPT', 'DR2');
    const { rows } = await a.database.pool.query(
      `SELECT r.id, r.name, (SELECT count(*)::int FROM records x WHERE x.release_id = r.id) AS records,
              (SELECT t.schema_name || '.' || t.table_name FROM catalogue_tables t WHERE t.release_id = r.id LIMIT 1) AS catalogue
         FROM releases r ORDER BY r.id`,
    );
    const [dr1, dr2] = rows;
    await publishRelease(a.database, Number(dr1.id));
    a.published = { releaseId: Number(dr1.id), records: dr1.records, catalogue: dr1.catalogue };
    a.draft = { releaseId: Number(dr2.id), records: dr2.records, catalogue: dr2.catalogue };
    a.config = loadConfig({ ARCHIVE_HOME: a.root, ARCHIVE_DATA_ROOT: a.root, ...env }, a.root);
    a.served = await serveApp(a.database, a.config);
    // The tests run astropy and pyvo synchronously (execFileSync blocks this process, server
    // included, for seconds on a busy machine): a server that closed idle connections after the
    // default 5 s would close one the client picks for its next request in the same tick.
    a.served.server.keepAliveTimeout = 120_000;
    a.tap = `${a.served.base}/tap`;
    a.admin = (await createToken(a.database, 'tap admin', 'admin')).token;
    a.other = (await createToken(a.database, 'tap other', 'ingest')).token;
  }, 240_000);
  afterAll(async () => {
    await a.served?.close();
    await a.worker?.stop();
    await a.database?.close();
    if (a.root) fs.rmSync(a.root, { recursive: true, force: true });
  });
  return a;
}

/** Polls `fn` until it returns a value other than undefined, or fails after `ms`. */
export async function eventually<T>(fn: () => Promise<T | undefined>, ms = 60_000, what = 'the condition'): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
