/**
 * `astroarchive bench --find`: N records (default 10 million) in the real tables of a fresh
 * database, the sky indexes built after the load (timed), then the latency of the searches
 * the API runs, warm, against the latency floor of a primary-key lookup on the same table;
 * optionally the same rows and cones on a q3c-indexed table in a Debian PostgreSQL 15
 * cluster, interleaved query by query so that the ratios survive a busy machine; and a
 * cross-match of 100,000 positions in one statement.
 */
import os from 'node:os';
import pg from 'pg';
import { startEmbedded } from '../../db/embedded.js';
import { crossmatch } from '../../db/queries/crossmatch.js';
import { FLOAT8, INT8, numberArrayParam } from '../../db/number-array.js';
import { crossmatchTablePage } from '../../db/queries/crossmatch-table.js';
import { ang2pixNest, STORE_ORDER } from '../../sky/index.js';
import { migrate } from '../../db/migrate.js';
import { onEmbedded, openBenchDatabase, type BenchDatabase } from '../bench-database.js';
import { DEFAULT_FIND_SHAPE, makeFields, offsetPosition, uniformPosition, type FindShape } from './data.js';
import { rng } from '../../util/rng.js';
import { buildIndexes, createRelease, dropSecondaryIndexes, loadRows, SKY_INDEXES, sourceCount, type Release } from './load.js';
import type { Pg15Cluster } from '../../db/debian-cluster.js';
import { startPg15, q3cUnavailable } from './pg15.js';
import { bruteForcePage, querySets, type QuerySet } from './queries.js';
import { PAGE, STATEMENTS_SOURCE, type BenchStatement } from './statements.js';

export const DEFAULT_FIND_ROWS = 10_000_000;
export const DEFAULT_FIND_QUERIES = 300;
export const DEFAULT_CROSSMATCH_POSITIONS = 100_000;
/** Up to this many rows the cone pages are also checked against brute force (all positions in memory). */
const BRUTE_FORCE_MAX_ROWS = 200_000;
const MAINTENANCE_WORK_MEM = '512MB';

export interface FindOptions {
  rows?: number;
  vsQ3c?: boolean;
  /** Statements per query set (default 300). */
  queries?: number;
  crossmatchPositions?: number;
  databaseUrl?: string;
  keep?: boolean;
  /**
   * An ARCHIVE_HOME for the embedded database, always kept: the first run loads and indexes the
   * records there, a later run with the same --find-rows finds them and only times the
   * questions (building 10 million records costs ~10 minutes; tuning the queries needs many runs).
   */
  dir?: string;
  log?: (m: string) => void;
}

export interface Latency {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  /** Rows returned: median and total over the set. */
  rowsP50: number;
  rowsTotal: number;
}

export interface FindQueryResult {
  name: string;
  ours: Latency;
  q3c?: Latency;
  /** ours p50 / q3c p50. */
  p50Ratio?: number;
  /** Statements whose page (ids) was the same on both servers. */
  samePages?: number;
}

export interface FindReport {
  rows: number;
  fields: number;
  fieldShare: number;
  node: string;
  cpus: number;
  loadAverage: number[];
  database: 'embedded' | 'external';
  serverVersion: string;
  statements: string;
  page: number;
  load: { seconds: number; rowsPerSecond: number; records: number; files: number };
  /** The records were loaded by an earlier run into this --dir (load and index figures are then 0). */
  reused?: string;
  skyIndex: { seconds: number; perIndex: Record<string, number>; maintenanceWorkMem: string };
  otherIndexSeconds: number;
  tableMb: number;
  queries: FindQueryResult[];
  q3c: { serverVersion: string; q3cVersion: string; loadSeconds: number; indexSeconds: number } | { skipped: string } | null;
  crossmatch: { positions: number; radiusArcsec: number; seconds: number; matched: number; statements: number };
  /** The same positions as the rows of a table shaped like a loaded catalogue's, matched as one page (crossmatchTablePage). */
  tableCrossmatch: { rows: number; seconds: number; matched: number; statements: number };
  bruteForce: { cones: number; mismatches: number } | null;
  warm: string;
}

export async function runFindBench(opts: FindOptions = {}): Promise<FindReport> {
  const log = opts.log ?? (() => {});
  const shape: FindShape = { rows: opts.rows ?? DEFAULT_FIND_ROWS, ...DEFAULT_FIND_SHAPE };
  const perSet = opts.queries ?? DEFAULT_FIND_QUERIES;
  const fields = makeFields(shape);
  const q3cSkip = opts.vsQ3c ? q3cUnavailable() : null;
  if (q3cSkip) log(`--vs-q3c skipped: ${q3cSkip}`);
  const server = opts.dir ? await openKeptDatabase(opts.dir, log) : await openBenchDatabase(opts.databaseUrl, opts.keep ?? false, log);
  let pg15: Pg15Cluster | undefined;
  const clients: pg.Client[] = [];
  try {
    const pool = server.database.pool;
    await migrate(pool);
    const ours = new pg.Client({ connectionString: server.database.url, application_name: 'astroarchive-find-bench' });
    clients.push(ours);
    await ours.connect();
    const serverVersion = (await ours.query('SHOW server_version')).rows[0].server_version;

    // Load, then build the indexes a bulk load leaves for last (unless a kept --dir has them).
    const kept = opts.dir ? await keptRelease(ours, shape.rows) : null;
    const release = kept ?? (await createRelease(pool, shape.rows));
    let loadSeconds = 0;
    let sky: Record<string, number> = {};
    let other: Record<string, number> = {};
    if (kept) log(`reusing the ${shape.rows.toLocaleString('en')} records loaded earlier in ${opts.dir}`);
    else {
      const dropped = [...(await dropSecondaryIndexes(pool, 'records')), ...(await dropSecondaryIndexes(pool, 'files'))];
      log(`loading ${shape.rows.toLocaleString('en')} records (${shape.fields} fields hold ${shape.fieldShare * 100}%) into ${serverVersion} ...`);
      loadSeconds = await loadRows(pool, shape, fields, release, { files: true, log, label: 'ours' });
      await ours.query('VACUUM (ANALYZE) records, files, sources');
      await ours.query(`SET maintenance_work_mem = '${MAINTENANCE_WORK_MEM}'`);
      sky = await buildIndexes(ours, dropped.filter((d) => SKY_INDEXES.includes(d.name)));
      other = await buildIndexes(ours, dropped.filter((d) => !SKY_INDEXES.includes(d.name)));
      await ours.query('RESET maintenance_work_mem');
      await ours.query('ANALYZE records');
      await ours.query('CHECKPOINT').catch(() => {});
    }
    const skySeconds = Object.values(sky).reduce((a, b) => a + b, 0);
    log(`ours: loaded in ${loadSeconds.toFixed(1)} s, sky indexes in ${skySeconds.toFixed(1)} s (${Object.entries(sky).map(([k, v]) => `${k} ${v.toFixed(1)} s`).join(', ')})`);
    const counted = (await ours.query(`SELECT (SELECT count(*) FROM records) AS records, (SELECT count(*) FROM files) AS files`)).rows[0];
    const tableMb = Number((await ours.query(`SELECT pg_total_relation_size('records') AS b`)).rows[0].b) / 1048576;

    let q3c: FindReport['q3c'] = opts.vsQ3c ? (q3cSkip ? { skipped: q3cSkip } : null) : null;
    let theirs: pg.Client | undefined;
    if (opts.vsQ3c && !q3cSkip) {
      pg15 = await startPg15();
      const p15 = new pg.Pool({ connectionString: pg15.url, max: 4 });
      try {
        await migrate(p15);
        const rel15 = await createRelease(p15, shape.rows);
        await dropSecondaryIndexes(p15, 'records');
        log('q3c: loading the same rows into PostgreSQL 15 ...');
        const q3cLoad = await loadRows(p15, shape, fields, rel15, { files: false, log, label: 'q3c' });
        theirs = new pg.Client({ connectionString: pg15.url, application_name: 'astroarchive-find-bench' });
        clients.push(theirs);
        await theirs.connect();
        await theirs.query('VACUUM (ANALYZE) records');
        await theirs.query('CREATE EXTENSION q3c');
        await theirs.query(`SET maintenance_work_mem = '${MAINTENANCE_WORK_MEM}'`);
        const q3cIndex = await buildIndexes(theirs, [{ name: 'records_q3c_idx', definition: 'CREATE INDEX records_q3c_idx ON records (q3c_ang2ipix(center_ra, center_dec))' }]);
        await theirs.query('RESET maintenance_work_mem');
        await theirs.query('ANALYZE records');
        await theirs.query('CHECKPOINT');
        q3c = {
          serverVersion: (await theirs.query('SHOW server_version')).rows[0].server_version,
          q3cVersion: (await theirs.query(`SELECT extversion FROM pg_extension WHERE extname = 'q3c'`)).rows[0].extversion,
          loadSeconds: round(q3cLoad, 2),
          indexSeconds: round(q3cIndex.records_q3c_idx, 2),
        };
        log(`q3c: loaded in ${q3cLoad.toFixed(1)} s, q3c index in ${q3cIndex.records_q3c_idx.toFixed(1)} s`);
      } finally {
        await p15.end();
      }
    }

    const sets = querySets(fields, shape.rows, release.sources, perSet, shape.seed);
    log('warming both caches (every statement once, untimed) ...');
    for (const set of sets) {
      for (const s of set.ours) await ours.query(s.text, s.values);
      if (theirs && set.q3c) for (const s of set.q3c) await theirs.query(s.text, s.values);
    }
    const queries: FindQueryResult[] = [];
    for (const set of sets) {
      const r = await timeSet(set, ours, theirs);
      queries.push(r);
      log(`${r.name}: p50 ${r.ours.p50.toFixed(2)} ms, p99 ${r.ours.p99.toFixed(2)} ms, ${r.ours.rowsP50} rows${r.q3c ? ` | q3c p50 ${r.q3c.p50.toFixed(2)} ms (x${r.p50Ratio})` : ''}`);
    }
    const bruteForce = shape.rows <= BRUTE_FORCE_MAX_ROWS ? await checkBruteForce(ours, sets) : null;

    const xm = await timeCrossmatch(pool, ours, opts.crossmatchPositions ?? DEFAULT_CROSSMATCH_POSITIONS, shape, log);
    const tableXm = await timeTableCrossmatch(pool, ours, xm.ra, xm.dec, log);
    return {
      rows: shape.rows,
      fields: shape.fields,
      fieldShare: shape.fieldShare,
      node: process.version,
      cpus: os.availableParallelism(),
      loadAverage: os.loadavg().map((x) => round(x, 2)),
      database: opts.databaseUrl ? 'external' : 'embedded',
      serverVersion,
      statements: STATEMENTS_SOURCE,
      page: PAGE,
      load: { seconds: round(loadSeconds, 2), rowsPerSecond: loadSeconds ? Math.round(shape.rows / loadSeconds) : 0, records: Number(counted.records), files: Number(counted.files) },
      reused: kept ? opts.dir : undefined,
      skyIndex: { seconds: round(skySeconds, 2), perIndex: mapValues(sky, (v) => round(v, 2)), maintenanceWorkMem: MAINTENANCE_WORK_MEM },
      otherIndexSeconds: round(Object.values(other).reduce((a, b) => a + b, 0), 2),
      tableMb: round(tableMb, 1),
      queries,
      q3c,
      crossmatch: xm.result,
      tableCrossmatch: tableXm,
      bruteForce,
      warm: 'every statement ran once untimed before the timed pass (page cache and shared buffers warm)',
    };
  } finally {
    for (const c of clients) await c.end().catch(() => {});
    pg15?.destroy();
    await server.close();
  }
}

/** The embedded server of a kept ARCHIVE_HOME (created on first use), never removed. */
async function openKeptDatabase(dir: string, log: (m: string) => void): Promise<BenchDatabase> {
  log(`embedded PostgreSQL in ${dir} (kept)`);
  return onEmbedded(await startEmbedded(dir));
}

/** The bench's release in a kept database when it holds exactly `rows` records, else null (a fresh home). */
async function keptRelease(client: pg.Client, rows: number): Promise<Release | null> {
  const { rows: found } = await client.query(
    `SELECT rel.id, (SELECT count(*) FROM records) AS records, (SELECT min(id) FROM sources) AS first
     FROM releases rel JOIN surveys s ON s.id = rel.survey_id WHERE s.name = 'FINDBENCH'`,
  );
  if (found.length === 0) return null;
  if (Number(found[0].records) !== rows) throw new Error(`the kept database holds ${found[0].records} records, not ${rows}: use another --dir or the same --find-rows`);
  return { releaseId: Number(found[0].id), firstSourceId: Number(found[0].first), sources: sourceCount(rows) };
}

async function run(client: pg.Client, s: BenchStatement): Promise<{ ms: number; ids: number[] }> {
  const t = performance.now();
  const { rows } = await client.query(s.text, s.values);
  const ms = performance.now() - t;
  return { ms, ids: rows.map((r) => Number(r.id)) };
}

/** One timed pass; with q3c, ours and theirs alternate statement by statement. */
async function timeSet(set: QuerySet, ours: pg.Client, theirs: pg.Client | undefined): Promise<FindQueryResult> {
  const a: Array<{ ms: number; rows: number }> = [];
  const b: Array<{ ms: number; rows: number }> = [];
  let same = 0;
  for (let i = 0; i < set.ours.length; i++) {
    const x = await run(ours, set.ours[i]);
    a.push({ ms: x.ms, rows: x.ids.length });
    if (theirs && set.q3c) {
      const y = await run(theirs, set.q3c[i]);
      b.push({ ms: y.ms, rows: y.ids.length });
      if (x.ids.join() === y.ids.join()) same++;
    }
  }
  const result: FindQueryResult = { name: set.name, ours: stats(a) };
  if (b.length) {
    result.q3c = stats(b);
    result.p50Ratio = round(result.ours.p50 / result.q3c.p50, 2);
    result.samePages = same;
  }
  return result;
}

function stats(xs: Array<{ ms: number; rows: number }>): Latency {
  const ms = xs.map((x) => x.ms).sort((p, q) => p - q);
  const rows = xs.map((x) => x.rows).sort((p, q) => p - q);
  const at = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
  return { n: xs.length, p50: round(at(ms, 0.5), 3), p95: round(at(ms, 0.95), 3), p99: round(at(ms, 0.99), 3), rowsP50: at(rows, 0.5), rowsTotal: rows.reduce((p, q) => p + q, 0) };
}

/** Small tables: every cone's page against a scan of every position with angularDistanceDeg. */
async function checkBruteForce(client: pg.Client, sets: QuerySet[]): Promise<{ cones: number; mismatches: number }> {
  const { rows } = await client.query('SELECT id, center_ra, center_dec FROM records');
  const all = { id: rows.map((r) => Number(r.id)), ra: rows.map((r) => r.center_ra as number), dec: rows.map((r) => r.center_dec as number) };
  let cones = 0;
  let mismatches = 0;
  for (const set of sets) {
    if (!set.cones) continue;
    for (let i = 0; i < set.cones.length; i++) {
      const got = (await run(client, set.ours[i])).ids;
      cones++;
      if (got.join() !== bruteForcePage(set.cones[i], all, PAGE + 1).join()) mismatches++;
    }
  }
  return { cones, mismatches };
}

/** Half the positions a fraction of an arcsecond from a record, half anywhere; timed after one untimed run. */
async function timeCrossmatch(
  pool: pg.Pool,
  client: pg.Client,
  n: number,
  shape: FindShape,
  log: (m: string) => void,
): Promise<{ result: FindReport['crossmatch']; ra: number[]; dec: number[] }> {
  const random = rng(shape.seed + 2);
  // One record drawn from each of n/2 equal strata of ids: distinct records.
  const half = Math.min(Math.ceil(n / 2), shape.rows);
  const ids = Array.from({ length: half }, (_, i) => 1 + Math.floor(((i + random()) * shape.rows) / half));
  const { rows } = await client.query('SELECT center_ra, center_dec FROM records WHERE id = ANY ($1::int8[])', [ids]);
  const ra: number[] = [];
  const dec: number[] = [];
  for (let i = 0; i < n; i++) {
    const [a, d] = i < rows.length ? offsetPosition(rows[i].center_ra, rows[i].center_dec, (random() * 0.8) / 3600, random() * 360) : uniformPosition(random);
    ra.push(a);
    dec.push(d);
  }
  log(`crossmatch: ${n.toLocaleString('en')} positions at 1" (one untimed run first) ...`);
  await crossmatch(pool, ra, dec, { radiusArcsec: 1 });
  const t = performance.now();
  const matches = await crossmatch(pool, ra, dec, { radiusArcsec: 1 });
  const seconds = (performance.now() - t) / 1000;
  log(`crossmatch: ${seconds.toFixed(2)} s, ${matches.length.toLocaleString('en')} positions matched`);
  return { result: { positions: n, radiusArcsec: 1, seconds: round(seconds, 3), matched: matches.length, statements: 1 }, ra, dec };
}

/**
 * The cross-match's positions as the rows of a table shaped like a loaded catalogue's (`_row`,
 * `_hpx` at the storage order with its btree, RA/Dec columns; src/catalogue builds the real
 * ones), matched against the records as GraphQL's table crossmatch and `crossmatch --table` do:
 * one page of every row (crossmatchTablePage: the rows' read, then the match; 2 statements).
 */
async function timeTableCrossmatch(pool: pg.Pool, client: pg.Client, ra: number[], dec: number[], log: (m: string) => void): Promise<FindReport['tableCrossmatch']> {
  const hpx = ra.map((a, i) => ang2pixNest(STORE_ORDER, a, dec[i]));
  await client.query('CREATE SCHEMA IF NOT EXISTS find_bench; DROP TABLE IF EXISTS find_bench.positions');
  await client.query('CREATE TABLE find_bench.positions (_row bigint PRIMARY KEY, _hpx bigint, ra float8, dec float8)');
  await client.query('INSERT INTO find_bench.positions SELECT n, h, a, d FROM unnest($1::int8[], $2::float8[], $3::float8[]) WITH ORDINALITY AS u(h, a, d, n)', [
    numberArrayParam(INT8, hpx),
    numberArrayParam(FLOAT8, ra),
    numberArrayParam(FLOAT8, dec),
  ]);
  await client.query('CREATE INDEX ON find_bench.positions (_hpx)');
  await client.query('VACUUM (ANALYZE) find_bench.positions');
  const table = { schema: 'find_bench', table: 'positions', raColumn: 'ra', decColumn: 'dec' };
  log(`table crossmatch: a ${ra.length.toLocaleString('en')}-row table against the records at 1" (one untimed run first) ...`);
  await crossmatchTablePage(pool, table, 0, ra.length, { radiusArcsec: 1 });
  const t = performance.now();
  const page = await crossmatchTablePage(pool, table, 0, ra.length, { radiusArcsec: 1 });
  const seconds = (performance.now() - t) / 1000;
  log(`table crossmatch: ${seconds.toFixed(2)} s, ${page.pairs.length.toLocaleString('en')} rows matched`);
  return { rows: ra.length, seconds: round(seconds, 3), matched: page.pairs.length, statements: 2 };
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

function mapValues(o: Record<string, number>, f: (v: number) => number): Record<string, number> {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, f(v)]));
}
