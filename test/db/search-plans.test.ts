/**
 * Every search filter is answered through an index: EXPLAIN (FORMAT JSON) of the exact
 * statements the API sends (src/db/queries/record-search.ts, source-search.ts), on 40,000
 * generated records and 30,000 sources after ANALYZE, never shows a sequential scan of records
 * or sources. Selective filters must use their own index (not only walk the primary key).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { distanceSql, INDEX_ONLY_CONE_DEG, Params, recordCountSql, recordSearchSql, type RecordOrder, type RecordSearch, type SqlStatement } from '../../src/db/queries/record-search.js';
import { sourceSearchSql, type SourceSearch } from '../../src/db/queries/source-search.js';
import { createTestDatabase } from '../helpers/db.js';
import { seedSearch, type SearchSeed } from '../graphql/search-seed.js';

let database: Database;
let s: SearchSeed;
beforeAll(async () => {
  database = await createTestDatabase();
  s = await seedSearch(database, 40_000, 7);
  await database.pool.query(`INSERT INTO sources (name) SELECT 'J' || lpad(g::text, 6, '0') FROM generate_series(1, 30000) g`);
  await database.pool.query('ANALYZE');
}, 180_000);
afterAll(async () => {
  await database?.close();
});

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

async function scans(stmt: SqlStatement): Promise<PlanNode[]> {
  const { rows } = await database.pool.query(`EXPLAIN (FORMAT JSON) ${stmt.text}`, stmt.values);
  const out: PlanNode[] = [];
  const walk = (n: PlanNode) => {
    if (n['Relation Name'] || n['Index Name']) out.push(n);
    n.Plans?.forEach(walk);
  };
  walk((rows[0]['QUERY PLAN'] as { Plan: PlanNode }[])[0].Plan);
  return out;
}

const INDEXES_OF_RECORDS = /^records_/;

/** [name, filter, the index a selective filter must use (or null: any index of records)]. */
const RECORD_CASES: [string, RecordSearch, string | null][] = [
  ['no filter', {}, null],
  ['cone 1"', { cone: { ra: 150, dec: 2, radius: 1 / 3600 } }, 'records_hpx_idx'],
  // Small cones: the seed's pole and RA 0 clusters are dense (4% of the rows in a 0.5 deg cone,
  // where walking the primary key for 51 rows is a fair plan); a cone of an archive's usual
  // density keeps a few dozen rows.
  ['cone 0.1 deg at the pole', { cone: { ra: 0, dec: 90, radius: 0.1 } }, 'records_hpx_idx'],
  ['cone 0.1 deg across RA 0', { cone: { ra: 0, dec: 0, radius: 0.1 } }, 'records_hpx_idx'],
  ['covers', { covers: { ra: 33.3, dec: 12.1 } }, 'records_coverage_idx'],
  ['survey', { survey: 'OTHER' }, null],
  ['release', { releaseId: 0 }, null], // set in beforeAll's seed: see below
  ['kind', { dataproductTypes: ['cube'] }, null],
  ['productType', { productTypes: ['cube-1'] }, null],
  ['targetName', { targetName: 'ngc 1005' }, 'records_source_idx'],
  ['facility (rare)', { facility: 'RARE-SCOPE' }, 'records_search_idx'],
  ['instrument (rare)', { instrument: 'RARE-CAM' }, 'records_search_idx'],
  ['time (one day)', { time: { min: 55000, max: 55001 } }, 'records_time_idx'],
  ['wavelength (short end)', { wavelength: { max: 3.02e-7 } }, 'records_em_idx'],
  ['includeInvalid', { includeInvalid: true }, null],
  ['cone + wavelength + time', { cone: { ra: 80, dec: 10, radius: 0.1 }, wavelength: { min: 5e-7, max: 6e-7 }, time: { min: 51000, max: 57000 } }, null],
];

describe('record search plans', () => {
  for (const publishedOnly of [true, false]) {
    for (const orderBy of ['ID', 'T_MIN', 'DISTANCE'] as RecordOrder[]) {
      it.each(RECORD_CASES)(`%s (${publishedOnly ? 'anonymous' : 'admin'}, ${orderBy})`, async (_name, filter, index) => {
        if (orderBy === 'DISTANCE' && !filter.cone) return;
        const search = { ...filter, publishedOnly, ...('releaseId' in filter ? { releaseId: s.otherPublished } : {}) };
        // totalCount's count(*) reads every match: a sequential scan is its best plan when the
        // filter keeps most of the table, so it is held to the index only for selective filters.
        const statements = [recordSearchSql(search, { orderBy, limit: 51 }), ...(index ? [recordCountSql(search)] : [])];
        for (const stmt of statements) {
          const nodes = await scans(stmt);
          // PLAN_DEBUG=1 prints the scans of each plan.
          if (process.env.PLAN_DEBUG) console.log('PLAN', _name, publishedOnly, orderBy, stmt.text.includes('LIMIT') ? 'page' : 'count', JSON.stringify(nodes.map((n) => [n['Node Type'], n['Relation Name'], n['Index Name']])));
          const onRecords = nodes.filter((n) => n['Relation Name'] === 'records' || INDEXES_OF_RECORDS.test(n['Index Name'] ?? ''));
          expect(onRecords.filter((n) => n['Node Type'] === 'Seq Scan')).toEqual([]);
          expect(onRecords.some((n) => INDEXES_OF_RECORDS.test(n['Index Name'] ?? ''))).toBe(true);
          if (index && stmt.text.includes('LIMIT')) expect(onRecords.map((n) => n['Index Name'])).toContain(index);
        }
      });
    }
  }
});

describe('wide cones', () => {
  // Every record the seed has within the cone, by a full scan: the page must be its first rows.
  async function fullScan(search: RecordSearch, afterId: number, limit: number): Promise<Array<[number, number]>> {
    const p = new Params();
    const d = distanceSql(search.cone!, p);
    const where = [`${d} <= ${p.add(search.cone!.radius, 'float8')}`, `rec.id > ${p.add(afterId, 'int8')}`];
    if (!search.includeInvalid) where.push('NOT rec.invalid');
    if (search.publishedOnly) where.push(`rec.release_id IN (SELECT id FROM releases WHERE status = 'published')`);
    if (search.releaseId != null) where.push(`rec.release_id = ${p.add(search.releaseId, 'int8')}`);
    const { rows } = await database.pool.query(`SELECT rec.id, ${d} AS d FROM records rec WHERE ${where.join(' AND ')} ORDER BY rec.id LIMIT ${limit}`, p.values);
    return rows.map((r) => [Number(r.id), r.d]);
  }

  it('find their candidates by index-only scans and page exactly as a full scan does', async () => {
    const cones = [
      { ra: 0, dec: 90, radius: 0.5 },
      { ra: 200, dec: -89.5, radius: 1 },
      { ra: 0, dec: 0, radius: INDEX_ONLY_CONE_DEG },
      { ra: 359.9, dec: 30, radius: 3 },
      { ra: 123.4, dec: -20, radius: 10 },
    ];
    // As autovacuum leaves a table after its inserts: the visibility map set, so that an
    // index-only scan needs no heap page (without it the planner rightly prefers a bitmap scan).
    await database.pool.query('VACUUM records');
    let pages = 0;
    for (const cone of cones) {
      for (const extra of [{ publishedOnly: true }, { includeInvalid: true }, { publishedOnly: true, releaseId: s.otherPublished }]) {
        const search: RecordSearch = { cone, ...extra };
        const plan = JSON.stringify((await database.pool.query(`EXPLAIN (FORMAT JSON) ${recordSearchSql(search, { limit: 7 }).text}`, recordSearchSql(search, { limit: 7 }).values)).rows[0]);
        expect(plan).toContain('"Index Only Scan"');
        expect(plan).not.toContain('Bitmap Heap Scan');
        let after = 0;
        for (let k = 0; k < 3; k++) {
          const stmt = recordSearchSql(search, { limit: 7, after: after ? { id: after } : null });
          const { rows } = await database.pool.query(stmt.text, stmt.values);
          const want = await fullScan(search, after, 7);
          expect(rows.map((r) => [Number(r.id), r.__distance]), JSON.stringify({ cone, extra, after })).toEqual(want);
          if (rows.length) pages++;
          if (rows.length < 7) break;
          after = Number(rows[rows.length - 1].id);
        }
      }
    }
    expect(pages).toBeGreaterThan(20);
  });
});

const SOURCE_CASES: [string, SourceSearch, string][] = [
  ['name', { name: 'j012345' }, 'sources_name_lower_idx'],
  ['namePrefix', { namePrefix: 'j0123' }, 'sources_name_lower_idx'],
  ['namePrefix with wildcards escaped', { namePrefix: 'j_1%' }, 'sources_name_lower_idx'],
  ['cone', { cone: { ra: 0, dec: 90, radius: 0.1 } }, 'records_hpx_idx'],
];

describe('source search plans', () => {
  it.each(SOURCE_CASES)('%s', async (_name, filter, index) => {
    for (const publishedOnly of [true, false]) {
      const nodes = await scans(sourceSearchSql({ ...filter, publishedOnly }, { limit: 51 }));
      expect(nodes.filter((n) => n['Node Type'] === 'Seq Scan' && (n['Relation Name'] === 'records' || n['Relation Name'] === 'sources'))).toEqual([]);
      expect(nodes.map((n) => n['Index Name'])).toContain(index);
    }
  });
});
