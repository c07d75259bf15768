/**
 * `bench --catalogue`: the archive's catalogue load (src/catalogue/load-file.ts, end to end
 * from the FITS file: plan, thread encode, COPY, indexes, statistics, swap) next to the floor
 * PostgreSQL sets, in the same run on the same server:
 *   - server COPY: `COPY ... FROM '<file>' (FORMAT binary)` of the same rows, written out
 *     beforehand (the server reads its own disk: no client, no network, no decoding);
 *   - psql: `\copy ... FROM '<file>.csv' (FORMAT csv)` of the same rows as text.
 * Rounds alternate archive / server COPY / psql, so a busy machine slows all three alike.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { loadCatalogue } from '../../catalogue/load-file.js';
import { quoteIdent, schemaName } from '../../catalogue/names.js';
import { createStaging } from '../../db/queries/catalogue-swap.js';
import { planFile, encodeTable } from '../../catalogue/read-table.js';
import { fileSource } from '../../fits/source.js';
import { migrate } from '../../db/migrate.js';
import { openBenchDatabase } from '../bench-database.js';
import { procStat, TICKS_PER_SECOND } from '../cpu.js';
import { writeShape, type Shape } from './generate.js';

const run = promisify(execFile);

/**
 * CPU seconds the database server has used so far, when it runs on this machine (the embedded
 * one, or a local DATABASE_URL server readable in /proc): the postmaster's own and reaped
 * children's time plus its live children's (backends, parallel workers, WAL writer,
 * checkpointer). null when it is elsewhere.
 */
function serverCpuSeconds(postmaster: number | null): number | null {
  if (postmaster === null) return null;
  const own = procStat(postmaster);
  if (!own) return null;
  let ticks = own.ownTicks + own.childTicks;
  try {
    for (const pid of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      const st = procStat(pid); // null: gone meanwhile
      if (st && st.ppid === postmaster) ticks += st.ownTicks;
    }
  } catch {
    return null;
  }
  return ticks / TICKS_PER_SECOND;
}

/**
 * Each timed load starts from the same state: the buffers the previous one dirtied written out
 * (CHECKPOINT; skipped where not permitted). The generated files are on disk already
 * (fsync'd as written), and the cluster's WAL segments exist (warm-up COPY below): otherwise the
 * first load after them paid for their write-back and for creating the segments (the 10M-row
 * table's COPY phase 11.4 s against 7.2-7.7 s), and it was always the archive's.
 */
async function checkpoint(pool: { query(sql: string): Promise<unknown> }): Promise<void> {
  await pool.query('CHECKPOINT').catch(() => undefined);
}

const cpuSeconds = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1e6;

export interface CatalogueBenchOptions {
  databaseUrl?: string;
  dir?: string;
  keep?: boolean;
  narrowRows?: number;
  galahRows?: number;
  rounds?: number;
  log?: (m: string) => void;
}

export interface LoadFigure {
  seconds: number;
  rowsPerSecond: number;
  mbPerSecond: number;
}

export interface ShapeResult {
  shape: string;
  rows: number;
  columns: number;
  fitsMb: number;
  /** Archive, end to end from the FITS file (best round). */
  archive: LoadFigure;
  /** The archive's COPY alone (thread decode + encode + COPY), best round. */
  archiveCopy: LoadFigure;
  serverCopy: LoadFigure;
  psqlCsv: LoadFigure;
  archiveOverServer: number;
  archiveCopyOverServer: number;
  /** CPU seconds of the best round: the archive's process (all threads) and the server during its load; the server during its own COPY. null: the server is not on this machine. */
  cpu: { archive: number; archiveServer: number | null; serverCopy: number | null };
}

export interface CatalogueBenchReport {
  node: string;
  cpus: number;
  results: ShapeResult[];
}

function figure(seconds: number, rows: number, bytes: number): LoadFigure {
  return { seconds: Number(seconds.toFixed(3)), rowsPerSecond: Math.round(rows / seconds), mbPerSecond: Number((bytes / 1e6 / seconds).toFixed(1)) };
}

export async function runCatalogueBench(opts: CatalogueBenchOptions = {}): Promise<CatalogueBenchReport> {
  const log = opts.log ?? (() => {});
  const dir = opts.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'astroarchive-bench-catalogue-'));
  fs.chmodSync(dir, 0o755); // the server process reads the binary COPY file
  const db = await openBenchDatabase(opts.databaseUrl, opts.keep ?? false, log);
  const pool = db.database.pool;
  const results: ShapeResult[] = [];
  try {
    await migrate(pool);
    const { rows: ids } = await pool.query(
      `WITH s AS (INSERT INTO surveys (name) VALUES ('BENCH') RETURNING id),
            r AS (INSERT INTO releases (survey_id, name) SELECT id, 'CAT' FROM s RETURNING id),
            run AS (INSERT INTO ingestion_runs (release_id, path, status) SELECT id, $1, 'SUCCEEDED' FROM r RETURNING id, release_id)
       SELECT id AS run_id, release_id FROM run`,
      [dir],
    );
    const { run_id: runId, release_id: releaseId } = ids[0];
    // The postmaster: the parent of a backend, if the server runs here.
    const { rows: me } = await pool.query<{ pid: number }>(`SELECT pg_backend_pid() AS pid`);
    const postmaster = procStat(me[0].pid)?.ppid ?? null; // null: not on this machine
    const shapes: Shape[] = [
      { name: 'narrow', rows: opts.narrowRows ?? 10_000_000 },
      { name: 'galah', rows: opts.galahRows ?? 588_571 },
    ];
    for (const shape of shapes) {
      const base = path.join(dir, shape.name);
      log(`${shape.name}: writing ${shape.rows.toLocaleString('en')} rows as FITS and CSV`);
      const sizes = writeShape(shape, base);
      const fitsPath = `${base}.fits`;
      // The same rows in COPY's binary format, as the archive sends them (written beforehand).
      const fd = fs.openSync(fitsPath, 'r');
      const src = fileSource(fd, sizes.fitsBytes);
      const [plan] = planFile(src, `${shape.name}.fits`, {});
      const binPath = `${base}.pgcopy`;
      const out = fs.openSync(binPath, 'w');
      for (const chunk of encodeTable(src, plan)) fs.writeSync(out, chunk);
      fs.fsyncSync(out);
      fs.closeSync(out);
      fs.closeSync(fd);
      fs.chmodSync(binPath, 0o644);
      fs.chmodSync(`${base}.csv`, 0o644);
      const { rows: f } = await pool.query(
        `WITH f AS (INSERT INTO files (release_id, path, size_bytes, mtime_ms, checksum, kind, status, run_id)
                    VALUES ($1, $2, $3, 0, 'bench', 'CATALOGUE', 'INGESTED', $4) RETURNING id, release_id)
         INSERT INTO records (file_id, release_id, product_type) SELECT id, release_id, 'catalogue' FROM f RETURNING file_id`,
        [releaseId, `${shape.name}.fits`, sizes.fitsBytes, runId],
      );
      const fileId = Number(f[0].file_id);
      const dataBytes = sizes.fitsBytes;
      // Untimed: one server COPY of the rows first. A fresh cluster creates (and zero-fills)
      // each WAL segment on first use, and recycles them after; without this round the first
      // timed load, always the archive's, paid for all of them (GALAH: COPY 9.2 s in round 1,
      // 5.0-5.6 s in rounds 2-3; the server's COPY after it 5.4-6.2 s).
      {
        const client = await pool.connect();
        try {
          const warm = `warm_${shape.name}`;
          const schema = schemaName('BENCH', 'CAT');
          await createStaging(client, schema, warm, plan.columns, plan.raColumn !== null);
          await client.query(`COPY ${quoteIdent(schema)}.${quoteIdent(warm)} FROM '${binPath.replace(/'/g, "''")}' (FORMAT binary)`);
          await client.query(`DROP TABLE ${quoteIdent(schema)}.${quoteIdent(warm)}`);
        } finally {
          client.release();
        }
      }
      const best = { archive: Infinity, copy: Infinity, server: Infinity, psql: Infinity };
      let cpu: ShapeResult['cpu'] = { archive: 0, archiveServer: null, serverCopy: null };
      for (let round = 1; round <= (opts.rounds ?? 1); round++) {
        // A new checksum each round: the load is not skipped as unchanged.
        await pool.query(`UPDATE files SET checksum = $2 WHERE id = $1`, [fileId, `bench-${round}`]);
        // Seconds per stage of the load (plan, copy, index, swap: load-file.ts's onStage), in order.
        const stages: Array<[string, number]> = [];
        let stageAt = 0;
        await checkpoint(pool);
        const s0 = serverCpuSeconds(postmaster);
        const c0 = process.cpuUsage();
        const t0 = performance.now();
        const r = await loadCatalogue(pool, fileId, {
          onStage: (s) => {
            const now = performance.now();
            if (stages.length) stages[stages.length - 1][1] = (now - stageAt) / 1000;
            stages.push([s, 0]);
            stageAt = now;
          },
        });
        const archive = (performance.now() - t0) / 1000;
        if (stages.length) stages[stages.length - 1][1] = (performance.now() - stageAt) / 1000;
        const copySeconds = stages.find(([name]) => name === 'copy')?.[1] ?? 0;
        const archiveCpu = cpuSeconds(process.cpuUsage(c0));
        const s1 = serverCpuSeconds(postmaster);
        const table = r.tables[0]?.table;
        if (!table || r.tables[0].status !== 'loaded') throw new Error(`${shape.name}: the archive did not load the table: ${JSON.stringify(r.tables)}`);
        best.copy = Math.min(best.copy, copySeconds);
        const [schema, name] = table.split('.');
        const floor = `${quoteIdent(schema)}.${quoteIdent(`floor_${shape.name}`)}`;
        await pool.query(`DROP TABLE IF EXISTS ${floor}; CREATE TABLE ${floor} (LIKE ${quoteIdent(schema)}.${quoteIdent(name)})`);
        await checkpoint(pool);
        const s2 = serverCpuSeconds(postmaster);
        const t1 = performance.now();
        await pool.query(`COPY ${floor} FROM '${binPath.replace(/'/g, "''")}' (FORMAT binary)`);
        best.server = Math.min(best.server, (performance.now() - t1) / 1000);
        const s3 = serverCpuSeconds(postmaster);
        if (archive <= best.archive) {
          const diff = (a: number | null, b: number | null) => (a === null || b === null ? null : Number((b - a).toFixed(2)));
          cpu = { archive: Number(archiveCpu.toFixed(2)), archiveServer: diff(s0, s1), serverCopy: diff(s2, s3) };
        }
        const csvTable = `${quoteIdent(schema)}.${quoteIdent(`csv_${shape.name}`)}`;
        const dataColumns = plan.columns.map((c) => quoteIdent(c.sqlName)).join(', ');
        await pool.query(`DROP TABLE IF EXISTS ${csvTable}; CREATE TABLE ${csvTable} AS SELECT ${dataColumns} FROM ${quoteIdent(schema)}.${quoteIdent(name)} WITH NO DATA`);
        await checkpoint(pool);
        const t2 = performance.now();
        await run('psql', [db.database.url, '-v', 'ON_ERROR_STOP=1', '-c', `\\copy ${csvTable} FROM '${base}.csv' (FORMAT csv, HEADER true)`], { maxBuffer: 1 << 20 });
        best.psql = Math.min(best.psql, (performance.now() - t2) / 1000);
        await pool.query(`DROP TABLE ${floor}; DROP TABLE ${csvTable}`);
        best.archive = Math.min(best.archive, archive);
        log(`${shape.name} round ${round}: archive ${archive.toFixed(2)} s (${stages.map(([n, t]) => `${n} ${t.toFixed(2)}`).join(', ')} s; CPU ${archiveCpu.toFixed(2)} s ours, ${s0 === null || s1 === null ? '?' : (s1 - s0).toFixed(2)} s server), server COPY ${best.server.toFixed(2)} s, psql CSV ${best.psql.toFixed(2)} s`);
      }
      results.push({
        shape: shape.name,
        rows: shape.rows,
        columns: plan.columns.length,
        fitsMb: Number((sizes.fitsBytes / 1e6).toFixed(1)),
        archive: figure(best.archive, shape.rows, dataBytes),
        archiveCopy: figure(best.copy, shape.rows, dataBytes),
        serverCopy: figure(best.server, shape.rows, dataBytes),
        psqlCsv: figure(best.psql, shape.rows, dataBytes),
        archiveOverServer: Number((best.server / best.archive).toFixed(2)),
        archiveCopyOverServer: Number((best.server / best.copy).toFixed(2)),
        cpu,
      });
      if (!opts.keep) for (const ext of ['fits', 'csv', 'pgcopy']) fs.rmSync(`${base}.${ext}`, { force: true });
    }
  } finally {
    await db.close();
    if (!opts.keep && !opts.dir) fs.rmSync(dir, { recursive: true, force: true });
  }
  return { node: process.version, cpus: os.availableParallelism(), results };
}

export function formatCatalogueReport(r: CatalogueBenchReport): string {
  const lines = [`astroarchive bench --catalogue — node ${r.node}, ${r.cpus} CPUs (MB/s of FITS bytes; best round)`, ''];
  lines.push('table      rows        cols  archive s (rows/s, MB/s)      archive COPY s   server COPY s    psql \\copy CSV s   archive/server  COPY/server  CPU s: archive (ours + server), server COPY');
  for (const s of r.results) {
    const f = (x: LoadFigure) => `${x.seconds.toFixed(2)} (${x.rowsPerSecond.toLocaleString('en')}, ${x.mbPerSecond})`;
    lines.push(
      [s.shape.padEnd(10), String(s.rows).padEnd(11), String(s.columns).padEnd(5), f(s.archive).padEnd(30), s.archiveCopy.seconds.toFixed(2).padEnd(16), s.serverCopy.seconds.toFixed(2).padEnd(16), s.psqlCsv.seconds.toFixed(2).padEnd(18), `x${s.archiveOverServer}`.padEnd(15), `x${s.archiveCopyOverServer}`.padEnd(12), `${s.cpu.archive} + ${s.cpu.archiveServer ?? '?'}, ${s.cpu.serverCopy ?? '?'}`].join(' '),
    );
  }
  return lines.join('\n') + '\n';
}
