/**
 * `astroarchive bench --access`: serving files, beside nginx over the same directory.
 *
 * - Data: ./data.ts (a release of ~8 kB spectra, a big file, images), through the real ingest,
 *   published: every request to ours runs the anonymous access check (one statement).
 * - Servers: `astroarchive serve` as users run it (a child process, src/bench/api/servers.ts)
 *   and nginx (./nginx.ts). Everything is read once before timing: the page cache is warm, so
 *   the figures are the servers', not the disk's.
 * - Each figure alternates ours and the reference `rounds` times (A B A B ...) and reports
 *   medians and per-pair ratios: a busy machine's drift hits both alike.
 *   1. single stream: curl downloads the big file (MB/s);
 *   2. small files: autocannon, 10 connections, each request a different spectrum (req/s);
 *   3. tar of the spectra release (GET /releases/:id/archive, curl) against
 *      `tar cf - dir | cat > /dev/null` (GNU tar writing to /dev/null itself skips reading
 *      the files' contents, so it would measure metadata only);
 *   4. previews: the first request of each image (rendered on an access thread) and a second (cached).
 * - A route the server does not have (404 on a probe) is reported as skipped, not timed.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import autocannon from 'autocannon';
import { migrate } from '../../db/migrate.js';
import { openBenchDatabase } from '../bench-database.js';
import { startOurs, waitUntilIdle, type BenchServer } from '../api/servers.js';
import { ACCESS_SHAPE, loadAccessDataset, type AccessDataset, type AccessShape } from './data.js';
import { nginxAvailable, startNginx, type Nginx } from './nginx.js';

const run = promisify(execFile);

export interface AccessBenchOptions {
  dir?: string;
  keep?: boolean;
  databaseUrl?: string;
  /** Seconds per autocannon run (default 10). */
  seconds?: number;
  /** A/B pairs per figure (default 3). */
  rounds?: number;
  shape?: AccessShape;
  /** false: no nginx column (also when nginx is not installed). */
  nginx?: boolean;
  log?: (m: string) => void;
}

/** One figure: ours, the reference's, their ratio (ours / reference; for tar, the same), or why it was skipped. */
export interface AccessFigure {
  name: 'download' | 'smallFiles' | 'tar' | 'preview';
  title: string;
  unit: string;
  /** Per round, in the order run. */
  ours: number[];
  reference: number[];
  referenceLabel: string;
  /** Medians. */
  oursMedian: number | null;
  referenceMedian: number | null;
  /** Per pair, ours / reference (for "higher is better" units). */
  ratios: number[];
  medianRatio: number | null;
  target: string;
  met: boolean | null;
  skipped?: string;
  notes: string[];
}

export interface AccessBenchReport {
  node: string;
  cpus: number;
  loadAverage: { before: number[]; after: number[] };
  nginx: string | null;
  dataset: { spectra: number; spectrumBytes: number; bigBytes: number; previews: number; ingestSeconds: number };
  settings: { seconds: number; rounds: number; connections: number };
  figures: AccessFigure[];
  previews: { path: string; megabytes: number; firstMs: number; cachedMs: number; status: number; width: number | null; height: number | null }[];
  dir: string;
}

const CONNECTIONS = 10;

export async function runAccessBench(opts: AccessBenchOptions = {}): Promise<AccessBenchReport> {
  const log = opts.log ?? (() => {});
  const seconds = opts.seconds ?? 10;
  const rounds = opts.rounds ?? 3;
  const shape = opts.shape ?? ACCESS_SHAPE;
  const loadBefore = os.loadavg();
  const root = opts.dir ? path.resolve(opts.dir) : fs.mkdtempSync(path.join(os.tmpdir(), 'astroarchive-access-bench-'));
  fs.mkdirSync(root, { recursive: true });
  const db = await openBenchDatabase(opts.databaseUrl, opts.keep ?? false, log);
  let ours: BenchServer | undefined;
  let nginx: Nginx | undefined;
  try {
    await migrate(db.database.pool);
    const data = await loadAccessDataset(db.database, root, shape, log);
    log('warming the page cache (reading every file once) ...');
    // The whole generated directory: the spectra, the big file and the images.
    await run('sh', ['-c', `tar cf - -C "${root}" "${data.spectra[0].path.split(path.sep)[0]}" | cat > /dev/null`], { maxBuffer: 1 << 20 });
    log('starting astroarchive serve' + (opts.nginx === false || !nginxAvailable() ? '' : ' and nginx') + ' ...');
    ours = await startOurs(db.database.url, root);
    const oursBase = ours.url.replace(/\/graphql$/, '');
    const wantNginx = opts.nginx !== false && nginxAvailable();
    if (wantNginx) nginx = await startNginx(root);
    const nginxVersion = wantNginx ? ((await run('/usr/sbin/nginx', ['-v']).catch((e) => e)).stderr as string).trim() : null;
    const ref = nginx ? 'nginx' : 'nginx (not run)';

    const figures: AccessFigure[] = [];
    // 1. single stream
    {
      const f = figure('download', `single-stream download of a ${(data.big.bytes / 1024 ** 2).toFixed(0)} MB file (curl)`, 'MB/s', ref, '>= 0.8x nginx');
      const url = `${oursBase}/files/${data.big.id}/content`;
      const missing = await routeMissing(url);
      if (missing) f.skipped = `GET /files/:id/content: ${missing}`;
      else {
        for (let r = 0; r < rounds; r++) {
          f.ours.push(await curlRate(url, data.big.bytes));
          if (nginx) f.reference.push(await curlRate(`${nginx.base}/${encodePath(data.big.path)}`, data.big.bytes));
          log(`  download round ${r + 1}: ours ${f.ours.at(-1)} MB/s${nginx ? `, nginx ${f.reference.at(-1)} MB/s` : ''}`);
        }
      }
      figures.push(finish(f, 0.8));
    }
    // 2. small files
    {
      const f = figure('smallFiles', `~8 kB spectra, ${CONNECTIONS} concurrent clients, a different file each request (autocannon)`, 'req/s', ref, '>= 5,000 req/s');
      const sample = data.spectra.slice(0, Math.min(data.spectra.length, 5000));
      const missing = await routeMissing(`${oursBase}/files/${sample[0].id}/content`);
      if (missing) f.skipped = `GET /files/:id/content: ${missing}`;
      else {
        const oursPaths = sample.map((s) => `/files/${s.id}/content`);
        const nginxPaths = sample.map((s) => `/${encodePath(s.path)}`);
        // Warm-ups (JIT, connections), untimed.
        await load(oursBase, oursPaths, Math.min(3, seconds), ours.pid);
        if (nginx) await load(nginx.base, nginxPaths, Math.min(3, seconds), nginx.pid);
        for (let r = 0; r < rounds; r++) {
          const a = await load(oursBase, oursPaths, seconds, ours.pid);
          f.ours.push(a.rps);
          if (a.bad) f.notes.push(`ours round ${r + 1}: ${a.bad} non-2xx or errors`);
          if (nginx) {
            const b = await load(nginx.base, nginxPaths, seconds, nginx.pid);
            f.reference.push(b.rps);
            if (b.bad) f.notes.push(`nginx round ${r + 1}: ${b.bad} non-2xx or errors`);
          }
          log(`  small files round ${r + 1}: ours ${f.ours.at(-1)} req/s${nginx ? `, nginx ${f.reference.at(-1)} req/s` : ''}`);
        }
      }
      const done = finish(f, null);
      done.met = done.oursMedian === null ? null : done.oursMedian >= 5000;
      figures.push(done);
    }
    // 3. tar of the spectra release
    {
      const dir = path.dirname(path.dirname(data.spectra[0].path));
      const f = figure('tar', `tar of the ${data.spectra.length.toLocaleString('en')}-file spectra release`, 'MB/s', 'tar cf - | cat', '>= 0.8x tar');
      const url = `${oursBase}/releases/${data.spectraRelease}/archive`;
      const missing = await routeMissing(url);
      if (missing) f.skipped = `GET /releases/:id/archive: ${missing}`;
      else {
        const bytes = data.spectra.length * spectrumBytes(root, data);
        const tarRef = () => run('sh', ['-c', `tar cf - -C "${root}" "${dir}" | cat > /dev/null`], { maxBuffer: 1 << 20 });
        // A warm-up of each, untimed, as for the small files: a fresh server's first archive
        // (its reader thread, buffers and code cold) ran at about half the rate of the next.
        await curlRate(url, bytes);
        await tarRef();
        for (let r = 0; r < rounds; r++) {
          f.ours.push(await curlRate(url, bytes));
          const t = performance.now();
          await tarRef();
          f.reference.push(round((bytes / 1024 ** 2) / ((performance.now() - t) / 1000), 1));
          log(`  tar round ${r + 1}: ours ${f.ours.at(-1)} MB/s of file bytes, tar ${f.reference.at(-1)} MB/s`);
        }
        f.notes.push('MB/s of file bytes (tar headers and SHA256SUMS not counted); tar reads the same files from the same page cache');
      }
      figures.push(finish(f, 0.8));
    }
    // 4. previews
    const previews: AccessBenchReport['previews'] = [];
    {
      const f = figure('preview', 'preview PNG, first request (rendered) per image', 'ms', '-', 'lazy, cached');
      for (const p of data.previews) {
        const url = `${oursBase}/records/${p.recordId}/preview.png`;
        const t = performance.now();
        const res = await fetch(url);
        const body = Buffer.from(await res.arrayBuffer());
        const firstMs = round(performance.now() - t, 1);
        const t2 = performance.now();
        await (await fetch(url)).arrayBuffer();
        const cachedMs = round(performance.now() - t2, 1);
        const png = res.status === 200 && body.length >= 24 ? { width: body.readUInt32BE(16), height: body.readUInt32BE(20) } : null;
        previews.push({ path: path.basename(p.path), megabytes: round(p.bytes / 1024 ** 2, 1), firstMs, cachedMs, status: res.status, width: png?.width ?? null, height: png?.height ?? null });
        if (res.status === 200) f.ours.push(firstMs);
        log(`  preview ${path.basename(p.path)}: ${res.status}, first ${firstMs} ms, cached ${cachedMs} ms`);
      }
      if (data.previews.length === 0) f.skipped = 'no image in the dataset';
      const done = finish(f, null);
      done.met = null;
      figures.push(done);
    }
    return {
      node: process.version,
      cpus: os.availableParallelism(),
      loadAverage: { before: loadBefore.map((x) => round(x, 2)), after: os.loadavg().map((x) => round(x, 2)) },
      nginx: nginxVersion,
      dataset: { spectra: data.spectra.length, spectrumBytes: spectrumBytes(root, data), bigBytes: data.big.bytes, previews: data.previews.length, ingestSeconds: round(data.ingestSeconds, 1) },
      settings: { seconds, rounds, connections: CONNECTIONS },
      figures,
      previews,
      dir: root,
    };
  } finally {
    await ours?.stop();
    await nginx?.stop();
    await db.close();
    if (!opts.keep && !opts.dir) fs.rmSync(root, { recursive: true, force: true });
  }
}

function figure(name: AccessFigure['name'], title: string, unit: string, referenceLabel: string, target: string): AccessFigure {
  return { name, title, unit, ours: [], reference: [], referenceLabel, oursMedian: null, referenceMedian: null, ratios: [], medianRatio: null, target, met: null, notes: [] };
}

/** Medians and ratios; `minRatio`: the target as a ratio to the reference, when it is one. */
function finish(f: AccessFigure, minRatio: number | null): AccessFigure {
  f.oursMedian = median(f.ours);
  f.referenceMedian = median(f.reference);
  f.ratios = f.ours.slice(0, f.reference.length).map((x, i) => round(x / f.reference[i], 2));
  f.medianRatio = median(f.ratios);
  if (minRatio !== null) f.met = f.medianRatio === null ? null : f.medianRatio >= minRatio;
  return f;
}

/** Why the route cannot be timed (the server has no such route, or refuses), or null. */
async function routeMissing(url: string): Promise<string | null> {
  const res = await fetch(url, { method: 'HEAD' });
  if (res.status < 400) return null;
  return res.status === 404 ? 'route missing in this build (404 on a probe); skipped' : `the route answered ${res.status} on a probe; skipped`;
}

async function curlRate(url: string, expectBytes: number): Promise<number> {
  const { stdout } = await run('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code} %{size_download} %{time_total}', url], { maxBuffer: 1 << 20 });
  const [code, size, secs] = stdout.trim().split(' ');
  if (code !== '200') throw new Error(`curl ${url}: HTTP ${code}`);
  if (Number(size) < expectBytes) throw new Error(`curl ${url}: ${size} bytes, expected at least ${expectBytes}`);
  return round(expectBytes / 1024 ** 2 / Number(secs), 1);
}

async function load(base: string, paths: string[], duration: number, pid: number): Promise<{ rps: number; bad: number }> {
  let i = 0;
  // autocannon's `requests` (src/bench/api/autocannon.d.ts types only what the API bench uses):
  // each request asks for the next file of the list.
  const options: Parameters<typeof autocannon>[0] & { requests: { setupRequest(req: Record<string, unknown>): Record<string, unknown> }[] } = {
    url: base,
    connections: CONNECTIONS,
    duration,
    timeout: 30,
    requests: [{ setupRequest: (req) => ({ ...req, method: 'GET', path: paths[i++ % paths.length] }) }],
  };
  const r = await autocannon(options);
  await waitUntilIdle(pid);
  return { rps: round(r['2xx'] / Math.max(r.duration, 1e-9), 0), bad: r.non2xx + r.errors + r.timeouts };
}

function spectrumBytes(root: string, data: AccessDataset): number {
  return fs.statSync(path.join(root, data.spectra[0].path)).size;
}

function encodePath(p: string): string {
  return p.split(path.sep).map(encodeURIComponent).join('/');
}

function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : round((s[m - 1] + s[m]) / 2, 2);
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
