/**
 * `astroarchive bench --vo`: the IVOA services at scale. N records (default 10 million) loaded
 * into a fresh database's real tables by the find bench's loader (src/bench/find/load.ts), the
 * archive's HTTP app on a loopback port in this process, then:
 *
 * (a) cone searches through /tap/sync (ADQL CONTAINS(POINT, CIRCLE) on ivoa.obscore, TOP 50)
 *     against the same cones through GraphQL `records(filter: {cone})` (first 50) and as the
 *     API's SQL statement sent directly (recordSearchSql): the three alternate cone by cone,
 *     so the ratios survive a busy machine; p50/p95 each, warm (every cone once untimed);
 * (b) a 1,000,000-row TAP result (or all rows, if fewer) through /tap/sync in BINARY2 and
 *     TABLEDATA, read by a client that only counts bytes: rows/s and the server process' RSS
 *     sampled during the stream (client and server share this process: the client holds one
 *     chunk at a time); and streamQuery alone on generated rows (src/bench/vo/stream.ts);
 * (c) Simple Cone Search (/scs?RA=&DEC=&SR=) p50 on the same cones.
 * All cones are anonymous (published rows only), radius 1' and 6', half in dense fields.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import pg from 'pg';
import { loadConfig } from '../../config.js';
import { migrate } from '../../db/migrate.js';
import { createHttpApp } from '../../http/app.js';
import { createLogger } from '../../log.js';
import { rng } from '../../util/rng.js';
import { DEFAULT_FIND_SHAPE, makeFields, pointInField, uniformPosition, type FindShape } from '../find/data.js';
import { buildIndexes, createRelease, dropSecondaryIndexes, loadRows } from '../find/load.js';
import { coneStatement, PAGE, type Cone } from '../find/statements.js';
import { openBenchDatabase } from '../bench-database.js';
import { benchVoStream, type StreamBenchResult } from './stream.js';

export const DEFAULT_VO_RECORDS = 10_000_000;
export const DEFAULT_VO_CONES = 200;
const STREAM_ROWS = 1_000_000;
const RADII = [
  { label: "1'", deg: 1 / 60 },
  { label: "6'", deg: 0.1 },
];

export interface VoBenchOptions {
  records?: number;
  cones?: number;
  databaseUrl?: string;
  keep?: boolean;
  log?: (m: string) => void;
}

export interface Percentiles {
  n: number;
  p50: number;
  p95: number;
  rowsP50: number;
}

export interface VoConeResult {
  radius: string;
  tap: Percentiles;
  graphql: Percentiles;
  sql: Percentiles;
  scs: Percentiles;
  /** TAP p50 / GraphQL p50 and TAP p50 / SQL p50 (target: TAP within 2x). */
  tapOverGraphql: number;
  tapOverSql: number;
}

export interface VoStreamResult {
  format: string;
  rows: number;
  bytes: number;
  seconds: number;
  rowsPerSecond: number;
  /** Process RSS before the stream and its peak during it. */
  rssBeforeMb: number;
  rssPeakMb: number;
}

export interface VoBenchReport {
  records: number;
  node: string;
  cpus: number;
  loadAverage: number[];
  database: 'embedded' | 'external';
  serverVersion: string;
  loadSeconds: number;
  cones: VoConeResult[];
  streamHttp: VoStreamResult[];
  streamDirect: StreamBenchResult[];
}

export async function runVoBench(opts: VoBenchOptions = {}): Promise<VoBenchReport> {
  const log = opts.log ?? (() => {});
  const shape: FindShape = { rows: opts.records ?? DEFAULT_VO_RECORDS, ...DEFAULT_FIND_SHAPE };
  const fields = makeFields(shape);
  const server = await openBenchDatabase(opts.databaseUrl, opts.keep ?? false, log);
  let listening: http.Server | undefined;
  let stopApp: (() => Promise<void>) | undefined;
  try {
    const { database } = server;
    await migrate(database.pool);
    const serverVersion = (await database.pool.query('SHOW server_version')).rows[0].server_version;
    const release = await createRelease(database.pool, shape.rows);
    const dropped = [...(await dropSecondaryIndexes(database.pool, 'records')), ...(await dropSecondaryIndexes(database.pool, 'files'))];
    log(`loading ${shape.rows.toLocaleString('en')} records into ${serverVersion} ...`);
    const loadSeconds = await loadRows(database.pool, shape, fields, release, { files: true, log, label: 'vo' });
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    try {
      await admin.query('VACUUM (ANALYZE) records, files, sources');
      await admin.query(`SET maintenance_work_mem = '512MB'`);
      await buildIndexes(admin, dropped);
      await admin.query('ANALYZE records');
    } finally {
      await admin.end();
    }
    log(`loaded in ${loadSeconds.toFixed(1)} s, indexes built`);

    const home = os.tmpdir();
    const config = loadConfig({ ARCHIVE_HOME: home, ARCHIVE_DATA_ROOT: home, ARCHIVE_TAP_MAXREC_LIMIT: String(STREAM_ROWS), ARCHIVE_TAP_SYNC_TIMEOUT_MS: '600000' }, home);
    const app = await createHttpApp({ database, config, logger: createLogger('silent') });
    stopApp = app.stop;
    listening = http.createServer(app.app);
    await new Promise<void>((resolve) => listening!.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(listening.address() as AddressInfo).port}`;

    const cones = await timeCones(base, database.pool, fields, shape, opts.cones ?? DEFAULT_VO_CONES, log);
    const streamHttp: VoStreamResult[] = [];
    const n = Math.min(STREAM_ROWS, shape.rows);
    for (const format of ['votable/b2', 'votable']) streamHttp.push(await timeStream(base, format, n, log));
    const streamDirect = await benchVoStream(database.pool, { rows: STREAM_ROWS, log: (m) => log(`streamQuery alone, ${m}`) });
    return {
      records: shape.rows,
      node: process.version,
      cpus: os.availableParallelism(),
      loadAverage: os.loadavg().map((x) => round(x, 2)),
      database: opts.databaseUrl ? 'external' : 'embedded',
      serverVersion,
      loadSeconds: round(loadSeconds, 1),
      cones,
      streamHttp,
      streamDirect,
    };
  } finally {
    if (listening) {
      listening.closeAllConnections();
      await new Promise((resolve) => listening!.close(resolve));
    }
    await stopApp?.();
    await server.close();
  }
}

/** The cones, TAP / GraphQL / SQL / SCS alternating cone by cone, after one untimed pass. */
async function timeCones(base: string, pool: pg.Pool, fields: ReturnType<typeof makeFields>, shape: FindShape, perRadius: number, log: (m: string) => void): Promise<VoConeResult[]> {
  const random = rng(shape.seed + 14);
  const client = await pool.connect();
  const results: VoConeResult[] = [];
  try {
    for (const radius of RADII) {
      const cones: Cone[] = [];
      for (let i = 0; i < perRadius; i++) {
        const [ra, dec] = i % 2 === 0 ? pointInField(fields[Math.floor(random() * fields.length)], random) : uniformPosition(random);
        cones.push({ ra, dec, radius: radius.deg });
      }
      const ways = {
        tap: (c: Cone) => tapCone(base, c),
        graphql: (c: Cone) => graphqlCone(base, c),
        sql: async (c: Cone) => (await client.query(coneStatement(c).text, coneStatement(c).values)).rowCount ?? 0,
        scs: (c: Cone) => scsCone(base, c),
      };
      for (const c of cones) for (const way of Object.values(ways)) await way(c); // warm
      const times: Record<keyof typeof ways, { ms: number; rows: number }[]> = { tap: [], graphql: [], sql: [], scs: [] };
      for (const c of cones) {
        for (const [name, way] of Object.entries(ways) as [keyof typeof ways, (c: Cone) => Promise<number>][]) {
          const t = performance.now();
          const rows = await way(c);
          times[name].push({ ms: performance.now() - t, rows });
        }
      }
      const r: VoConeResult = {
        radius: radius.label,
        tap: percentiles(times.tap),
        graphql: percentiles(times.graphql),
        sql: percentiles(times.sql),
        scs: percentiles(times.scs),
        tapOverGraphql: 0,
        tapOverSql: 0,
      };
      r.tapOverGraphql = round(r.tap.p50 / r.graphql.p50, 2);
      r.tapOverSql = round(r.tap.p50 / r.sql.p50, 2);
      log(`cone ${radius.label}: TAP p50 ${r.tap.p50} ms | GraphQL ${r.graphql.p50} ms | SQL ${r.sql.p50} ms | SCS ${r.scs.p50} ms | TAP/GraphQL x${r.tapOverGraphql}, rows p50 ${r.tap.rowsP50}`);
      results.push(r);
    }
  } finally {
    client.release();
  }
  return results;
}

async function tapCone(base: string, c: Cone): Promise<number> {
  const query = `SELECT TOP ${PAGE} obs_id, s_ra, s_dec, dataproduct_type, t_min, t_max, em_min, em_max FROM ivoa.obscore WHERE CONTAINS(POINT('ICRS', s_ra, s_dec), CIRCLE('ICRS', ${c.ra}, ${c.dec}, ${c.radius})) = 1`;
  const res = await fetch(`${base}/tap/sync?${new URLSearchParams({ LANG: 'ADQL', QUERY: query })}`);
  const body = await res.text();
  if (res.status !== 200) throw new Error(`TAP cone: HTTP ${res.status}: ${body.slice(0, 300)}`);
  return (body.match(/<TR>/g) ?? []).length;
}

async function graphqlCone(base: string, c: Cone): Promise<number> {
  const res = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      query: `query($cone: ConeInput!) { records(filter: { cone: $cone }, first: ${PAGE}) { edges { distance node { id obsId dataproductType tMin tMax emMin emMax } } } }`,
      variables: { cone: c },
    }),
  });
  const body = (await res.json()) as { data?: { records: { edges: unknown[] } }; errors?: unknown };
  if (!body.data) throw new Error(`GraphQL cone: ${JSON.stringify(body.errors).slice(0, 300)}`);
  return body.data.records.edges.length;
}

async function scsCone(base: string, c: Cone): Promise<number> {
  const res = await fetch(`${base}/scs?${new URLSearchParams({ RA: String(c.ra), DEC: String(c.dec), SR: String(c.radius) })}`);
  const body = await res.text();
  if (res.status !== 200) throw new Error(`SCS: HTTP ${res.status}: ${body.slice(0, 300)}`);
  return (body.match(/<TR>/g) ?? []).length;
}

/** `n` rows of ivoa.obscore through /tap/sync, read by a client that only counts bytes. */
async function timeStream(base: string, format: string, n: number, log: (m: string) => void): Promise<VoStreamResult> {
  const query = `SELECT TOP ${n} obs_id, obs_publisher_did, dataproduct_type, calib_level, s_ra, s_dec, s_fov, t_min, t_max, em_min, em_max, obs_collection FROM ivoa.obscore`;
  const rssBefore = process.memoryUsage().rss;
  let peak = rssBefore;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const t = performance.now();
  let bytes = 0;
  try {
    const res = await fetch(`${base}/tap/sync?${new URLSearchParams({ LANG: 'ADQL', QUERY: query, MAXREC: String(n), RESPONSEFORMAT: format })}`);
    if (res.status !== 200 || !res.body) throw new Error(`TAP stream: HTTP ${res.status}: ${(await res.text()).slice(0, 300)}`);
    let tail = '';
    for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
      bytes += chunk.length;
      tail = Buffer.from(chunk.subarray(Math.max(0, chunk.length - 300))).toString('latin1');
    }
    if (!/QUERY_STATUS" value="(OK|OVERFLOW)"/.test(tail) && !tail.includes('</VOTABLE>')) throw new Error(`TAP stream ended badly: ...${tail}`);
  } finally {
    clearInterval(timer);
  }
  const seconds = (performance.now() - t) / 1000;
  const r = { format, rows: n, bytes, seconds: round(seconds, 2), rowsPerSecond: Math.round(n / seconds), rssBeforeMb: round(rssBefore / 1e6, 0), rssPeakMb: round(peak / 1e6, 0) };
  log(`TAP stream ${format}: ${n.toLocaleString('en')} rows in ${r.seconds} s = ${r.rowsPerSecond.toLocaleString('en')} rows/s, ${(bytes / 1e6).toFixed(0)} MB, RSS ${r.rssBeforeMb} -> peak ${r.rssPeakMb} MB`);
  return r;
}

function percentiles(xs: { ms: number; rows: number }[]): Percentiles {
  const ms = xs.map((x) => x.ms).sort((p, q) => p - q);
  const rows = xs.map((x) => x.rows).sort((p, q) => p - q);
  const at = (s: number[], q: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
  return { n: xs.length, p50: round(at(ms, 0.5), 2), p95: round(at(ms, 0.95), 2), rowsP50: at(rows, 0.5) };
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

export function formatVoReport(r: VoBenchReport): string {
  const lines = [
    `IVOA services on ${r.records.toLocaleString('en')} records (${r.database} PostgreSQL ${r.serverVersion}, Node ${r.node}, ${r.cpus} CPUs, load ${r.loadAverage.join(' ')}); loaded in ${r.loadSeconds} s`,
    '',
    "Cones (anonymous, TOP/first 50, alternating cone by cone; ms):",
    '  radius   TAP p50/p95      GraphQL p50/p95  SQL p50/p95      SCS p50/p95      TAP/GraphQL  TAP/SQL',
  ];
  for (const c of r.cones) {
    const f = (p: Percentiles) => `${p.p50.toFixed(2)}/${p.p95.toFixed(2)}`.padEnd(17);
    lines.push(`  ${c.radius.padEnd(8)} ${f(c.tap)}${f(c.graphql)}${f(c.sql)}${f(c.scs)}${`x${c.tapOverGraphql}`.padEnd(13)}x${c.tapOverSql}`);
  }
  lines.push('', 'TAP results through /tap/sync (client counts bytes):');
  for (const s of r.streamHttp) lines.push(`  ${s.format.padEnd(12)} ${s.rows.toLocaleString('en')} rows in ${s.seconds} s = ${s.rowsPerSecond.toLocaleString('en')} rows/s, ${(s.bytes / 1e6).toFixed(0)} MB, RSS ${s.rssBeforeMb} -> peak ${s.rssPeakMb} MB`);
  lines.push('streamQuery alone (generated rows, no HTTP):');
  for (const s of r.streamDirect) lines.push(`  ${s.format.padEnd(16)} ${s.rows.toLocaleString('en')} rows = ${Math.round(s.rowsPerSecond).toLocaleString('en')} rows/s, peak RSS ${(s.peakRssBytes / 1e6).toFixed(0)} MB`);
  lines.push('', 'Targets: TAP cone within 2x of the GraphQL/SQL cone; >= 200,000 rows/s BINARY2, >= 100,000 rows/s TABLEDATA, flat memory; SCS p50 <= 10 ms.');
  return lines.join('\n') + '\n';
}
