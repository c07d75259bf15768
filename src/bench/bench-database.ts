/**
 * The database a benchmark runs on: a fresh one (an embedded server in a temporary
 * ARCHIVE_HOME, or a new database on DATABASE_URL), dropped at close unless kept; or an
 * embedded server the caller started (onEmbedded, e.g. bench --find's kept one).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { connectDatabase, type Database } from '../db/client.js';
import { startEmbedded, type EmbeddedDatabase } from '../db/embedded.js';

export interface BenchDatabase {
  database: Database;
  close(): Promise<void>;
}

/** A fresh database: an embedded server in a temp ARCHIVE_HOME, or a new database on DATABASE_URL. */
export async function openBenchDatabase(databaseUrl: string | undefined, keep: boolean, log: (m: string) => void): Promise<BenchDatabase> {
  if (databaseUrl) {
    const name = `astroarchive_bench_${process.pid}_${crypto.randomBytes(3).toString('hex')}`;
    const admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`).finally(() => admin.end());
    const u = new URL(databaseUrl);
    u.pathname = `/${name}`;
    log(`database ${name} created on the DATABASE_URL server${keep ? ' (kept)' : ''}`);
    const database = connectDatabase(u.toString(), { poolSize: 20, applicationName: 'astroarchive-bench' });
    return {
      database,
      async close() {
        await database.close();
        if (keep) return;
        const drop = new pg.Client({ connectionString: databaseUrl });
        await drop.connect();
        await drop.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).finally(() => drop.end());
      },
    };
  }
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'astroarchive-bench-home-'));
  log(`starting a fresh embedded PostgreSQL in ${home}${keep ? ' (kept)' : ''}`);
  let embedded: EmbeddedDatabase;
  try {
    embedded = await startEmbedded(home);
  } catch (err) {
    fs.rmSync(home, { recursive: true, force: true });
    throw err;
  }
  return onEmbedded(embedded, () => {
    if (!keep) fs.rmSync(home, { recursive: true, force: true });
  });
}

/** The bench's pool on an embedded server; close() ends both (then `after`, e.g. removing its home). */
export function onEmbedded(embedded: EmbeddedDatabase, after: () => void = () => {}): BenchDatabase {
  const database = connectDatabase(embedded.url, { poolSize: 20, applicationName: 'astroarchive-bench' });
  return {
    database,
    async close() {
      try {
        await database.close();
      } finally {
        await embedded.stop();
        after();
      }
    },
  };
}
