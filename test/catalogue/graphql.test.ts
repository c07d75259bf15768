/**
 * GraphQL over loaded catalogue tables: Catalogue.tables, catalogueTable(id), rows with keyset
 * pages, where and cone (against brute force over the fixture), validation of where against the
 * registry, and drafts' tables hidden from anonymous callers.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { publishRelease } from '../../src/graphql/publish.js';
import { angularDistanceDeg } from '../../src/sky/vector.js';
import type { RunningWorker } from '../../src/worker/runner.js';
import { createTestDatabase } from '../helpers/db.js';
import { startTestWorker, tempDir } from '../helpers/ingest.js';
import { ADMIN, codes, createHarness } from '../graphql/harness.js';
import { copyFixture, FIXTURES, ingestAndLoad } from './fixture.js';

let database: Database;
let worker: RunningWorker;
let root: string;
let h: ReturnType<typeof createHarness>;
let skyId: string;
let typesId: string;
let skyRecord: number;
let releaseId: number;

interface Star {
  name: string;
  ra: number;
  dec: number;
  mag: number | null;
  flag: boolean;
}
const stars: Star[] = fs
  .readFileSync(path.join(FIXTURES, 'sky.csv'), 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => {
    const [name, ra, dec, mag, flag] = line.split(',');
    return { name, ra: Number(ra), dec: Number(dec), mag: mag === '' ? null : Number(mag), flag: flag === 'true' };
  });

beforeAll(async () => {
  database = await createTestDatabase();
  worker = await startTestWorker(database);
  root = tempDir();
  const dir = path.join(root, 'dr1');
  fs.mkdirSync(dir);
  copyFixture('sky.csv', dir);
  copyFixture('types.fits', dir);
  fs.writeFileSync(path.join(dir, 'astroarchive.json'), JSON.stringify({ products: [{ match: 'sky.csv', kind: 'CATALOGUE', idColumn: 'name' }] }));
  await ingestAndLoad(database, root, 'dr1', 'GQL', 'DR1');
  h = createHarness(database);
  const { rows } = await database.pool.query(`SELECT t.id, t.record_id, t.release_id, t.table_name FROM catalogue_tables t ORDER BY t.id`);
  skyId = String(rows.find((r) => r.table_name === 'sky').id);
  skyRecord = Number(rows.find((r) => r.table_name === 'sky').record_id);
  typesId = String(rows.find((r) => r.table_name === 'stars').id);
  releaseId = Number(rows[0].release_id);
}, 200_000);

afterAll(async () => {
  await worker?.stop();
  await database?.close();
  fs.rmSync(root, { recursive: true, force: true });
});

const ROWS = `query($id: ID!, $first: Int, $after: String, $cone: ConeInput, $where: [ColumnCondition!]) {
  catalogueTable(id: $id) { rows(first: $first, after: $after, cone: $cone, where: $where) {
    edges { cursor row distance } pageInfo { hasNextPage endCursor } } } }`;

async function allRows(vars: Record<string, unknown>, pageSize = 7): Promise<Array<{ row: any; distance: number | null }>> {
  const out: Array<{ row: any; distance: number | null }> = [];
  let after: string | null = null;
  for (let pages = 0; pages < 100; pages++) {
    const r = await h.exec(ROWS, { id: skyId, first: pageSize, after, ...vars }, ADMIN);
    expect(r.errors).toBeUndefined();
    const conn = r.data.catalogueTable.rows;
    out.push(...conn.edges);
    if (!conn.pageInfo.hasNextPage) return out;
    after = conn.pageInfo.endCursor;
  }
  throw new Error('too many pages');
}

describe('catalogue tables in GraphQL', () => {
  it('lists a record\'s tables with their columns (type, unit, ucd, description, statistics)', async () => {
    const r = await h.exec(
      `query($id: ID!) { record(id: $id) { catalogue { tables { id qualifiedName rowCount record { id }
         columns { name type unit ucd description nullCount min max } } } } }`,
      { id: String(skyRecord) },
      ADMIN,
    );
    expect(r.errors).toBeUndefined();
    const [t] = r.data.record.catalogue.tables;
    expect(t).toMatchObject({ id: skyId, qualifiedName: 'gql_dr1.sky', rowCount: 30, record: { id: String(skyRecord) } });
    expect(t.columns.find((c: any) => c.name === 'mag')).toEqual({
      name: 'mag', type: 'double precision', unit: null, ucd: null, description: null,
      nullCount: stars.filter((s) => s.mag === null).length,
      min: Math.min(...stars.filter((s) => s.mag !== null).map((s) => s.mag!)),
      max: Math.max(...stars.filter((s) => s.mag !== null).map((s) => s.mag!)),
    });
    const fits = await h.exec(`query($id: ID!) { catalogueTable(id: $id) { columns { name type unit ucd description } } }`, { id: typesId }, ADMIN);
    expect(fits.data.catalogueTable.columns.find((c: any) => c.name === 'ra')).toEqual({ name: 'ra', type: 'double precision', unit: 'deg', ucd: 'pos.eq.ra;meta.main', description: null });
    expect(fits.data.catalogueTable.columns.find((c: any) => c.name === 'e')).toMatchObject({ unit: 'mag', description: 'apparent magnitude' });
  });

  it('pages every row once, in file order, by keyset cursors', async () => {
    const rows = await allRows({});
    expect(rows.map((e) => e.row.name)).toEqual(stars.map((s) => s.name));
    expect(rows.map((e) => e.row._row)).toEqual(stars.map((_s, i) => i + 1));
    expect(rows[0].row).not.toHaveProperty('_hpx');
  });

  it('filters with where, ANDed, values bound to the column types', async () => {
    const rows = await allRows({ where: [{ column: 'mag', op: 'GT', value: 15 }, { column: 'flag', op: 'EQ', value: true }] }, 4);
    expect(rows.map((e) => e.row.name)).toEqual(stars.filter((s) => s.mag !== null && s.mag > 15 && s.flag).map((s) => s.name));
    const nulls = await allRows({ where: [{ column: 'mag', op: 'IS_NULL', value: true }] });
    expect(nulls.map((e) => e.row.name)).toEqual(stars.filter((s) => s.mag === null).map((s) => s.name));
    const like = await allRows({ where: [{ column: 'name', op: 'LIKE', value: 'S1%' }] });
    expect(like.map((e) => e.row.name)).toEqual(stars.filter((s) => s.name.startsWith('S1')).map((s) => s.name));
  });

  it('cone: the rows within the radius, with their exact distance (brute force)', async () => {
    for (const [i, radius] of [[0, 40], [7, 90], [12, 0.001]] as const) {
      const c = { ra: stars[i].ra, dec: stars[i].dec, radius };
      const rows = await allRows({ cone: c }, 5);
      const want = stars.filter((s) => angularDistanceDeg(c.ra, c.dec, s.ra, s.dec) <= radius);
      expect(rows.map((e) => e.row.name)).toEqual(want.map((s) => s.name));
      rows.forEach((e, k) => expect(e.distance).toBeCloseTo(angularDistanceDeg(c.ra, c.dec, want[k].ra, want[k].dec), 9));
    }
  });

  it('integers beyond 2^53 come as exact decimal strings', async () => {
    const r = await h.exec(ROWS, { id: typesId, first: 2 }, ADMIN);
    expect(r.errors).toBeUndefined();
    expect(r.data.catalogueTable.rows.edges.map((e: any) => e.row.k)).toEqual(['4611686018427387904', '-4611686018427387904']);
  });

  it('rejects a where the registry does not allow, naming the argument', async () => {
    const bad = async (where: unknown, pattern: RegExp) => {
      const r = await h.exec(ROWS, { id: skyId, where }, ADMIN);
      expect(codes(r)).toEqual(['BAD_USER_INPUT']);
      expect(r.errors![0].message).toMatch(pattern);
    };
    await bad([{ column: 'nope', op: 'EQ', value: 1 }], /where\[0\]\.column.*no column "nope"/);
    await bad([{ column: 'mag', op: 'LIKE', value: '1%' }], /LIKE applies to text columns; "mag" is double precision/);
    await bad([{ column: 'mag', op: 'EQ', value: 'bright' }], /column "mag" is double precision; EQ needs a number/);
    await bad([{ column: 'flag', op: 'LT', value: true }], /LT does not apply to boolean/);
    // A list nested 100,000 deep, or a long string, is named briefly (stringifying it overflowed the stack: a 500).
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    await bad([{ column: 'mag', op: 'EQ', value: deep }], /EQ needs a number, got a list$/);
    await bad([{ column: 'flag', op: 'EQ', value: { a: 1 } }], /needs true or false, got an object$/);
    await bad([{ column: 'mag', op: 'EQ', value: 'x'.repeat(10_000) }], /got "x{79}\.\.\.$/);
    await bad([{ column: 'name', op: 'EQ', value: 'x' }, { column: 'ra; DROP TABLE x', op: 'EQ', value: 1 }], /where\[1\]\.column/);
    const cone = await h.exec(ROWS, { id: typesId, cone: { ra: 1, dec: 1, radius: 1 } }, ADMIN);
    expect(codes(cone)).toEqual([]);
    const page = await h.exec(ROWS, { id: skyId, first: 1001 }, ADMIN);
    expect(codes(page)).toEqual(['BAD_USER_INPUT']);
  });

  it('a draft\'s tables are invisible to anonymous callers until the release is published', async () => {
    const q = `query($id: ID!) { catalogueTable(id: $id) { qualifiedName rows(first: 1) { edges { row } } } }`;
    expect((await h.exec(q, { id: skyId }, null)).data.catalogueTable).toBeNull();
    expect((await h.exec(q, { id: skyId }, ADMIN)).data.catalogueTable.qualifiedName).toBe('gql_dr1.sky');
    await publishRelease(database, releaseId);
    const after = await h.exec(q, { id: skyId }, null);
    expect(after.errors).toBeUndefined();
    expect(after.data.catalogueTable.rows.edges[0].row.name).toBe('S00');
  });
});
