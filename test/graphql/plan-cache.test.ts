/**
 * A file by id (the record page's read, and the API bench's Q3) runs as a named statement that
 * PostgreSQL plans once per connection, not on every request: a batch of one key is sent as
 * `= $1` (src/loaders/prepared.ts keyedStatement). Sent as `= ANY($1)`, its generic plan was
 * estimated dearer than a one-key custom plan, and PostgreSQL re-planned it on every run.
 * The counts come from the session's own pg_prepared_statements, so the database here has
 * one connection: every statement runs in the session that is asked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase, type Database } from '../../src/db/client.js';
import { createTestDatabase } from '../helpers/db.js';
import { createHarness } from './harness.js';
import { seed, type Seed } from './seed.js';

const FILE_WITH_CARDS = `query($id: ID!) { file(id: $id) { id path hdus { index header { keyword value comment } } } }`;
const RUNS = 12;

let database: Database;
let oneSession: Database;
let s: Seed;
beforeAll(async () => {
  database = await createTestDatabase();
  s = await seed(database, { files: 200 });
  await database.pool.query('ANALYZE');
  oneSession = connectDatabase(database.url, { poolSize: 1 });
});
afterAll(async () => {
  await oneSession?.close();
  await database?.close();
});

async function planCounts(fragment: string): Promise<{ statement: string; generic: number; custom: number }[]> {
  const { rows } = await oneSession.pool.query<{ statement: string; generic_plans: string; custom_plans: string }>(
    `SELECT statement, generic_plans, custom_plans FROM pg_prepared_statements WHERE name LIKE 'astroarchive_loader_%' AND statement LIKE $1`,
    [`%${fragment}%`],
  );
  return rows.map((r) => ({ statement: r.statement, generic: Number(r.generic_plans), custom: Number(r.custom_plans) }));
}

describe('prepared loader statements keep their plan', () => {
  it(`file(id) with HDUs and header cards, anonymously, ${RUNS} times: planned at most 5 times (PostgreSQL's custom plans), then generic`, async () => {
    const h = createHarness(oneSession);
    for (let i = 0; i < RUNS; i++) {
      const r = await h.exec(FILE_WITH_CARDS, { id: String(s.fileIds[i]) });
      expect(r.errors).toBeUndefined();
      expect(r.data.file.hdus[0].header.length).toBeGreaterThan(0);
      expect(r.queries).toBe(1);
    }
    // The published-release check is in the statement (a join), HDUs embedded in it.
    const [stmt, ...others] = await planCounts('FROM files f JOIN releases r');
    expect(others).toEqual([]);
    expect(stmt.generic + stmt.custom).toBe(RUNS);
    expect(stmt.custom).toBeLessThanOrEqual(5);
    expect(stmt.statement).toMatch(/WHERE f\.id = \$1$/);
  });

  it('a batch of several keys still goes as one array: two files by id in one request are one statement', async () => {
    const h = createHarness(oneSession);
    const r = await h.exec(`query($a: ID!, $b: ID!) { a: file(id: $a) { path } b: file(id: $b) { path } }`, { a: String(s.fileIds[0]), b: String(s.fileIds[1]) });
    expect(r.errors).toBeUndefined();
    expect([r.data.a.path, r.data.b.path].every(Boolean)).toBe(true);
    expect(r.queries).toBe(1);
    const batched = (await planCounts('FROM files f JOIN releases r')).filter((x) => !x.statement.includes('__hdus'));
    expect(batched.map((x) => x.statement.endsWith('WHERE f.id = ANY($1)'))).toEqual([true]);
  });
});
