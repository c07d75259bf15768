/**
 * Opening the archive's database: the external server named by DATABASE_URL, or the
 * embedded one under ARCHIVE_HOME. Returns the instrumented pool, a drizzle handle over it,
 * and one `close()` that releases both (and stops the embedded server if we started it).
 * The embedded server is supervised: restarted if it exits on its own (src/db/supervisor.ts).
 */
import type pg from 'pg';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import * as schema from './schema.js';
import { createPool } from './pool.js';
import fs from 'node:fs';
import path from 'node:path';
import { HomeInUseError, startEmbedded } from './embedded.js';
import { superviseEmbedded, type RestartPolicy, type SupervisorLog } from './supervisor.js';

export type Db = NodePgDatabase<typeof schema>;

export interface Database {
  url: string;
  /** True when this process runs the embedded server. */
  embedded: boolean;
  pool: pg.Pool;
  db: Db;
  close(): Promise<void>;
}

export interface OpenOptions {
  databaseUrl: string | undefined;
  home: string;
  poolSize?: number;
  applicationName?: string;
  log?: (msg: string) => void;
  /** Where the embedded server's supervisor logs its restarts (default: nowhere). */
  supervisorLog?: SupervisorLog;
  /** Told when the embedded server exited and could not be restarted. */
  onDatabaseLost?: (err: Error) => void;
  restartPolicy?: RestartPolicy;
  /**
   * When another process owns the home (`npm start` running), connect to the embedded server
   * it runs (its `database-url`) instead of refusing: for short commands that only query, which
   * a user runs beside the service. Nothing is supervised then: the owner's server is the owner's.
   */
  shareRunning?: boolean;
}

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  if (opts.databaseUrl) return connectDatabase(opts.databaseUrl, { poolSize: opts.poolSize, applicationName: opts.applicationName });
  let embedded;
  try {
    embedded = await startEmbedded(opts.home, opts.log);
  } catch (err) {
    const shared = opts.shareRunning && err instanceof HomeInUseError ? runningUrl(opts.home) : null;
    if (!shared) throw err;
    return connectDatabase(shared, { poolSize: opts.poolSize, applicationName: opts.applicationName });
  }
  const quiet = () => {};
  const supervisor = superviseEmbedded(embedded, {
    log: opts.supervisorLog ?? { info: quiet, warn: quiet, error: quiet },
    onGiveUp: opts.onDatabaseLost,
    policy: opts.restartPolicy,
  });
  return connectDatabase(embedded.url, {
    poolSize: opts.poolSize,
    applicationName: opts.applicationName,
    onClose: async () => {
      await supervisor.stop(); // a shutdown's stop is not an exit to restart from
      await embedded.stop();
    },
  });
}

/** The URL the owner of `home` wrote for its embedded server, or null if it wrote none. */
function runningUrl(home: string): string | null {
  try {
    return fs.readFileSync(path.join(home, 'database-url'), 'utf8').trim() || null;
  } catch {
    return null;
  }
}

/** Wrap an already running server (tests clone databases and connect here). */
export function connectDatabase(
  url: string,
  opts: { poolSize?: number; applicationName?: string; onClose?: () => Promise<void> } = {},
): Database {
  const pool = createPool({ connectionString: url, max: opts.poolSize, applicationName: opts.applicationName });
  const db = drizzle(pool, { schema });
  let closed = false;
  return {
    url,
    embedded: Boolean(opts.onClose),
    pool,
    db,
    async close() {
      if (closed) return;
      closed = true;
      try {
        await pool.end();
      } finally {
        await opts.onClose?.();
      }
    },
  };
}
