/**
 * A throw-away PostgreSQL 15 cluster from the Debian packages (/usr/lib/postgresql/15/bin),
 * for tests that stop and start an *external* server under a running service. PostgreSQL
 * refuses to run as root, so as root the cluster belongs to the `postgres` user.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../src/db/embedded.js';

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

export interface Pg15Cluster {
  url: string;
  /** `pg_ctl stop -m immediate`: the server dies as if killed (no checkpoint, clients cut off). */
  stopImmediate(): void;
  start(): void;
  destroy(): void;
}

export async function createPg15Cluster(): Promise<Pg15Cluster> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'astroarchive-pg15-'));
  const data = path.join(dir, 'data');
  const asRoot = process.getuid?.() === 0;
  if (asRoot) execFileSync('chown', ['postgres:postgres', dir]);
  const run = (bin: string, args: string[]) =>
    asRoot
      ? execFileSync('runuser', ['-u', 'postgres', '--', path.join(PG15_BIN, bin), ...args], { stdio: 'pipe', cwd: dir })
      : execFileSync(path.join(PG15_BIN, bin), args, { stdio: 'pipe', cwd: dir });
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  const port = await freePort();
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=100 -c fsync=off`;
  const start = () => void run('pg_ctl', ['-D', data, '-o', options, '-l', path.join(dir, 'server.log'), '-w', '-t', '120', 'start']);
  start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stopImmediate: () => void run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']),
    start,
    destroy() {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } catch {
        /* not running */
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
