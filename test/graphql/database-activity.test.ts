/**
 * Query.databaseActivity and Query.topStatements against real servers: a statement really
 * blocked by another session's lock shows that session's pid in blockedBy, literals never
 * reach the answer, and only admins may ask. topStatements on the test server (extension not
 * loaded) says why it is unavailable, and on a throw-away PostgreSQL 15 cluster that preloads
 * pg_stat_statements lists the statements.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase, type Database } from '../../src/db/client.js';
import { createPg15Cluster, pg15Unavailable, type Pg15Cluster } from '../../src/db/debian-cluster.js';
import { ADMIN, INGEST, codes, createHarness } from './harness.js';
import { createTestDatabase } from '../helpers/db.js';
import { waitFor } from '../helpers/processes.js';

let database: Database;
let gql: ReturnType<typeof createHarness>;

beforeAll(async () => {
  database = await createTestDatabase();
  gql = createHarness(database);
});
afterAll(async () => {
  await database?.close();
});

const ACTIVITY = `{ databaseActivity { pid state ageSeconds waitEvent waitEventType query blockedBy applicationName backendType } }`;

describe('databaseActivity', () => {
  it('shows a statement blocked by another session, with the blocker pid, its wait and no literals', async () => {
    const holder = new pg.Client({ connectionString: database.url, application_name: 'lock-holder' });
    const waiter = new pg.Client({ connectionString: database.url, application_name: 'lock-waiter' });
    await holder.connect();
    await waiter.connect();
    try {
      await holder.query('CREATE TABLE lock_probe (id int, note text, other text)');
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE lock_probe IN ACCESS EXCLUSIVE MODE');
      const holderPid = (await holder.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
      const waiterPid = (await waiter.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
      const blocked = waiter.query(`INSERT INTO lock_probe VALUES (31337, 'top secret path', E'it\\'s /* no */ 2.5e3') -- note 'x'`);

      const row = await waitFor(async () => {
        const r = await gql.exec(ACTIVITY, {}, ADMIN);
        expect(r.errors).toBeUndefined();
        return (r.data.databaseActivity as any[]).find((s) => s.pid === waiterPid && s.blockedBy.length > 0);
      }, 20_000, 50, 'the blocked INSERT');
      expect(row.blockedBy).toEqual([holderPid]);
      expect(row.state).toBe('active');
      expect(row.waitEventType).toBe('Lock');
      expect(row.waitEvent).toBe('relation');
      expect(row.applicationName).toBe('lock-waiter');
      expect(row.backendType).toBe('client backend');
      expect(row.ageSeconds).toBeGreaterThanOrEqual(0);
      expect(row.query).toBe('INSERT INTO lock_probe VALUES (?, ?, ?)');

      const all = (await gql.exec(ACTIVITY, {}, ADMIN)).data.databaseActivity as any[];
      // The holder waits for nothing, idle inside its transaction; the asking session is not listed.
      const h = all.find((s) => s.pid === holderPid);
      expect(h).toMatchObject({ state: 'idle in transaction', blockedBy: [], applicationName: 'lock-holder' });
      expect(all.some((s) => /pg_blocking_pids/.test(s.query))).toBe(false);
      expect(JSON.stringify(all)).not.toMatch(/top secret|31337|2\.5e3/);
      // Blocked statements come first.
      expect(all[0].blockedBy.length).toBeGreaterThan(0);

      await holder.query('ROLLBACK');
      await blocked;
      // Once released, nothing blocks it any more (and the waiter is idle: not listed).
      await waitFor(async () => {
        const r = await gql.exec(ACTIVITY, {}, ADMIN);
        return (r.data.databaseActivity as any[]).some((s) => s.pid === waiterPid) ? undefined : true;
      }, 20_000, 50, 'the waiter to finish');
    } finally {
      await holder.end();
      await waiter.end();
    }
  });

  it('is refused without a token and to non-admin tokens, as is topStatements', async () => {
    for (const q of [ACTIVITY, '{ topStatements { available } }']) {
      const anon = await gql.exec(q);
      expect(codes(anon)).toEqual(['UNAUTHENTICATED']);
      expect(anon.data).toBeNull();
      const ingest = await gql.exec(q, {}, INGEST);
      expect(codes(ingest)).toEqual(['FORBIDDEN']);
    }
  });
});

describe('topStatements', () => {
  it('says pg_stat_statements is not available when the server does not load it', async () => {
    const r = await gql.exec('{ topStatements(first: 5) { available reason statements { query } } }', {}, ADMIN);
    expect(r.errors).toBeUndefined();
    expect(r.data.topStatements.available).toBe(false);
    expect(r.data.topStatements.reason).toMatch(/pg_stat_statements is not installed/);
    expect(r.data.topStatements.statements).toEqual([]);
    // Installed in the database but not preloaded by the server: a different reason.
    await database.pool.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    const r2 = await gql.exec('{ topStatements(first: 5) { available reason } }', {}, ADMIN);
    expect(r2.data.topStatements).toEqual({ available: false, reason: expect.stringMatching(/shared_preload_libraries/) });
    expect(codes(await gql.exec('{ topStatements(first: 0) { available } }', {}, ADMIN))).toEqual(['BAD_USER_INPUT']);
  });

  const skip = pg15Unavailable();
  describe.skipIf(skip !== null)('with the extension loaded (PostgreSQL 15 cluster)', () => {
    let cluster: Pg15Cluster;
    let db: Database;
    beforeAll(async () => {
      cluster = await createPg15Cluster({ name: 'aa-topstatements', settings: { shared_preload_libraries: 'pg_stat_statements' } });
      db = connectDatabase(cluster.url, { poolSize: 2 });
      await db.pool.query('CREATE EXTENSION pg_stat_statements');
    }, 120_000);
    afterAll(async () => {
      await db?.close();
      cluster?.destroy();
    });

    it('lists statements by total time, literals stripped', async () => {
      await db.pool.query('CREATE TABLE t (id int, secret text)');
      for (let i = 0; i < 5; i++) await db.pool.query(`INSERT INTO t SELECT g, 'hidden-' || g FROM generate_series(1, 2000) g WHERE 'needle-${i}' <> ''`);
      const r = await createHarness(db).exec('{ topStatements(first: 20) { available reason statements { query calls totalSeconds meanMs rows } } }', {}, ADMIN);
      expect(r.errors).toBeUndefined();
      const top = r.data.topStatements;
      expect(top.available).toBe(true);
      expect(top.reason).toBeNull();
      const insert = top.statements.find((s: any) => s.query.startsWith('INSERT INTO t'));
      expect(insert).toBeDefined();
      expect(insert.calls).toBe(5);
      expect(insert.rows).toBe(10_000);
      expect(insert.totalSeconds).toBeGreaterThan(0);
      const totals = top.statements.map((s: any) => s.totalSeconds);
      expect(totals).toEqual([...totals].sort((a, b) => b - a));
      expect(JSON.stringify(top)).not.toMatch(/hidden-|needle-/);
    }, 60_000);
  });
});
