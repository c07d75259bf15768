/**
 * Two ingested releases of one survey for the TAP database tests: DR1 published (spectra,
 * images, a blob and the catalogue sky.csv loaded as a table) and DR2 a draft (spectra and its
 * own copy of sky.csv). No HTTP: the tests query through withTapSession as each TAP role.
 * Call at the top of a file (beforeAll/afterAll).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { generateRelease } from '../../src/bench/generate.js';
import { publishRelease } from '../../src/graphql/publish.js';
import type { RunningWorker } from '../../src/worker/runner.js';
import { copyFixture, ingestAndLoad } from '../catalogue/fixture.js';
import { createTestDatabase } from '../helpers/db.js';
import { startTestWorker, tempDir } from '../helpers/ingest.js';

export interface ReleaseInfo {
  releaseId: number;
  /** Every record, blobs included. */
  records: number;
  /** Records ivoa.obscore lists (not blobs, not INVALID files). */
  obscoreRecords: number;
  /** The catalogue table: schema, table, and "schema"."table". */
  schema: string;
  table: string;
  sqlName: string;
  /** One of its records (ids for the tests' tricks). */
  recordId: number;
}

export interface TapDbArchive {
  database: Database;
  worker: RunningWorker;
  root: string;
  published: ReleaseInfo;
  draft: ReleaseInfo;
}

const RULES = JSON.stringify({ products: [{ match: 'sky.csv', kind: 'CATALOGUE', idColumn: 'name' }] });

export function tapDbArchive(survey = 'TAPDB'): TapDbArchive {
  const a = {} as TapDbArchive;
  beforeAll(async () => {
    a.database = await createTestDatabase();
    a.root = tempDir('astroarchive-tapdb-');
    a.worker = await startTestWorker(a.database);
    const release = (dir: string, spectra: number, images: number, blobs: number) => {
      fs.mkdirSync(path.join(a.root, dir));
      generateRelease(path.join(a.root, dir), { spectra, cubes: 0, images, catalogues: 0, blobs, sources: spectra });
      copyFixture('sky.csv', path.join(a.root, dir));
      fs.writeFileSync(path.join(a.root, dir, 'astroarchive.json'), RULES);
    };
    release('dr1', 6, 3, 1);
    release('dr2', 3, 0, 0);
    await ingestAndLoad(a.database, a.root, 'dr1', survey, 'DR1');
    await ingestAndLoad(a.database, a.root, 'dr2', survey, 'DR2');
    const info = async (name: string): Promise<ReleaseInfo> => {
      const { rows } = await a.database.pool.query(
        `SELECT r.id::int AS "releaseId",
                (SELECT count(*)::int FROM records x WHERE x.release_id = r.id) AS records,
                (SELECT count(*)::int FROM records x WHERE x.release_id = r.id AND x.dataproduct_type <> 'other' AND NOT x.invalid) AS "obscoreRecords",
                t.schema_name AS schema, t.table_name AS table,
                (SELECT min(x.id)::int FROM records x WHERE x.release_id = r.id AND x.dataproduct_type = 'spectrum') AS "recordId"
           FROM releases r JOIN surveys s ON s.id = r.survey_id JOIN catalogue_tables t ON t.release_id = r.id
          WHERE s.name = $1 AND r.name = $2`,
        [survey, name],
      );
      if (rows.length !== 1) throw new Error(`release ${name}: expected one catalogue table, found ${rows.length}`);
      return { ...rows[0], sqlName: `"${rows[0].schema}"."${rows[0].table}"` };
    };
    a.published = await info('DR1');
    a.draft = await info('DR2');
    await publishRelease(a.database, a.published.releaseId);
  }, 240_000);
  afterAll(async () => {
    await a.worker?.stop();
    await a.database?.close();
    if (a.root) fs.rmSync(a.root, { recursive: true, force: true });
  });
  return a;
}
