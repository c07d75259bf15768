/**
 * The project's own benchmark (issue 4): ingest a synthetic release end to end on a fresh
 * database and measure what the contract promises.
 *
 * - Each kind is its own release directory and its own run, so files/s is per kind and is
 *   measured from the `submitIngest` call to the run's `finished_at`.
 * - Statements: the run's own `queries` column (scan + batches), and every statement through
 *   the instrumented pool (`astroarchive_db_queries_total`, all origins) between submit and
 *   end, which adds graphile-worker's own statements (fetching, completing jobs, polling).
 *   Completion is detected on a separate, uninstrumented connection so it is not counted.
 * - Stages: the run's `stage_seconds` (summed over batches; per-file stages are thread time).
 * - Memory: `process.resourceUsage().maxRSS` (the process' peak so far) and the max of
 *   `process.memoryUsage().rss` sampled every 50 ms during the run. PostgreSQL is a separate
 *   process and not included.
 * - I/O floor: the same files, page cache warm, through a fresh analysis pool of the same
 *   size (read + checksum + FITS structure/checks, no database) fed by the same streamed
 *   scan in batches of the same size, the same number of batches in flight. ingest/floor is
 *   what the database side costs on top.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { Database } from '../db/client.js';
import { migrate } from '../db/migrate.js';
import { createAnalysisPool, type AnalysisPool } from '../ingest/analyze/pool.js';
import { DEFAULT_INGEST_SETTINGS, type IngestSettings } from '../ingest/settings.js';
import { submitIngest } from '../ingest/submit.js';
import { createLogger } from '../log.js';
import { ActivityBoard } from '../monitor/activity.js';
import { dbQueries } from '../monitor/metrics.js';
import { startWorker, type RunningWorker } from '../worker/runner.js';
import { openBenchDatabase } from './bench-database.js';
import { generateRelease, type ReleaseShape } from './generate.js';
import { measureFloor, warm, warmThreads } from './floor.js';
import { cpuSince, sampleCpu } from './cpu.js';

export const KINDS = ['spectra', 'cubes', 'images', 'catalogues', 'blobs'] as const;
export type BenchKind = (typeof KINDS)[number];

/** Files per kind, and distinct source names. */
export type BenchCounts = Required<Pick<ReleaseShape, BenchKind | 'sources'>>;

export const DEFAULT_COUNTS: BenchCounts = { spectra: 20_000, cubes: 200, images: 300, catalogues: 200, blobs: 20_000, sources: 5_000 };
export const SCALE_SIZES = [1_000, 10_000, 100_000];
export const MILLION = 1_000_000;

export interface BenchOptions {
  /** Reuse (or generate into) this directory; a temp directory otherwise. */
  dir?: string;
  /** Keep generated files and the temporary ARCHIVE_HOME / database. */
  keep?: boolean;
  /** Batch jobs at once in the worker (startWorker's default when unset). */
  concurrency?: number;
  batchSize?: number;
  /** External server: a uniquely named database is created on it and dropped after. */
  databaseUrl?: string;
  log?: (msg: string) => void;
  /** Skip the untimed warm-up ingest: measure a just-started process (JIT still cold). */
  cold?: boolean;
  /** The warm-up release's shape (tests make it tiny). */
  warmupShape?: ReleaseShape;
}

/** The untimed warm-up release: every kind, enough files for V8 to optimise the hot paths. */
const WARMUP_SHAPE: ReleaseShape = { spectra: 3_000, cubes: 20, images: 30, catalogues: 20, blobs: 3_000, sources: 500 };

export interface KindResult {
  kind: string;
  files: number;
  bytes: number;
  status: string;
  seconds: number;
  filesPerSecond: number;
  /** The run's own statements (its `queries` column). */
  runStatements: number;
  runStatementsPerFile: number;
  /** Every statement through the pool between submit and the run's end (graphile-worker's included). */
  allStatements: number;
  allStatementsPerFile: number;
  stageSeconds: Record<string, number>;
  /** Max sampled process RSS during the run, MB. */
  peakRssMb: number;
  floor: { seconds: number; filesPerSecond: number; scanSeconds: number; analyzeSeconds: number };
  /** Ingest seconds / floor seconds. */
  ingestOverFloor: number;
  counts: { ingested: number; invalid: number; failed: number; skipped: number };
  /** CPU per file during the run (submit to the last job's end), microseconds: this process (all threads) and its embedded PostgreSQL (null: external). */
  cpuUsPerFile: { process: number; postgres: number | null };
}

export interface BenchReport {
  mode: 'kinds' | 'scale';
  node: string;
  cpus: number;
  database: 'embedded' | 'external';
  settings: { batchSize: number; concurrency: number | 'default'; analysisThreads: number };
  pageCache: string;
  /** 'warm': an untimed ingest ran first in the same process, as in a long-running worker. */
  jit: string;
  /** What the database was made to finish before each timed run. */
  databaseState: string;
  results: KindResult[];
  /** Process peak RSS over the whole benchmark (generation included), MB. */
  maxRssMb: number;
  dir: string;
  kept: boolean;
}

interface Target {
  label: string;
  kind: BenchKind;
  files: number;
  /** Directory of the release (what is submitted), and the data root it lies in. */
  releaseDir: string;
}

/** `astroarchive bench`: one run per kind with a non-zero count. */
export async function runBench(counts: BenchCounts, opts: BenchOptions = {}): Promise<BenchReport> {
  const log = opts.log ?? (() => {});
  const { root, temp } = benchRoot(opts.dir);
  const targets: Target[] = [];
  for (const kind of KINDS) {
    if (counts[kind] > 0) targets.push(prepare(root, kind, counts[kind], counts.sources, log));
  }
  return measure('kinds', root, temp, targets, opts);
}

/** `astroarchive bench --scale`: spectra at each size, one run each. */
export async function runScale(sizes: number[], sources: number, opts: BenchOptions = {}): Promise<BenchReport> {
  const log = opts.log ?? (() => {});
  const { root, temp } = benchRoot(opts.dir);
  const targets = sizes.map((n) => ({ ...prepare(root, 'spectra', n, sources, log), label: `spectra@${n}` }));
  return measure('scale', root, temp, targets, opts);
}

function benchRoot(dir: string | undefined): { root: string; temp: boolean } {
  if (dir) {
    fs.mkdirSync(dir, { recursive: true });
    // The analysis refuses a file whose directory's real path is not the one the run recorded
    // (a link swapped in): a --dir reached through a symlink must be resolved here.
    return { root: fs.realpathSync(dir), temp: false };
  }
  return { root: fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'astroarchive-bench-'))), temp: true };
}

/**
 * `<root>/<kind>-<n>/` holds one kind only; `<root>/<kind>-<n>.json` (outside the release,
 * so it is not ingested) says it was generated completely, and it is then reused.
 */
function prepare(root: string, kind: BenchKind, n: number, sources: number, log: (m: string) => void): Target {
  const shape: ReleaseShape = { spectra: 0, cubes: 0, images: 0, catalogues: 0, blobs: 0, sources, [kind]: n };
  return { label: kind, kind, files: n, releaseDir: generateOnce(root, `${kind}-${n}`, shape, log) };
}

/** The warm-up release (several kinds; `kind` is only a label here). */
function prepareWarmup(root: string, shape: ReleaseShape, log: (m: string) => void): Target {
  return { label: 'warm-up', kind: 'spectra', files: shapeFiles(shape), releaseDir: generateOnce(root, 'warmup', shape, log) };
}

function shapeFiles(shape: ReleaseShape): number {
  return KINDS.reduce((n, k) => n + shape[k], 0);
}

export function generateOnce(root: string, name: string, shape: ReleaseShape, log: (m: string) => void): string {
  const releaseDir = path.join(root, name);
  const marker = path.join(root, `${name}.json`);
  const want = JSON.stringify({ shape, version: 1 });
  if (fs.existsSync(marker) && fs.readFileSync(marker, 'utf8') === want && fs.existsSync(releaseDir)) {
    log(`reusing ${releaseDir}`);
  } else {
    fs.rmSync(releaseDir, { recursive: true, force: true });
    fs.rmSync(marker, { force: true });
    const t = performance.now();
    log(`generating ${shapeFiles(shape)} files in ${releaseDir} ...`);
    const g = generateRelease(releaseDir, shape);
    fs.writeFileSync(marker, want);
    log(`  ${g.files} files, ${(g.bytes / 1e6).toFixed(1)} MB in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  return releaseDir;
}

async function measure(mode: BenchReport['mode'], root: string, temp: boolean, targets: Target[], opts: BenchOptions): Promise<BenchReport> {
  const log = opts.log ?? (() => {});
  const settings: IngestSettings = { ...DEFAULT_INGEST_SETTINGS, ...(opts.batchSize ? { batchSize: opts.batchSize } : {}) };
  const server = await openBenchDatabase(opts.databaseUrl, opts.keep ?? false, log);
  let worker: RunningWorker | undefined;
  let floorPool: AnalysisPool | undefined;
  const watcher = new pg.Client({ connectionString: server.database.url }); // uninstrumented
  const results: KindResult[] = [];
  try {
    await migrate(server.database.pool);
    await watcher.connect();
    worker = await startWorker({
      pool: server.database.pool,
      logger: createLogger(process.env.LOG_LEVEL ?? 'warn'),
      activity: new ActivityBoard(),
      settings,
      concurrency: opts.concurrency,
    });
    const threads = worker.analysis.size;
    const inFlight = opts.concurrency ?? 4; // startWorker's default concurrency
    // A worker runs for days; what it does per file once V8 has optimised its hot paths is
    // the figure that matters, not the first seconds of a new process (measured: the JIT's
    // background compiles alone were ~50 us per spectrum over a 20,000-file cold run).
    // So one untimed ingest of a small mixed release runs first, in the same process, through
    // the same worker; and the floor's pool analyses it before its timed pass.
    const warmup = opts.cold ? undefined : prepareWarmup(root, opts.warmupShape ?? WARMUP_SHAPE, log);
    if (warmup) {
      log('warm-up: one untimed ingest of a mixed release (JIT, caches) ...');
      await warm(warmup.releaseDir);
      await ingestOnce(server.database, watcher, root, warmup, `warmup-${Date.now()}`);
    }
    for (const target of targets) {
      log(`${target.label}: warming the page cache (reading every file once) and the analysis threads ...`);
      const bytes = await warm(target.releaseDir);
      await warmThreads(worker.analysis, target.releaseDir);
      // The floor's own pool lives only while the floor is measured, so that the ingest's
      // sampled RSS is that of an ingest process (main thread + its analysis threads) alone.
      floorPool = createAnalysisPool(threads);
      await warmThreads(floorPool, target.releaseDir);
      if (warmup) await measureFloor(floorPool, warmup.releaseDir, settings.batchSize, inFlight);
      log(`${target.label}: I/O floor (scan + analysis pool, no database) ...`);
      const floor = await measureFloor(floorPool, target.releaseDir, settings.batchSize, inFlight);
      await floorPool.close();
      floorPool = undefined;
      // The previous run's aftermath (autovacuum of its tens of thousands of new rows, the
      // checkpoint its WAL triggers) must not be billed to this run: measured, blobs after
      // spectra ran at ~14,000 files/s against ~25,000 on their own. Settle it first, untimed.
      await settle(watcher);
      log(`${target.label}: ingest ...`);
      const ingest = await ingestOnce(server.database, watcher, root, target, `${mode}-${target.kind}-${target.files}-${Date.now()}`);
      const r: KindResult = {
        kind: target.label,
        files: ingest.files,
        bytes,
        status: ingest.status,
        seconds: round(ingest.seconds, 3),
        filesPerSecond: Math.round(ingest.files / ingest.seconds),
        runStatements: ingest.runStatements,
        runStatementsPerFile: round(ingest.runStatements / Math.max(1, ingest.files), 5),
        allStatements: ingest.allStatements,
        allStatementsPerFile: round(ingest.allStatements / Math.max(1, ingest.files), 5),
        stageSeconds: ingest.stageSeconds,
        peakRssMb: round(ingest.peakRss / 1048576, 1),
        floor: {
          seconds: round(floor.seconds, 3),
          filesPerSecond: Math.round(floor.files / floor.seconds),
          scanSeconds: round(floor.scanSeconds, 3),
          analyzeSeconds: round(floor.seconds - floor.scanSeconds, 3),
        },
        ingestOverFloor: round(ingest.seconds / floor.seconds, 2),
        counts: ingest.counts,
        cpuUsPerFile: {
          process: round((ingest.cpu.processMs * 1000) / Math.max(1, ingest.files), 1),
          postgres: ingest.cpu.postgresMs === null ? null : round((ingest.cpu.postgresMs * 1000) / Math.max(1, ingest.files), 1),
        },
      };
      results.push(r);
      log(`${target.label}: ${r.filesPerSecond} files/s (floor ${r.floor.filesPerSecond}/s, ×${r.ingestOverFloor}), ${r.runStatementsPerFile} statements/file, CPU ${r.cpuUsPerFile.process} us/file in this process + ${r.cpuUsPerFile.postgres ?? '?'} in PostgreSQL`);
    }
    return {
      mode,
      node: process.version,
      cpus: os.availableParallelism(),
      database: opts.databaseUrl ? 'external' : 'embedded',
      settings: { batchSize: settings.batchSize, concurrency: opts.concurrency ?? 'default', analysisThreads: threads },
      pageCache: 'warm: every file was read once before the floor and the ingest were timed',
      databaseState: 'settled: VACUUM (ANALYZE) and a CHECKPOINT before each timed run (untimed)',
      jit: warmup
        ? `warm: an untimed ingest of a ${warmup.files.toLocaleString('en')}-file mixed release ran first in this process (as in a long-running worker); --cold to skip it`
        : 'cold: the timed runs are the process\'s first (--cold)',
      results,
      maxRssMb: round((process.resourceUsage().maxRSS * 1024) / 1048576, 1),
      dir: root,
      kept: !temp || (opts.keep ?? false),
    };
  } finally {
    await worker?.stop().catch(() => {});
    await floorPool?.close().catch(() => {});
    await watcher.end().catch(() => {});
    await server.close();
    if (temp && !opts.keep) fs.rmSync(root, { recursive: true, force: true });
  }
}

async function totalStatements(): Promise<number> {
  const { values } = await dbQueries.get();
  return values.reduce((a, v) => a + v.value, 0);
}

/** Finish what earlier runs left to the background: vacuum and analyse, then a checkpoint. */
async function settle(client: pg.Client): Promise<void> {
  await client.query('VACUUM (ANALYZE)');
  // CHECKPOINT needs superuser or pg_checkpoint: a bench on someone else's server may skip it.
  await client.query('CHECKPOINT').catch(() => {});
}

async function ingestOnce(database: Database, watcher: pg.Client, dataRoot: string, target: Target, release: string) {
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 50);
  try {
    const before = await totalStatements();
    const submittedAt = Date.now();
    const cpu0 = sampleCpu();
    const t0 = performance.now();
    const run = await submitIngest(database, dataRoot, { survey: 'BENCH', release, path: path.relative(dataRoot, target.releaseDir) });
    let row: Record<string, any>;
    for (;;) {
      const { rows } = await watcher.query(
        `SELECT status, total_files, ingested_files, invalid_files, failed_files, skipped_files, queries, stage_seconds,
                extract(epoch FROM finished_at) * 1000 AS finished_ms
         FROM ingestion_runs WHERE id = $1`,
        [run.id],
      );
      row = rows[0];
      if (['SUCCEEDED', 'PARTIAL', 'FAILED'].includes(row.status)) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const polledSeconds = (performance.now() - t0) / 1000;
    // finished_at is the server's clock at the last batch's commit: sharper than our polling.
    const finishedMs = Number(row.finished_ms);
    const seconds = Number.isFinite(finishedMs) && finishedMs > submittedAt ? Math.min(polledSeconds, (finishedMs - submittedAt) / 1000) : polledSeconds;
    // The last job's completion lands just after the run's end: count it, then stop counting.
    for (let i = 0; i < 100; i++) {
      const { rows: left } = await watcher.query(`SELECT count(*)::int AS n FROM graphile_worker._private_jobs`);
      if (left[0].n === 0) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const cpu = cpuSince(cpu0);
    const after = await totalStatements();
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    return {
      status: row.status as string,
      files: Number(row.total_files),
      seconds,
      cpu,
      runStatements: Number(row.queries),
      allStatements: after - before,
      stageSeconds: row.stage_seconds as Record<string, number>,
      peakRss,
      counts: { ingested: row.ingested_files, invalid: row.invalid_files, failed: row.failed_files, skipped: row.skipped_files },
    };
  } finally {
    clearInterval(sampler);
  }
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
