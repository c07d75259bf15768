/**
 * The two servers the API benchmark compares, each in a child process of its own (so that
 * each one's RSS is its own, read from /proc/<pid>/status), on its own port, on one database:
 *
 * - ours: `astroarchive serve` exactly as a user runs it (bin/astroarchive.js, tsx), anonymous
 *   clients, access rules on; statements per request from `x-astroarchive-trace: 1`.
 * - PostGraphile 5: postgraphile-server.ts under the same loader; statements per request from
 *   its `/__bench/statements` counter read before and after one request.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GraphQLBody } from './queries.js';
import { procStat, TICKS_PER_SECOND } from '../cpu.js';

export type Side = 'ours' | 'theirs';

export interface BenchServer {
  side: Side;
  label: string;
  pid: number;
  /** The GraphQL endpoint. */
  url: string;
  /** POST a query; `trace` asks for statements. Returns the parsed body and ms taken. */
  post(body: GraphQLBody): Promise<{ json: any; ms: number }>;
  /** Statements the server ran for one request of `body`, or undefined when it cannot say. */
  statements(body: GraphQLBody): Promise<number | undefined>;
  /** VmRSS and VmHWM (the peak since start) in MB, from /proc. */
  memory(): { rssMb: number; hwmMb: number } | undefined;
  stop(): Promise<void>;
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const STARTUP_MS = 120_000;

/** `nodeArgs`: flags for node itself, e.g. `--cpu-prof` (which NODE_OPTIONS refuses). */
export async function startOurs(databaseUrl: string, dataRoot: string, extraEnv: Record<string, string> = {}, nodeArgs: string[] = []): Promise<BenchServer> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'astroarchive-api-bench-home-'));
  const child = spawn(process.execPath, [...nodeArgs, path.join(ROOT, 'bin/astroarchive.js'), 'serve'], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: '0', HOST: '127.0.0.1', ARCHIVE_HOME: home, ARCHIVE_DATA_ROOT: dataRoot, LOG_LEVEL: 'warn', ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // The ready banner: "  GraphQL:   http://127.0.0.1:PORT/graphql".
  const url = await waitForLine(child, /GraphQL:\s+(http:\/\/\S+\/graphql)/, 'astroarchive serve');
  const server = makeServer('ours', 'astroarchive serve', child, url, async () => fs.rmSync(home, { recursive: true, force: true }));
  server.statements = async (body) => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-astroarchive-trace': '1' },
      body: JSON.stringify(body),
    });
    const json = (await res.json()) as { extensions?: { sqlQueries?: number } };
    return json.extensions?.sqlQueries;
  };
  return server;
}

export async function startPostGraphile(databaseUrl: string): Promise<BenchServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src/bench/api/postgraphile-server.ts')], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: '0', GRAPHILE_ENV: 'production', NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const port = await waitForLine(child, /^\{"port":(\d+)\}$/m, 'PostGraphile');
  const base = `http://127.0.0.1:${port}`;
  const server = makeServer('theirs', 'PostGraphile 5 (Amber)', child, `${base}/graphql`, async () => {});
  const counted = async () => ((await (await fetch(`${base}/__bench/statements`)).json()) as { statements: number }).statements;
  server.statements = async (body) => {
    const before = await counted();
    await server.post(body);
    return (await counted()) - before;
  };
  return server;
}

function makeServer(side: Side, label: string, child: ChildProcess, url: string, cleanup: () => Promise<void>): BenchServer {
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    side,
    label,
    pid: child.pid!,
    url,
    async post(body) {
      const t = performance.now();
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const json = await res.json();
      return { json, ms: performance.now() - t };
    },
    statements: async () => undefined,
    memory: () => procMemory(child.pid!),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
        await exited;
        clearTimeout(timer);
      }
      await cleanup();
    },
  };
}

/** VmRSS / VmHWM of a live process, MB (undefined once it is gone, or off Linux). */
export function procMemory(pid: number): { rssMb: number; hwmMb: number } | undefined {
  let text: string;
  try {
    text = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined;
  }
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN);
  return { rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024 };
}

/**
 * CPU seconds (user + system) a live process has used, from /proc/<pid>/stat (fields 14 and
 * 15, in clock ticks: 100 a second on Linux), or undefined.
 */
export function procCpuSeconds(pid: number): number | undefined {
  const st = procStat(pid);
  return st ? st.ownTicks / TICKS_PER_SECOND : undefined;
}

/**
 * Wait until the process is idle (under 10% of a core over two 200 ms windows), at most
 * `maxMs`. autocannon stops at its deadline with requests still in flight, which the server
 * goes on computing: without this, a slow server's leftovers would be billed to the next run.
 */
export async function waitUntilIdle(pid: number, maxMs = 60_000): Promise<void> {
  const deadline = Date.now() + maxMs;
  let quiet = 0;
  let last = procCpuSeconds(pid);
  while (last !== undefined && quiet < 2 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
    const now = procCpuSeconds(pid);
    if (now === undefined) return;
    quiet = now - last < 0.02 ? quiet + 1 : 0;
    last = now;
  }
}

/** Resolve with the first capture of `pattern` in the child's output; reject if it exits first or is slow. */
function waitForLine(child: ChildProcess, pattern: RegExp, what: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const fail = (why: string) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${what} did not start (${why}); its output:\n${seen.slice(-4000)}`));
    };
    const timer = setTimeout(() => fail(`no ready line in ${STARTUP_MS / 1000} s`), STARTUP_MS);
    // Only the tail is kept, for the error message.
    const keep = (chunk: Buffer) => (seen = (seen + chunk.toString('utf8')).slice(-8000));
    const onData = (chunk: Buffer) => {
      keep(chunk);
      const m = pattern.exec(seen);
      if (m) {
        clearTimeout(timer);
        child.off('exit', onExit);
        resolve(m[1]);
      }
    };
    const onExit = (code: number | null) => fail(`exited with ${code}`);
    // Both streams, read for the child's whole life (a full pipe would block it).
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', onExit);
  });
}
