/**
 * A real archive for the Cone Search, SSA, SIA and DataLink tests: the HTTP app on a loopback
 * port over two releases of survey SVC ingested for real (with their catalogue tables loaded):
 * DR1 published, DR2 a draft of the same shape at the same positions, so one cone finds both and
 * only a token may see DR2's rows. Each has 4 spectra, 1 cube, 2 images (sources "SRC 000000"
 * at (0, -85) and "SRC 000001" at (0.137, -84.929)), one catalogue table of 200 rows around
 * (160, -20), and a blob. Call at the top of a file.
 */
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll } from 'vitest';
import { createToken } from '../../src/auth/tokens.js';
import { loadConfig, type Config } from '../../src/config.js';
import type { Database } from '../../src/db/client.js';
import { generateRelease } from '../../src/bench/generate.js';
import { publishRelease } from '../../src/graphql/publish.js';
import type { RunningWorker } from '../../src/worker/runner.js';
import { ingestAndLoad } from '../catalogue/fixture.js';
import type { AstropyTable } from './fixtures/readers.js';
import { createTestDatabase } from '../helpers/db.js';
import { serveApp, type ServedApp } from '../helpers/http-app.js';
import { startTestWorker, tempDir } from '../helpers/ingest.js';

export interface ReleaseInfo {
  releaseId: number;
  /** Record id by release-relative path. */
  records: Map<string, number>;
  /** schema.table of its catalogue table. */
  catalogue: string;
}

export interface ServicesArchive {
  database: Database;
  worker: RunningWorker;
  served: ServedApp;
  config: Config;
  root: string;
  base: string;
  token: string;
  published: ReleaseInfo;
  draft: ReleaseInfo;
  /** GET base + path, with the token when asked. */
  get(pathAndQuery: string, o?: { token?: boolean; redirect?: 'follow' | 'manual' }): Promise<Response>;
}

export const SHAPE = { spectra: 4, cubes: 1, images: 2, catalogues: 1, blobs: 1, sources: 2 };

export function servicesArchive(): ServicesArchive {
  const a = {} as ServicesArchive;
  beforeAll(async () => {
    a.database = await createTestDatabase();
    a.root = tempDir('astroarchive-vo-');
    a.worker = await startTestWorker(a.database);
    for (const dir of ['dr1', 'dr2']) generateRelease(path.join(a.root, dir), SHAPE);
    await ingestAndLoad(a.database, a.root, 'dr1', 'SVC', 'DR1');
    await ingestAndLoad(a.database, a.root, 'dr2', 'SVC', 'DR2');
    const info = async (name: string): Promise<ReleaseInfo> => {
      const { rows } = await a.database.pool.query(
        `SELECT r.id AS record_id, f.path, rel.id AS release_id,
                (SELECT t.schema_name || '.' || t.table_name FROM catalogue_tables t WHERE t.release_id = rel.id LIMIT 1) AS catalogue
           FROM releases rel JOIN records r ON r.release_id = rel.id JOIN files f ON f.id = r.file_id
          WHERE rel.name = $1`,
        [name],
      );
      return { releaseId: Number(rows[0].release_id), records: new Map(rows.map((r) => [r.path, Number(r.record_id)])), catalogue: rows[0].catalogue };
    };
    a.published = await info('DR1');
    a.draft = await info('DR2');
    await publishRelease(a.database, a.published.releaseId);
    a.config = loadConfig({ ARCHIVE_HOME: a.root, ARCHIVE_DATA_ROOT: a.root }, a.root);
    a.served = await serveApp(a.database, a.config);
    a.base = a.served.base;
    a.token = (await createToken(a.database, 'vo reader', 'ingest')).token;
    a.get = (p, o = {}) => fetchRetry(`${a.base}${p}`, { headers: o.token ? { authorization: `Bearer ${a.token}` } : {}, redirect: o.redirect ?? 'follow' });
  }, 240_000);
  afterAll(async () => {
    await a.served?.close();
    await a.worker?.stop();
    await a.database?.close();
    if (a.root) fs.rmSync(a.root, { recursive: true, force: true });
  });
  return a;
}

/**
 * fetch, once more when the kept-alive connection was reset under it: the server runs in this
 * process, and the synchronous astropy reader blocks its event loop for a second or so; the
 * server's keep-alive timer then fires late, just as the next request reuses the socket.
 * Every request the tests repeat this way is a read (GET, or a POST that only queries).
 */
export async function fetchRetry(url: string, init: RequestInit = {}): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (err) {
    if ((err as { cause?: { code?: string } }).cause?.code !== 'ECONNRESET') throw err;
    return fetch(url, init);
  }
}

/** `ivo://astroarchive.local/astroarchive?<id>`: the default authority. */
export const did = (recordId: number) => `ivo://astroarchive.local/astroarchive?${recordId}`;

/** Column `name` of every row of an astropy-read table. */
export function column<T = unknown>(t: { fields: { name: string }[]; rows: unknown[][] }, name: string): T[] {
  const i = t.fields.findIndex((f) => f.name === name);
  if (i < 0) throw new Error(`no column ${name} in ${t.fields.map((f) => f.name).join(', ')}`);
  return t.rows.map((r) => r[i] as T);
}

/**
 * astropyRead for ObsCore columns: Debian's astropy 5.2 checks UCDs against a word list older
 * than UCD1+ 1.4, which added the words ObsCore 1.1 uses for obs_publisher_did (meta.ref.ivoid),
 * s_region (pos.outline) and the preview link (datalink.preview). Those three are added to its
 * list (as primary words, as UCD1+ 1.4 defines them); everything else is verify='exception'.
 */
export function astropyReadObscore(doc: string): AstropyTable {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vo-obscore-'));
  const file = path.join(dir, 'doc.xml');
  try {
    fs.writeFileSync(file, doc);
    const script = [
      'import runpy, sys',
      'from astropy.io.votable import ucd',
      'w = ucd.UCDWords()',
      "for word in ('meta.ref.ivoid', 'pos.outline', 'datalink.preview'):",
      '    w._primary.add(word); w._capitalization[word] = word',
      'ucd._ucd_singleton = w',
      `sys.argv = ['votable_dump.py', ${JSON.stringify(file)}]`,
      `runpy.run_path(${JSON.stringify(path.join(import.meta.dirname, 'fixtures', 'votable_dump.py'))}, run_name='__main__')`,
    ].join('\n');
    return JSON.parse(execFileSync('/usr/bin/python3', ['-c', script], { encoding: 'utf8', maxBuffer: 1 << 28 })) as AstropyTable;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** stilts votlint's complaints about a document (its ERROR and WARNING lines), asynchronously. */
export async function votlint(doc: string): Promise<string[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vo-votlint-'));
  const file = path.join(dir, 'doc.xml');
  try {
    fs.writeFileSync(file, doc);
    const { stdout, stderr } = await promisify(execFile)('stilts', ['votlint', file], { maxBuffer: 1 << 24 });
    return `${stdout}\n${stderr}`.split('\n').filter((l) => /^(ERROR|WARNING)/.test(l));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
