import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from './helpers/db.js';
import type { Database } from '../src/db/client.js';
import { withQueryScope } from '../src/monitor/query-scope.js';

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

describe('database', () => {
  it('is migrated: our tables and graphile-worker schema exist', async () => {
    const { rows } = await database.pool.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`,
    );
    const names = rows.map((r) => r.table_name);
    for (const t of ['surveys', 'releases', 'files', 'hdus', 'records', 'sources', 'validation_issues', 'ingestion_runs', 'api_tokens']) {
      expect(names).toContain(t);
    }
    const worker = await database.pool.query(`SELECT 1 FROM information_schema.schemata WHERE schema_name = 'graphile_worker'`);
    expect(worker.rowCount).toBe(1);
  });

  it('refuses a second file with the same release path', async () => {
    const s = await database.pool.query(`INSERT INTO surveys (name) VALUES ('DUP') RETURNING id`);
    const r = await database.pool.query(`INSERT INTO releases (survey_id, name) VALUES ($1, 'DR1') RETURNING id`, [s.rows[0].id]);
    const insert = () =>
      database.pool.query(`INSERT INTO files (release_id, path, size_bytes, mtime_ms) VALUES ($1, 'a.fits', 1, 0)`, [r.rows[0].id]);
    await insert();
    await expect(insert()).rejects.toThrow(/files_release_path_key/);
  });

  it('counts every statement in the scope that ran it, pool and checked-out clients alike', async () => {
    const counted = await withQueryScope('ingest', async (scope) => {
      await database.pool.query('SELECT 1');
      const client = await database.pool.connect();
      try {
        await client.query('SELECT 2');
        await client.query('SELECT 3');
      } finally {
        client.release();
      }
      await database.db.query.surveys.findMany();
      return scope.queries;
    });
    expect(counted).toBe(4);
  });
});
