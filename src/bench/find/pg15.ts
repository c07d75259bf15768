/**
 * A throw-away Debian PostgreSQL 15 cluster with q3c, for `bench --find --vs-q3c`: initdb in a
 * temp directory (as the `postgres` user when running as root: PostgreSQL refuses root), the
 * server's default settings as the embedded one has, stopped and removed afterwards.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../db/embedded.js';

export const PG15_BIN = '/usr/lib/postgresql/15/bin';
const Q3C_CONTROL = '/usr/share/postgresql/15/extension/q3c.control';

/** Why q3c on PostgreSQL 15 cannot run here, or null when it can. */
export function q3cUnavailable(): string | null {
  if (!fs.existsSync(path.join(PG15_BIN, 'pg_ctl'))) return `no PostgreSQL 15 binaries in ${PG15_BIN} (Debian package postgresql-15)`;
  if (!fs.existsSync(Q3C_CONTROL)) return `no q3c extension for PostgreSQL 15 (${Q3C_CONTROL}; Debian package postgresql-15-q3c)`;
  if (process.getuid?.() === 0) {
    try {
      execFileSync('id', ['-u', 'postgres'], { stdio: 'ignore' });
    } catch {
      return 'running as root and there is no `postgres` user to run PostgreSQL 15 as';
    }
  }
  return null;
}

export interface Pg15Server {
  url: string;
  stop(): void;
}

export async function startPg15(): Promise<Pg15Server> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'astroarchive-find-pg15-'));
  const data = path.join(dir, 'data');
  const asRoot = process.getuid?.() === 0;
  if (asRoot) execFileSync('chown', ['postgres:postgres', dir]);
  const run = (bin: string, args: string[]) =>
    asRoot
      ? execFileSync('runuser', ['-u', 'postgres', '--', path.join(PG15_BIN, bin), ...args], { stdio: 'pipe', cwd: dir })
      : execFileSync(path.join(PG15_BIN, bin), args, { stdio: 'pipe', cwd: dir });
  try {
    run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
    const port = await freePort();
    const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=50`;
    run('pg_ctl', ['-D', data, '-o', options, '-l', path.join(dir, 'server.log'), '-w', '-t', '120', 'start']);
    return {
      url: `postgres://postgres@127.0.0.1:${port}/postgres`,
      stop() {
        try {
          run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
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
