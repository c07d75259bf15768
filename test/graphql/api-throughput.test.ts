/**
 * What keeps big answers cheap (README, "API benchmark"), each pinned by behaviour:
 * - a request's statements are counted through its context, with no AsyncLocalStorage scope
 *   entered (whose promise hooks would tax every promise of the answer);
 * - loaders select only the columns the operation's fields need, and every field still works;
 * - anonymous Source.records is filtered in its own statement, not by loading releases;
 * - after the look-ahead, nested relations are answered without waiting on a loader.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import type { Database } from '../../src/db/client.js';
import { headerCards } from '../../src/graphql/header-cache.js';
import { Loader } from '../../src/loaders/loader.js';
import { implicitScopesInUse } from '../../src/monitor/query-scope.js';
import { createTestDatabase } from '../helpers/db.js';
import { serveApp, type ServedApp } from '../helpers/http-app.js';
import { createHarness } from './harness.js';
import { card, seed, type Seed } from './seed.js';

let database: Database;
let s: Seed;
let h: ReturnType<typeof createHarness>;
let served: ServedApp;
let home: string;
/** Text of every statement sent through the pool while `capturing`. */
const sent: string[] = [];
let capturing = false;

beforeAll(async () => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'aa-throughput-'));
  database = await createTestDatabase();
  s = await seed(database, { files: 30 });
  h = createHarness(database);
  served = await serveApp(database, loadConfig({ ARCHIVE_HOME: home, ARCHIVE_DATA_ROOT: home }, home));
  // Every statement of a request takes a client from this pool (src/db/pool.ts scopedPool).
  const connect = database.pool.connect.bind(database.pool) as () => Promise<any>;
  (database.pool as any).connect = async (...args: unknown[]) => {
    if (args.length) return (connect as any)(...args);
    const client = await connect();
    if (!client.__captured) {
      const query = client.query.bind(client);
      client.query = (...a: any[]) => {
        if (capturing) sent.push(typeof a[0] === 'string' ? a[0] : a[0]?.text);
        return query(...a);
      };
      client.__captured = true;
    }
    return client;
  };
});
afterAll(async () => {
  await served?.close();
  await database?.close();
  fs.rmSync(home, { recursive: true, force: true });
});

async function statementsOf(run: () => Promise<unknown>): Promise<string[]> {
  sent.length = 0;
  capturing = true;
  try {
    await run();
  } finally {
    capturing = false;
  }
  return [...sent];
}

describe('API throughput', () => {
  it('counts an HTTP request statements through its context, without entering an AsyncLocalStorage scope', async () => {
    const res = await fetch(`${served.base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-astroarchive-trace': '1' },
      body: JSON.stringify({ query: `query($id: ID!) { release(id: $id) { files(first: 5) { edges { node { path record { source { name } } } } } } }`, variables: { id: String(s.publishedId) } }),
    });
    const body = (await res.json()) as { data: any; extensions: { sqlQueries: number } };
    expect(body.data.release.files.edges).toHaveLength(5);
    // release, page (its records and their sources in the same statement: src/loaders/embed.ts)
    expect(body.extensions.sqlQueries).toBe(2);
    expect(implicitScopesInUse()).toBe(false);
  });

  it('selects only the columns the fields need, and all of them when a field needs more', async () => {
    const ids = `query($id: ID!) { release(id: $id) { files(first: 5) { edges { node { id record { id source { name records { id file { path } } } } } } } } }`;
    const narrow = await statementsOf(() => h.exec(ids, { id: String(s.publishedId) }).then((r) => expect(r.errors).toBeUndefined()));
    const recordSelects = narrow.filter((q) => /FROM records rec/.test(q));
    expect(recordSelects.length).toBeGreaterThan(0);
    for (const q of recordSelects) expect(q).not.toMatch(/product_type|footprint|catalogue|obs_id/);
    for (const q of narrow.filter((q) => /FROM files f|CROSS JOIN LATERAL/.test(q))) expect(q).not.toMatch(/checksum|size_bytes/);

    const wide = `query($id: ID!) { release(id: $id) { files(first: 5) { edges { node { checksum sizeBytes record { productType center { ra dec } spectralRange { min } obsId } } } } } }`;
    const r = await h.exec(wide, { id: String(s.publishedId) });
    expect(r.errors).toBeUndefined();
    const node = r.data.release.files.edges[0].node;
    expect(node.sizeBytes).toBeGreaterThan(0);
    expect(node.record.productType).toEqual(expect.any(String));
    expect(node.record.obsId).toEqual(expect.any(String));
    expect(node.record.center).toEqual({ ra: expect.any(Number), dec: expect.any(Number) });
  });

  it('filters an anonymous caller\u2019s Source.records in the statement: no release loaded per record', async () => {
    const q = `query($id: ID!) { source(id: $id) { name records { id } } }`;
    const sql = await statementsOf(() => h.exec(q, { id: String(s.sourceIds[0]) }).then((r) => expect(r.data.source.records.length).toBeGreaterThan(0)));
    expect(sql.some((t) => /FROM releases r WHERE r\.id = ANY/.test(t))).toBe(false);
    expect(sql.some((t) => /FROM records rec JOIN releases r ON r\.id = rec\.release_id AND r\.status = 'published'/.test(t))).toBe(true);
  });

  it('a Loader answers a loaded key synchronously (no promise for graphql-js to await)', async () => {
    const loader = new Loader<string | null>(async (keys) => keys.map((k) => (k === 2 ? null : `v${k}`)));
    expect(loader.get(1)).toBeInstanceOf(Promise);
    await loader.loadMany([1, 2]);
    expect(loader.get(1)).toBe('v1');
    expect(loader.get(2)).toBeNull();
    loader.prime(3, 'p3');
    expect(loader.get(3)).toBe('p3');
  });

  it('parses a stored header once, and a changed header again', () => {
    const text = [card('SIMPLE  =                    T'), card('BITPIX  =                    8'), card('NAXIS   =                    0'), card('END')].join('');
    const first = headerCards(text);
    expect(first.map((c) => c.keyword)).toEqual(['SIMPLE', 'BITPIX', 'NAXIS']);
    expect(headerCards(text)).toBe(first);
    const changed = headerCards(text.replace('BITPIX  =                    8', 'BITPIX  =                   16'));
    expect(changed).not.toBe(first);
    expect(changed[1].value).toBe(16);
  });
});
