/**
 * Real `astroarchive worker` processes for the safety tests: spawn one on a test database,
 * wait until it says it is ready, kill it hard (SIGKILL) or stop it in order (SIGTERM), and
 * keep its stderr (pino JSON lines) for evidence.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from '../../src/db/client.js';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = path.join(REPO, 'bin/astroarchive.js');

export interface WorkerProcess {
  child: ChildProcess;
  pid: number;
  /** Everything written to stderr so far. */
  stderr(): string;
  /** stderr's JSON log lines, parsed (other lines skipped). */
  logs(): Array<Record<string, any>>;
  /** Resolves with the exit code (or signal name) when the process is gone. */
  exited: Promise<number | string>;
  kill9(): Promise<void>;
  /** SIGTERM and wait (the CLI finishes running jobs first). */
  stop(timeoutMs?: number): Promise<void>;
}

export interface SpawnOptions {
  databaseUrl: string;
  /** Extra CLI arguments, e.g. ['--concurrency', '1']. */
  args?: string[];
  logLevel?: string;
  /** Node flags before the script, e.g. ['--import', hook]. */
  nodeArgs?: string[];
  env?: Record<string, string>;
  readyTimeoutMs?: number;
}

const live = new Set<WorkerProcess>();

export async function spawnWorker(opts: SpawnOptions): Promise<WorkerProcess> {
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), BIN, 'worker', ...(opts.args ?? [])], {
    cwd: REPO,
    env: { ...process.env, DATABASE_URL: opts.databaseUrl, LOG_LEVEL: opts.logLevel ?? 'warn', ...opts.env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (d: string) => {
    err += d;
  });
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  const wp: WorkerProcess = {
    child,
    pid: child.pid!,
    stderr: () => err,
    logs: () =>
      err
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .flatMap((l) => {
          try {
            return [JSON.parse(l)];
          } catch {
            return [];
          }
        }),
    exited,
    async kill9() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
      live.delete(wp);
    },
    async stop(timeoutMs = 30_000) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      await exited;
      clearTimeout(timer);
      live.delete(wp);
    },
  };
  live.add(wp);
  const deadline = Date.now() + (opts.readyTimeoutMs ?? 60_000);
  while (!err.includes('worker ready')) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`worker exited before it was ready:\n${err}`);
    if (Date.now() > deadline) {
      await wp.kill9();
      throw new Error(`worker not ready after ${opts.readyTimeoutMs ?? 60_000} ms:\n${err}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return wp;
}

/** afterAll: whatever a failed test left running is killed, never leaked into the next file. */
export async function killAllWorkers(): Promise<void> {
  await Promise.all([...live].map((w) => w.kill9()));
}

/** Poll `probe` until it returns a value (not undefined) or time runs out. */
export async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs: number, intervalMs = 20, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/**
 * The graphile-worker ids a worker process published in the registry (after its first
 * heartbeat): until then, a kill -9 would leave locks the registry cannot attribute.
 */
export async function waitForWorkerIds(database: Database, pid: number): Promise<string[]> {
  return waitFor(
    async () => {
      const { rows } = await database.pool.query<{ worker_ids: string[] }>(`SELECT worker_ids FROM processes WHERE pid = $1`, [pid]);
      return rows[0]?.worker_ids.length ? rows[0].worker_ids : undefined;
    },
    10_000,
    100,
    'the worker to publish its worker ids',
  );
}
