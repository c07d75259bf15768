/**
 * Brings a database up to date: our tables (drizzle migrations in drizzle/) and
 * graphile-worker's own schema. Safe to run on every start and from several processes at
 * once: drizzle's migrator and graphile-worker's both take advisory locks.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate as drizzleMigrate } from 'drizzle-orm/node-postgres/migrator';
import { runMigrations } from 'graphile-worker';

export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../drizzle');

export async function migrate(pool: pg.Pool): Promise<void> {
  // drizzle's migrator has no lock of its own: serialise concurrent starts on one database.
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock(7243001)');
    try {
      await drizzleMigrate(drizzle(client), { migrationsFolder: MIGRATIONS_DIR });
    } finally {
      await client.query('SELECT pg_advisory_unlock(7243001)');
    }
  } finally {
    client.release();
  }
  await runMigrations({ pgPool: pool });
}
