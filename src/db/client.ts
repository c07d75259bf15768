/**
 * Opening the archive's database: the external server named by DATABASE_URL, or the
 * embedded one under ARCHIVE_HOME. Returns the instrumented pool, a drizzle handle over it,
 * and one `close()` that releases both (and stops the embedded server if we started it).
 */
import type pg from 'pg';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import * as schema from './schema.js';
import { createPool } from './pool.js';
import { startEmbedded } from './embedded.js';

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
}

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  const embedded = opts.databaseUrl ? undefined : await startEmbedded(opts.home, opts.log);
  const url = opts.databaseUrl ?? embedded!.url;
  return connectDatabase(url, { poolSize: opts.poolSize, applicationName: opts.applicationName, onClose: embedded?.stop });
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
