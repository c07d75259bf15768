/**
 * `bench`: the project's own benchmark (issue 4). Arguments and output here; the measuring
 * is src/bench/run.ts.
 */
import { parseArgs } from 'node:util';
import { DEFAULT_COUNTS, KINDS, MILLION, SCALE_SIZES, runBench, runScale, type BenchCounts, type BenchReport } from '../../bench/run.js';
import { DEFAULT_INGEST_SETTINGS } from '../../ingest/settings.js';
import { formatApiReport } from '../../bench/api/report.js';
import { runApiBench } from '../../bench/api/run-api.js';
import { QUERY_NAMES, type QueryName } from '../../bench/api/queries.js';
import { formatAccessReport } from '../../bench/access/report.js';
import { runAccessBench } from '../../bench/access/run-access.js';
import { formatCatalogueReport, runCatalogueBench } from '../../bench/catalogue/run-catalogue.js';
import { formatFindReport } from '../../bench/find/report.js';
import { DEFAULT_CROSSMATCH_POSITIONS, DEFAULT_FIND_QUERIES, DEFAULT_FIND_ROWS, runFindBench } from '../../bench/find/run-find.js';
import { DEFAULT_VO_CONES, DEFAULT_VO_RECORDS, formatVoReport, runVoBench } from '../../bench/vo/run-vo.js';
import { EXIT, intOption, UsageError, type CliIo } from '../io.js';

const HELP = `Usage: astroarchive bench [--spectra N] [--cubes N] [--images N] [--catalogues N] [--blobs N]
                         [--sources N] [--dir D] [--keep] [--json] [--concurrency N] [--batch-size N] [--cold]
       astroarchive bench --scale [--million] [--dir D] [--keep] [--json] ...
       astroarchive bench --api [--api-seconds N] [--api-rounds N] [--api-queries Q1,Q2,Q3] [--dir D] [--keep] [--json]
       astroarchive bench --access [--access-seconds N] [--access-rounds N] [--dir D] [--keep] [--json]
       astroarchive bench --find [--find-rows N] [--find-queries N] [--vs-q3c] [--dir D] [--keep] [--json]
       astroarchive bench --catalogue [--narrow-rows N] [--galah-rows N] [--catalogue-rounds N] [--dir D] [--keep] [--json]
       astroarchive bench --vo [--records N] [--vo-cones N] [--keep] [--json]

Generate a synthetic release (or reuse one in --dir), start a FRESH database (an embedded
PostgreSQL in a temporary ARCHIVE_HOME, or a new uniquely named database on DATABASE_URL,
dropped afterwards), run the ingest worker in this process, and ingest each kind as its own
run. Prints per kind: files/s from the submit to the run's end, SQL statements per file
(the run's own, and every statement through the pool, graphile-worker's included), time per
stage, peak RSS, and the I/O floor: the same files read, checksummed and checked by the
same analysis thread pool with no database. Files are read once before timing (warm page
cache), and one untimed ingest of a small mixed release runs first, so that the figures are
those of a long-running worker rather than of a process's first seconds (V8's JIT warm-up).

  --spectra N --cubes N --images N --catalogues N --blobs N
                   files per kind (default ${DEFAULT_COUNTS.spectra} / ${DEFAULT_COUNTS.cubes} / ${DEFAULT_COUNTS.images} / ${DEFAULT_COUNTS.catalogues} / ${DEFAULT_COUNTS.blobs}); 0 skips a kind
  --sources N      distinct source names (default ${DEFAULT_COUNTS.sources})
  --dir D          generate into D, or reuse what an earlier bench generated there
  --keep           keep generated files and the temporary database
  --cold           skip the warm-up ingest: measure a just-started process
  --json           print one JSON object on stdout
  --concurrency N  batch jobs at once in the worker (default: the worker's default)
  --batch-size N   files per batch job (default ${DEFAULT_INGEST_SETTINGS.batchSize})
  --scale          spectra at ${SCALE_SIZES.map((n) => n.toLocaleString('en')).join(' / ')} files: rate, statements/file and peak RSS per size
  --million        with --scale, add 1,000,000 files (about 17 GB on disk)
  --api            the GraphQL API against PostGraphile 5 on one database: a published release
                   (20,000 spectra of 5,000 sources, 3,000 blobs) through the real ingest,
                   both servers as child processes, the same data checked, then per query
                   autocannon (10 connections) alternating ours, PostGraphile, ...: req/s,
                   p50, p99, statements per request, peak RSS
  --api-seconds N  seconds per autocannon run (default 15)
  --api-rounds N   ours/PostGraphile pairs per query (default 3)
  --api-queries L  only these of Q1, Q2, Q3 (comma-separated; default all three)
  --access         serving files beside nginx (started on a free port over the same directory):
                   a 1 GB download with curl, 10 clients on 8 kB spectra (autocannon), the tar of a
                   20,000-file release against tar itself, and the time to render each preview
  --access-seconds N  seconds per autocannon run (default 10)
  --access-rounds N   alternating ours/reference rounds per figure (default 3)
  --find           search at scale: N records (survey fields + all-sky) loaded set-at-a-time into
                   a fresh database's real tables, the sky indexes built after the load (timed),
                   then p50/p95/p99 of cone searches (1", 1', 6', 30', 1 deg; in fields, anywhere,
                   at the poles, across RA 0), covers-point, name, cone + wavelength + time and a
                   primary-key lookup (the floor), warm; and a cross-match of ${DEFAULT_CROSSMATCH_POSITIONS.toLocaleString('en')} positions
  --find-rows N    records (default ${DEFAULT_FIND_ROWS.toLocaleString('en')})
  --find-queries N statements per query kind (default ${DEFAULT_FIND_QUERIES})
  --vs-q3c         also load the same rows into Debian PostgreSQL 15 with q3c (its own temporary
                   cluster) and run the same cones there, alternating, with ratios
  --catalogue      catalogue loads: a narrow table (10 numeric columns) and a GALAH-shaped one (184
                   columns, 180 float64) as FITS BINTABLEs, loaded by the archive end to end, beside
                   PostgreSQL's own COPY FROM '<file>' (FORMAT binary) of the same rows and psql \\copy
                   of them as CSV, alternating rounds
  --narrow-rows N, --galah-rows N  table sizes (defaults 10,000,000 and 588,571)
  --catalogue-rounds N  rounds (default 1)
  --vo             the IVOA services on N records loaded as --find loads them: cones through /tap/sync
                   (ADQL CONTAINS on ivoa.obscore) against the same cones through GraphQL and the API's
                   SQL, alternating, and Simple Cone Search; a 1,000,000-row TAP result in BINARY2 and
                   TABLEDATA through HTTP (rows/s, RSS), and streamQuery alone
  --records N      records for --vo (default ${DEFAULT_VO_RECORDS.toLocaleString('en')}; loading 10M takes minutes)
  --vo-cones N     cones per radius (default ${DEFAULT_VO_CONES})

Targets: >= 10,000 spectra/s, >= 30,000 blobs/s, <= 0.01 statements per file,
100k keeping >= 90% of the 10k rate, 1M under 512 MB peak RSS.`;

export async function benchCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    allowPositionals: false,
    options: {
      help: { type: 'boolean', short: 'h' },
      spectra: { type: 'string' },
      cubes: { type: 'string' },
      images: { type: 'string' },
      catalogues: { type: 'string' },
      blobs: { type: 'string' },
      sources: { type: 'string' },
      dir: { type: 'string' },
      keep: { type: 'boolean' },
      json: { type: 'boolean' },
      concurrency: { type: 'string' },
      'batch-size': { type: 'string' },
      scale: { type: 'boolean' },
      million: { type: 'boolean' },
      cold: { type: 'boolean' },
      api: { type: 'boolean' },
      'api-seconds': { type: 'string' },
      'api-rounds': { type: 'string' },
      'api-queries': { type: 'string' },
      access: { type: 'boolean' },
      'access-seconds': { type: 'string' },
      'access-rounds': { type: 'string' },
      find: { type: 'boolean' },
      'find-rows': { type: 'string' },
      'find-queries': { type: 'string' },
      'vs-q3c': { type: 'boolean' },
      catalogue: { type: 'boolean' },
      'narrow-rows': { type: 'string' },
      'galah-rows': { type: 'string' },
      'catalogue-rounds': { type: 'string' },
      vo: { type: 'boolean' },
      records: { type: 'string' },
      'vo-cones': { type: 'string' },
    },
  });
  if (values.help) {
    io.out(HELP + '\n');
    return EXIT.OK;
  }
  if (values.api) return apiBench(values, io);
  if (values.access) return accessBench(values, io);
  if (values['access-seconds'] || values['access-rounds']) throw new UsageError('--access-seconds and --access-rounds go with --access');
  if (values.find) return findBench(values, io);
  if (values.catalogue) return catalogueBench(values, io);
  if (values.vo) return voBench(values, io);
  if (values.records || values['vo-cones']) throw new UsageError('--records and --vo-cones go with --vo');
  if (values['find-rows'] || values['find-queries'] || values['vs-q3c']) throw new UsageError('--find-rows, --find-queries and --vs-q3c go with --find');
  if (values['api-seconds'] || values['api-rounds'] || values['api-queries']) throw new UsageError('--api-seconds, --api-rounds and --api-queries go with --api');
  const counts: BenchCounts = { ...DEFAULT_COUNTS };
  for (const k of [...KINDS, 'sources'] as const) {
    if (values[k] !== undefined) counts[k] = intOption(`--${k}`, values[k], 0, 10_000_000)!;
  }
  if (counts.sources < 1) throw new UsageError('--sources must be at least 1');
  if (values.million && !values.scale) throw new UsageError('--million goes with --scale');
  const opts = {
    dir: values.dir,
    keep: values.keep ?? false,
    cold: values.cold ?? false,
    concurrency: intOption('--concurrency', values.concurrency, 1, 64),
    batchSize: intOption('--batch-size', values['batch-size'], 1, 100_000),
    databaseUrl: io.env.DATABASE_URL?.trim() || undefined,
    log: (m: string) => io.err(m + '\n'),
  };
  const report = values.scale
    ? await runScale(values.million ? [...SCALE_SIZES, MILLION] : SCALE_SIZES, counts.sources, opts)
    : await runBench(counts, opts);
  if (values.json) io.out(JSON.stringify(report) + '\n');
  else io.out(formatReport(report));
  return report.results.every((r) => r.status !== 'FAILED') ? EXIT.OK : EXIT.RUN_FAILED;
}

async function apiBench(
  values: { dir?: string; keep?: boolean; json?: boolean; 'api-seconds'?: string; 'api-rounds'?: string; 'api-queries'?: string },
  io: CliIo,
): Promise<number> {
  const report = await runApiBench({
    queries: apiQueries(values['api-queries']),
    dir: values.dir,
    keep: values.keep ?? false,
    databaseUrl: io.env.DATABASE_URL?.trim() || undefined,
    seconds: intOption('--api-seconds', values['api-seconds'], 1, 3600),
    rounds: intOption('--api-rounds', values['api-rounds'], 1, 100),
    log: (m: string) => io.err(m + '\n'),
  });
  io.out(values.json ? JSON.stringify(report) + '\n' : formatApiReport(report));
  return report.results.every((q) => q.sameData) ? EXIT.OK : EXIT.RUN_FAILED;
}

/** `--api-queries Q1,Q3` -> ['Q1', 'Q3'] (undefined: all). */
function apiQueries(value: string | undefined): QueryName[] | undefined {
  if (value === undefined) return undefined;
  const names = value.split(',').map((x) => x.trim().toUpperCase());
  const bad = names.filter((x) => !(QUERY_NAMES as readonly string[]).includes(x));
  if (bad.length || names.length === 0) throw new UsageError(`--api-queries takes a comma-separated list of ${QUERY_NAMES.join(', ')}, not ${JSON.stringify(value)}`);
  return names as QueryName[];
}

async function findBench(values: { dir?: string; keep?: boolean; json?: boolean; 'find-rows'?: string; 'find-queries'?: string; 'vs-q3c'?: boolean }, io: CliIo): Promise<number> {
  const report = await runFindBench({
    rows: intOption('--find-rows', values['find-rows'], 1_000, 100_000_000),
    queries: intOption('--find-queries', values['find-queries'], 1, 100_000),
    vsQ3c: values['vs-q3c'] ?? false,
    dir: values.dir,
    keep: values.keep ?? false,
    databaseUrl: io.env.DATABASE_URL?.trim() || undefined,
    log: (m: string) => io.err(m + '\n'),
  });
  io.out(values.json ? JSON.stringify(report) + '\n' : formatFindReport(report));
  return report.bruteForce && report.bruteForce.mismatches > 0 ? EXIT.RUN_FAILED : EXIT.OK;
}

async function voBench(values: { keep?: boolean; json?: boolean; records?: string; 'vo-cones'?: string }, io: CliIo): Promise<number> {
  const report = await runVoBench({
    records: intOption('--records', values.records, 1_000, 100_000_000),
    cones: intOption('--vo-cones', values['vo-cones'], 1, 100_000),
    keep: values.keep ?? false,
    databaseUrl: io.env.DATABASE_URL?.trim() || undefined,
    log: (m: string) => io.err(m + '\n'),
  });
  io.out(values.json ? JSON.stringify(report) + '\n' : formatVoReport(report));
  return EXIT.OK;
}

async function catalogueBench(values: { dir?: string; keep?: boolean; json?: boolean; 'narrow-rows'?: string; 'galah-rows'?: string; 'catalogue-rounds'?: string }, io: CliIo): Promise<number> {
  const report = await runCatalogueBench({
    dir: values.dir,
    keep: values.keep ?? false,
    databaseUrl: io.env.DATABASE_URL?.trim() || undefined,
    narrowRows: intOption('--narrow-rows', values['narrow-rows'], 1, 1_000_000_000),
    galahRows: intOption('--galah-rows', values['galah-rows'], 1, 100_000_000),
    rounds: intOption('--catalogue-rounds', values['catalogue-rounds'], 1, 20),
    log: (m: string) => io.err(m + '\n'),
  });
  io.out(values.json ? JSON.stringify(report) + '\n' : formatCatalogueReport(report));
  return EXIT.OK;
}

async function accessBench(values: { dir?: string; keep?: boolean; json?: boolean; 'access-seconds'?: string; 'access-rounds'?: string }, io: CliIo): Promise<number> {
  const report = await runAccessBench({
    dir: values.dir,
    keep: values.keep ?? false,
    databaseUrl: io.env.DATABASE_URL?.trim() || undefined,
    seconds: intOption('--access-seconds', values['access-seconds'], 1, 3600),
    rounds: intOption('--access-rounds', values['access-rounds'], 1, 100),
    log: (m: string) => io.err(m + '\n'),
  });
  io.out(values.json ? JSON.stringify(report) + '\n' : formatAccessReport(report));
  return EXIT.OK;
}

export function formatReport(r: BenchReport): string {
  const lines: string[] = [];
  lines.push(
    `astroarchive bench (${r.mode}) — node ${r.node}, ${r.cpus} CPUs, ${r.database} PostgreSQL, batch size ${r.settings.batchSize}, ` +
      `concurrency ${r.settings.concurrency}, ${r.settings.analysisThreads} analysis threads`,
  );
  lines.push(`page cache: ${r.pageCache}`);
  lines.push(`JIT: ${r.jit}`);
  lines.push(`database: ${r.databaseState}`);
  lines.push('');
  const head = ['run', 'files', 'status', 'seconds', 'files/s', 'stmts/file', 'all stmts/file', 'floor files/s', 'ingest/floor', 'peak RSS MB'];
  const rows = r.results.map((k) => [
    k.kind,
    String(k.files),
    k.status,
    k.seconds.toFixed(2),
    String(k.filesPerSecond),
    `${k.runStatementsPerFile.toFixed(4)} (${k.runStatements})`,
    `${k.allStatementsPerFile.toFixed(4)} (${k.allStatements})`,
    String(k.floor.filesPerSecond),
    `×${k.ingestOverFloor.toFixed(2)}`,
    k.peakRssMb.toFixed(0),
  ]);
  lines.push(...table([head, ...rows]));
  lines.push('');
  lines.push('time per stage (run stage_seconds: summed over batches; per-file stages are thread time, so they can exceed wall time):');
  for (const k of r.results) {
    const stages = Object.entries(k.stageSeconds)
      .sort((a, b) => b[1] - a[1])
      .map(([s, v]) => `${s} ${v.toFixed(2)}s`)
      .join(', ');
    lines.push(`  ${k.kind}: ${stages}`);
    lines.push(`  ${' '.repeat(k.kind.length)}  floor: ${k.floor.seconds.toFixed(2)}s (scan ${k.floor.scanSeconds.toFixed(2)}s, analysis ${k.floor.analyzeSeconds.toFixed(2)}s)`);
  }
  if (r.mode === 'scale' && r.results.length > 1) {
    const base = r.results.find((k) => k.files === 10_000) ?? r.results[0];
    lines.push('');
    lines.push(`flatness (rate relative to ${base.kind}):`);
    for (const k of r.results) lines.push(`  ${k.kind}: ${((100 * k.filesPerSecond) / base.filesPerSecond).toFixed(0)}% of the rate, ${k.runStatementsPerFile.toFixed(4)} statements/file, peak RSS ${k.peakRssMb.toFixed(0)} MB`);
  }
  lines.push('');
  lines.push(`process peak RSS (resourceUsage maxRSS, generation included): ${r.maxRssMb.toFixed(0)} MB; PostgreSQL runs in its own processes and is not included`);
  lines.push(`release files: ${r.dir}${r.kept ? '' : ' (removed)'}`);
  return lines.join('\n') + '\n';
}

function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  '));
}
