/**
 * A throw-away cluster of Debian's PostgreSQL 15 server binaries (/usr/lib/postgresql/15/bin):
 * initdb in a temp directory, started on a free loopback port, removed by destroy(). Used where a
 * second, *external* server is the point: the q3c comparison of `bench --find --vs-q3c`, and the
 * tests that stop and restart the database under a running service.
 *
 * PostgreSQL refuses to run as root, so as root the cluster belongs to the `postgres` user.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './embedded.js';

export const PG15_BIN = '/usr/lib/postgresql/15/bin';

/** Why the cluster cannot be made here, or null when it can. */
export function pg15Unavailable(): string | null {
  if (!fs.existsSync(path.join(PG15_BIN, 'pg_ctl'))) return `no PostgreSQL 15 binaries in ${PG15_BIN} (Debian package postgresql-15)`;
  if (process.getuid?.() === 0) {
    try {
      execFileSync('id', ['-u', 'postgres'], { stdio: 'ignore' });
    } catch {
      return 'running as root and there is no `postgres` user to run PostgreSQL 15 as';
    }
  }
  return null;
}

export interface Pg15ClusterOptions {
  /** Temp directory prefix, so a left-over cluster says whose it was. */
  name: string;
  /** `-c key=value` server settings beyond port, socket directory and listen address. */
  settings?: Record<string, string | number>;
}

export interface Pg15Cluster {
  url: string;
  start(): void;
  /** pg_ctl stop: `fast` is a clean shutdown; `immediate` dies as if killed (no checkpoint, clients cut off). */
  stop(mode: 'fast' | 'immediate'): void;
  /** Stops the server if it runs (immediate: the data is thrown away) and removes the directory. */
  destroy(): void;
}

export async function createPg15Cluster(o: Pg15ClusterOptions): Promise<Pg15Cluster> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${o.name}-`));
  const data = path.join(dir, 'data');
  const asRoot = process.getuid?.() === 0;
  const run = (bin: string, args: string[]) =>
    asRoot
      ? execFileSync('runuser', ['-u', 'postgres', '--', path.join(PG15_BIN, bin), ...args], { stdio: 'pipe', cwd: dir })
      : execFileSync(path.join(PG15_BIN, bin), args, { stdio: 'pipe', cwd: dir });
  try {
    if (asRoot) execFileSync('chown', ['postgres:postgres', dir]);
    run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
    const port = await freePort();
    const settings = Object.entries(o.settings ?? {}).map(([k, v]) => ` -c ${k}=${v}`).join('');
    const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1${settings}`;
    const start = () => void run('pg_ctl', ['-D', data, '-o', options, '-l', path.join(dir, 'server.log'), '-w', '-t', '120', 'start']);
    const stop = (mode: 'fast' | 'immediate') => void run('pg_ctl', ['-D', data, '-m', mode, '-w', 'stop']);
    start();
    return {
      url: `postgres://postgres@127.0.0.1:${port}/postgres`,
      start,
      stop,
      destroy() {
        try {
          stop('immediate');
        } catch {
          /* not running */
        }
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}
