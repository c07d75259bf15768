/**
 * `astroarchive bench --api`: our GraphQL API against PostGraphile 5 on one database.
 *
 * How, and why so:
 * - One fresh database (src/bench/bench-database.ts openBenchDatabase), one published release written by
 *   the real ingest (dataset.ts). Both servers read the same rows.
 * - Each server is a child process (servers.ts): RSS is per server; the bench process (which
 *   runs autocannon) is billed to neither.
 * - Before anything is timed, both answer each query once and the answers, normalised
 *   (queries.ts), must be equal: a faster server that returns less is not faster. A query
 *   whose answers differ, or that either side answers with errors, is reported and not timed.
 * - Statements per request: ours from `x-astroarchive-trace: 1`, PostGraphile's from its
 *   process' pg query counter, at the issue's page size and at 10 (flat = equal).
 * - Timing per query: an untimed warm-up of each server (JIT), the unloaded p50 (requests one
 *   at a time, alternating), then `rounds` pairs of autocannon runs (10 connections,
 *   `seconds` each) alternating ours, theirs, ours, theirs...: a VM whose speed drifts from
 *   minute to minute hits both sides alike, and each pair gives one ratio. After each run the
 *   bench waits for the server to go idle: requests autocannon left in flight at its deadline
 *   are still computed, and must not be billed to the other server's run.
 * - CPU per request: the server process's user + system time over each run (/proc), divided
 *   by the requests it answered: on a shared machine, wall-clock req/s drift with the
 *   neighbours' load, while the CPU a request costs the server barely does.
 * - Memory: VmRSS of each child sampled every 100 ms while it is loaded (per query), and its
 *   VmHWM (peak since start) at the end.
 */
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import autocannon from 'autocannon';
import { migrate } from '../../db/migrate.js';
import type { ReleaseShape } from '../generate.js';
import { openBenchDatabase } from '../bench-database.js';
import { API_SHAPE, loadApiDataset, type ApiDataset } from './dataset.js';
import { benchQueries, type BenchQuery, type GraphQLBody, type QueryName } from './queries.js';
import { procCpuSeconds, startOurs, startPostGraphile, waitUntilIdle, type BenchServer, type Side } from './servers.js';

export interface ApiBenchOptions {
  /** Generate the release's files here, or reuse them (a temp directory otherwise). */
  dir?: string;
  keep?: boolean;
  /** External server: a uniquely named database is created on it and dropped after. */
  databaseUrl?: string;
  /** Seconds per autocannon run (default 15). */
  seconds?: number;
  /** Pairs of runs per query (default 3: A B A B A B). */
  rounds?: number;
  connections?: number;
  /** Requests one at a time per server for the unloaded p50 (default 30). */
  unloaded?: number;
  /** The release (tests make it small). */
  shape?: ReleaseShape;
  /** Extra environment for our server (on top of the bench's own, which it inherits). */
  serverEnv?: Record<string, string>;
  /** Only these queries (default all three, in order): a short A/B of one query. */
  queries?: QueryName[];
  log?: (m: string) => void;
}

export interface LoadRun {
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  non2xx: number;
  errors: number;
  /**
   * CPU (user + system) the server process used per answered request over the run, including
   * the requests it finished after autocannon stopped, in ms: what the request costs the
   * server, however busy the machine (PostgreSQL's backends are not included).
   */
  cpuMsPerRequest: number;
}

export interface SideResult {
  /** One per round, in the order run. */
  runs: LoadRun[];
  /** Medians over the rounds. */
  rps: number;
  p50: number;
  p99: number;
  cpuMsPerRequest: number;
  unloadedP50: number;
  /** Statements of one request at the query's page size, and at SMALL_PAGE. */
  statements: number | null;
  statementsSmallPage: number | null;
  /** Max sampled VmRSS while this server was loaded with this query, MB. */
  peakRssMb: number;
}

export interface ApiQueryResult {
  name: QueryName;
  title: string;
  pageSize: number | null;
  /** Both servers returned equal data (normalised) for the query. */
  sameData: boolean;
  /** Why the query was not timed (different data, errors), when it was not. */
  problem?: string;
  ours?: SideResult;
  theirs?: SideResult;
  /** ours req/s / theirs req/s, per pair, in order; and their median. */
  ratios: number[];
  medianRatio: number | null;
}

export interface ApiBenchReport {
  node: string;
  cpus: number;
  /** os.loadavg() before the dataset and after the last run: how busy the machine was. */
  loadAverage: { before: number[]; after: number[] };
  database: 'embedded' | 'external';
  dataset: { releaseId: number; files: number; shape: ReleaseShape; q3FileId: number; ingestSeconds: number };
  settings: { seconds: number; rounds: number; connections: number; unloaded: number; warmupSeconds: number; smallPage: number };
  /** ARCHIVE_* settings our server ran with that are not its defaults (e.g. GraphQL limits). */
  oursEnv: Record<string, string>;
  servers: Record<Side, { label: string; pid: number; hwmMb: number | null }>;
  statementsMethod: Record<Side, string>;
  results: ApiQueryResult[];
  dir: string;
}

/** The page size at which statements are counted again: flat in the page size = equal. */
export const SMALL_PAGE = 10;

export async function runApiBench(opts: ApiBenchOptions = {}): Promise<ApiBenchReport> {
  const log = opts.log ?? (() => {});
  const seconds = opts.seconds ?? 15;
  const rounds = opts.rounds ?? 3;
  const connections = opts.connections ?? 10;
  const unloaded = opts.unloaded ?? 30;
  const warmupSeconds = Math.min(3, seconds);
  const shape = opts.shape ?? API_SHAPE;
  const loadBefore = os.loadavg();
  const temp = !opts.dir;
  const root = opts.dir ? path.resolve(opts.dir) : fs.mkdtempSync(path.join(os.tmpdir(), 'astroarchive-api-bench-'));
  fs.mkdirSync(root, { recursive: true });
  const db = await openBenchDatabase(opts.databaseUrl, opts.keep ?? false, log);
  const servers: BenchServer[] = [];
  let sampler: NodeJS.Timeout | undefined;
  try {
    await migrate(db.database.pool);
    const dataset = await loadApiDataset(db.database, root, shape, log);
    log('starting astroarchive serve and PostGraphile 5 (child processes) ...');
    const ours = await startOurs(db.database.url, root, opts.serverEnv);
    servers.push(ours);
    const theirs = await startPostGraphile(db.database.url);
    servers.push(theirs);
    log(`  ours: ${ours.url} (pid ${ours.pid}); PostGraphile: ${theirs.url} (pid ${theirs.pid})`);

    // Which server is under load now, and the highest RSS seen for it in this phase.
    let loaded: BenchServer | undefined;
    let peak = 0;
    sampler = setInterval(() => {
      if (loaded) peak = Math.max(peak, loaded.memory()?.rssMb ?? 0);
    }, 100);
    const load = async (server: BenchServer, body: GraphQLBody, duration: number): Promise<LoadRun> => {
      loaded = server;
      try {
        const cpuBefore = procCpuSeconds(server.pid) ?? NaN;
        const r = await autocannon({
          url: server.url,
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
          connections,
          duration,
          timeout: 60,
        });
        await waitUntilIdle(server.pid);
        const cpu = (procCpuSeconds(server.pid) ?? NaN) - cpuBefore;
        peak = Math.max(peak, server.memory()?.rssMb ?? 0);
        return {
          rps: round(r['2xx'] / Math.max(r.duration, 1e-9), 1),
          p50: r.latency.p50,
          p99: r.latency.p99,
          requests: r['2xx'],
          non2xx: r.non2xx,
          errors: r.errors + r.timeouts,
          // Requests finished after the deadline are not in r['2xx'] but their CPU is in `cpu`:
          // at most `connections` of them, a small bias against the server measured.
          cpuMsPerRequest: round((1000 * cpu) / Math.max(r['2xx'], 1), 3),
        };
      } finally {
        loaded = undefined;
      }
    };

    const results: ApiQueryResult[] = [];
    const all = benchQueries({ releaseId: dataset.releaseId, fileId: dataset.spectrumFileId });
    for (const q of opts.queries ? all.filter((x) => opts.queries!.includes(x.name)) : all) {
      const problem = await compare(q, ours, theirs, dataset);
      if (problem) {
        log(`${q.name}: NOT TIMED: ${problem}`);
        results.push({ name: q.name, title: q.title, pageSize: q.pageSize ?? null, sameData: false, problem, ratios: [], medianRatio: null });
        continue;
      }
      log(`${q.name}: same data from both; warming up and timing (${rounds} x A B, ${seconds} s each) ...`);
      const side = async (server: BenchServer, body: (n?: number) => GraphQLBody) => ({
        statements: (await server.statements(body())) ?? null,
        statementsSmallPage: q.pageSize ? ((await server.statements(body(SMALL_PAGE))) ?? null) : null,
      });
      const counts = { ours: await side(ours, q.ours), theirs: await side(theirs, q.theirs) };
      await load(ours, q.ours(), warmupSeconds);
      await load(theirs, q.theirs(), warmupSeconds);
      const singles: Record<Side, number[]> = { ours: [], theirs: [] };
      for (let i = 0; i < unloaded; i++) {
        singles.ours.push((await ours.post(q.ours())).ms);
        singles.theirs.push((await theirs.post(q.theirs())).ms);
      }
      const runs: Record<Side, LoadRun[]> = { ours: [], theirs: [] };
      const peaks = { ours: 0, theirs: 0 };
      for (let r = 0; r < rounds; r++) {
        for (const [s, server, body] of [['ours', ours, q.ours()], ['theirs', theirs, q.theirs()]] as const) {
          peak = 0;
          const run = await load(server, body, seconds);
          peaks[s] = Math.max(peaks[s], peak);
          runs[s].push(run);
          log(`  ${q.name} round ${r + 1} ${s}: ${run.rps} req/s, p50 ${run.p50} ms, p99 ${run.p99} ms, ${run.cpuMsPerRequest} ms CPU/request${run.non2xx || run.errors ? `, ${run.non2xx} non-2xx, ${run.errors} errors` : ''}`);
        }
      }
      const summarise = (s: Side): SideResult => ({
        runs: runs[s],
        rps: median(runs[s].map((x) => x.rps)),
        p50: median(runs[s].map((x) => x.p50)),
        p99: median(runs[s].map((x) => x.p99)),
        cpuMsPerRequest: median(runs[s].map((x) => x.cpuMsPerRequest)),
        unloadedP50: round(median(singles[s]), 2),
        ...counts[s],
        peakRssMb: round(peaks[s], 1),
      });
      const ratios = runs.ours.map((o, i) => round(o.rps / Math.max(runs.theirs[i].rps, 1e-9), 3));
      results.push({ name: q.name, title: q.title, pageSize: q.pageSize ?? null, sameData: true, ours: summarise('ours'), theirs: summarise('theirs'), ratios, medianRatio: median(ratios) });
    }
    const hwm = (s: BenchServer) => {
      const m = s.memory();
      return m ? round(m.hwmMb, 1) : null;
    };
    return {
      node: process.version,
      cpus: os.availableParallelism(),
      loadAverage: { before: loadBefore.map((x) => round(x, 2)), after: os.loadavg().map((x) => round(x, 2)) },
      database: opts.databaseUrl ? 'external' : 'embedded',
      dataset: { releaseId: dataset.releaseId, files: dataset.files, shape, q3FileId: dataset.spectrumFileId, ingestSeconds: round(dataset.ingestSeconds, 1) },
      settings: { seconds, rounds, connections, unloaded, warmupSeconds, smallPage: SMALL_PAGE },
      oursEnv: Object.fromEntries(
        Object.entries({ ...process.env, ...opts.serverEnv }).filter(
          (e): e is [string, string] => /^ARCHIVE_GRAPHQL_/.test(e[0]) && typeof e[1] === 'string',
        ),
      ),
      servers: {
        ours: { label: ours.label, pid: ours.pid, hwmMb: hwm(ours) },
        theirs: { label: theirs.label, pid: theirs.pid, hwmMb: hwm(theirs) },
      },
      statementsMethod: {
        ours: 'extensions.sqlQueries of one request sent with x-astroarchive-trace: 1',
        theirs: "pg Client#query calls in PostGraphile's process during one request",
      },
      results,
      dir: root,
    };
  } finally {
    clearInterval(sampler);
    for (const s of servers.reverse()) await s.stop().catch(() => {});
    await db.close();
    if (temp && !opts.keep) fs.rmSync(root, { recursive: true, force: true });
  }
}

/** Both sides answer once; undefined when their data are equal, else what is wrong. */
async function compare(q: BenchQuery, ours: BenchServer, theirs: BenchServer, dataset: ApiDataset): Promise<string | undefined> {
  const [a, b] = [(await ours.post(q.ours())).json, (await theirs.post(q.theirs())).json];
  if (a.errors?.length) return `ours answered with errors: ${a.errors.map((e: { message: string }) => e.message).join('; ')}`;
  if (b.errors?.length) return `PostGraphile answered with errors: ${b.errors.map((e: { message: string }) => e.message).join('; ')}`;
  const [na, nb] = [q.normaliseOurs(a.data), q.normaliseTheirs(b.data)];
  if (na == null || (Array.isArray(na) && na.length === 0)) return `ours returned no data (release ${dataset.releaseId}, file ${dataset.spectrumFileId})`;
  if (!isDeepStrictEqual(na, nb)) return `the answers differ: ${firstDifference(na, nb)}`;
  return undefined;
}

/** Where two JSON values first differ, as a path and both values (shortened). */
export function firstDifference(a: unknown, b: unknown, at = '$'): string {
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) {
      const [x, y] = [(a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]];
      if (!isDeepStrictEqual(x, y)) return firstDifference(x, y, `${at}.${k}`);
    }
  }
  const show = (v: unknown) => JSON.stringify(v)?.slice(0, 120);
  return `${at}: ours ${show(a)}, PostGraphile ${show(b)}`;
}

function median(xs: number[]): number {
  const s = [...xs].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
