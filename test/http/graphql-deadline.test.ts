/**
 * A request's deadline and its client's disconnect stop its SQL. A statement is made to block
 * (another connection holds an exclusive lock on `files`); at the deadline, or when the client
 * goes away, the blocked statement must be cancelled on the server (it leaves
 * pg_stat_activity while the lock is still held) and the request must send nothing more.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../../src/auth/tokens.js';
import { loadConfig } from '../../src/config.js';
import type { Database } from '../../src/db/client.js';
import { createLogger } from '../../src/log.js';
import { ActivityBoard } from '../../src/monitor/activity.js';
import { registry } from '../../src/monitor/metrics.js';
import { registerProcess } from '../../src/monitor/processes.js';
import { startProfileListener } from '../../src/monitor/profile-listener.js';
import { runInQueryScope } from '../../src/monitor/query-scope.js';
import { createTestDatabase } from '../helpers/db.js';
import { waitFor } from '../helpers/processes.js';
import { serveApp, type ServedApp } from '../helpers/http-app.js';
import { seed, type Seed } from '../graphql/seed.js';

const TIMEOUT_MS = 1500;

let database: Database;
let s: Seed;
let home: string;
let served: ServedApp;

beforeAll(async () => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'aa-deadline-'));
  database = await createTestDatabase();
  s = await seed(database, { files: 20 });
  served = await serveApp(database, loadConfig({ ARCHIVE_HOME: home, ARCHIVE_DATA_ROOT: home, ARCHIVE_GRAPHQL_TIMEOUT_MS: String(TIMEOUT_MS) }, home));
});
afterAll(async () => {
  await served?.close();
  await database?.close();
  fs.rmSync(home, { recursive: true, force: true });
});

/** Wait (polling) until `check` holds. */
const until = (what: string, check: () => Promise<boolean>) => waitFor(async () => ((await check()) ? true : undefined), 20_000, 25, what);

/** Holds ACCESS EXCLUSIVE on `files` in a transaction of its own until released. */
async function lockFiles(): Promise<{ pid: number; release(): Promise<void> }> {
  const client: pg.PoolClient = await database.pool.connect();
  await client.query('BEGIN');
  await client.query('LOCK TABLE files IN ACCESS EXCLUSIVE MODE');
  const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
  return {
    pid: rows[0].pid,
    async release() {
      await client.query('ROLLBACK');
      client.release();
    },
  };
}

/** Statements of this database waiting for a lock, other than the locker's own. */
async function blockedStatements(lockerPid: number): Promise<number> {
  const { rows } = await database.pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> $1 AND wait_event_type = 'Lock'`,
    [lockerPid],
  );
  return rows[0].n;
}

async function graphqlStatements(): Promise<number> {
  const { values } = await registry.getSingleMetric('astroarchive_db_queries_total')!.get();
  return values.filter((v) => v.labels.origin === 'graphql').reduce((a, v) => a + v.value, 0);
}

async function requestsFinished(operation: string): Promise<number> {
  const { values } = await registry.getSingleMetric('astroarchive_graphql_request_duration_seconds')!.get();
  return values.find((v) => (v as { metricName?: string }).metricName?.endsWith('_count') && v.labels.operation === operation)?.value ?? 0;
}

/** Without the lock: release (1), file page (2), then hdus and issues (3, 4). */
const query = (name: string) =>
  `query ${name}($id: ID!) { release(id: $id) { files(first: 5) { edges { node { path hdus { index } issues { code } } } } } }`;

const post = (name: string, signal?: AbortSignal) =>
  fetch(`${served.base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-astroarchive-trace': '1' },
    body: JSON.stringify({ query: query(name), variables: { id: String(s.publishedId) } }),
    signal,
  });

describe('GraphQL deadline and disconnect', () => {
  it('stops a request at its deadline: 503 REQUEST_TIMEOUT with the limit, its blocked statement cancelled, nothing sent after', async () => {
    const lock = await lockFiles();
    try {
      const res = await post('Slow', AbortSignal.timeout(30_000));
      expect(res.status).toBe(503);
      const body = (await res.json()) as any;
      expect(body.data).toBeNull();
      expect(body.errors).toHaveLength(1);
      expect(body.errors[0].extensions).toMatchObject({ code: 'REQUEST_TIMEOUT', limit: 'timeoutMs', max: TIMEOUT_MS });
      expect(body.errors[0].extensions.actual).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
      expect(body.errors[0].message).toContain(`longer than the limit of ${TIMEOUT_MS} ms`);
      // The release and the file page were sent; the page was cancelled, so no HDUs or issues.
      expect(body.extensions.sqlQueries).toBe(2);
      // Cancelled on the server while the lock is still held (it would otherwise wait for it).
      await until('the blocked statement to be cancelled', async () => (await blockedStatements(lock.pid)) === 0);
    } finally {
      await lock.release();
    }
  });

  it('stops a request whose client disconnected: its blocked statement is cancelled and no statement follows', async () => {
    const lock = await lockFiles();
    try {
      const client = new AbortController();
      const pending = post('Gone', client.signal).catch((err: Error) => err);
      await until('the request to block on the lock', async () => (await blockedStatements(lock.pid)) === 1);
      const sent = await graphqlStatements();
      client.abort();
      expect(await pending).toBeInstanceOf(Error);
      await until('the server to finish the request', async () => (await requestsFinished('Gone')) === 1);
      await until('the blocked statement to be cancelled', async () => (await blockedStatements(lock.pid)) === 0);
      expect(await graphqlStatements()).toBe(sent);
    } finally {
      await lock.release();
    }
  });

  it('stops a request at its deadline while it waits for a connection (every one busy), and the connection it gets later goes back', async () => {
    const pool = database.pool as pg.Pool & { options: { max: number }; totalCount: number; idleCount: number; waitingCount: number };
    const held: pg.PoolClient[] = [];
    for (let i = 0; i < pool.options.max; i++) held.push(await pool.connect());
    try {
      const t0 = Date.now();
      const res = await post('Starved', AbortSignal.timeout(30_000));
      const took = Date.now() - t0;
      expect(res.status).toBe(503);
      expect(((await res.json()) as any).errors[0].extensions).toMatchObject({ code: 'REQUEST_TIMEOUT', max: TIMEOUT_MS });
      // At its deadline, not when a connection frees (none does until the finally below).
      expect(took).toBeLessThan(TIMEOUT_MS + 5_000);
      expect(pool.waitingCount).toBeGreaterThanOrEqual(1); // its checkout is still queued, to be given straight back
    } finally {
      for (const c of held) c.release();
    }
    await until('the late connection to go back to the pool', async () => pool.waitingCount === 0 && pool.idleCount === pool.totalCount);
    expect((await post('After', AbortSignal.timeout(30_000))).status).toBe(200);
  });

  it('a stopped request sends no statement at all (refused before it takes a connection)', async () => {
    const stop = new AbortController();
    stop.abort(new Error('stopped for the test'));
    const scope = { origin: 'graphql' as const, queries: 0, signal: stop.signal };
    await expect(runInQueryScope(scope, () => database.pool.query(`INSERT INTO surveys (name) VALUES ('never')`))).rejects.toThrow('stopped for the test');
    expect(scope.queries).toBe(0);
    const { rows } = await database.pool.query(`SELECT 1 FROM surveys WHERE name = 'never'`);
    expect(rows).toHaveLength(0);
  });

  it("spares an admin's captureProfile, which bounds its own wait, from the deadline", async () => {
    const registered = await registerProcess(database.pool, { role: 'api', activity: new ActivityBoard() });
    const listener = startProfileListener({ databaseUrl: database.url, pool: database.pool, processId: registered.id, logger: createLogger('silent') });
    try {
      await listener.ready;
      const { token } = await createToken(database, 'deadline admin', 'admin');
      const res = await fetch(`${served.base}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: `mutation { captureProfile(seconds: 2, target: "${registered.id}") { id sampleCount } }` }),
      });
      const body = (await res.json()) as any;
      expect(body.errors).toBeUndefined();
      expect(body.data.captureProfile.sampleCount).toBeGreaterThan(0);
    } finally {
      await listener.stop();
      await registered.stop();
    }
  });

  it('answers normally once nothing blocks', async () => {
    const res = await post('Fast');
    const body = (await res.json()) as any;
    expect(body.errors).toBeUndefined();
    expect(body.data.release.files.edges).toHaveLength(5);
    // release, file page (its HDUs and issues in the same statement)
    expect(body.extensions.sqlQueries).toBe(2);
  });
});
