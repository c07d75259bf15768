/**
 * The request limits over real HTTP: the two queries that took the service down (a recursive
 * release -> files -> record -> source -> records -> file -> release ... nested five levels, and
 * 50 aliases of files(first: 1000) with headers) are refused before execution with the limit
 * named, each by more than one limit; a legitimate nested page of 500 files still runs; the
 * token limit and the answer-size cap say which limit and by how much.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { getIntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { benchQueries } from '../../src/bench/api/queries.js';
import { loadConfig } from '../../src/config.js';
import type { Database } from '../../src/db/client.js';
import { registry } from '../../src/monitor/metrics.js';
import { createTestDatabase } from '../helpers/db.js';
import { serveApp, type ServedApp } from '../helpers/http-app.js';
import { NESTED_QUERY } from '../graphql/harness.js';
import { seed, type Seed } from '../graphql/seed.js';

let database: Database;
let s: Seed;
const served: ServedApp[] = [];
let base: string;
let home: string;

async function serveWith(env: Record<string, string> = {}): Promise<string> {
  const app = await serveApp(database, loadConfig({ ARCHIVE_HOME: home, ARCHIVE_DATA_ROOT: home, ...env }, home));
  served.push(app);
  return app.base;
}

beforeAll(async () => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'aa-limits-'));
  database = await createTestDatabase();
  s = await seed(database, { files: 600 });
  base = await serveWith();
});
afterAll(async () => {
  for (const app of served) await app.close();
  await database?.close();
  fs.rmSync(home, { recursive: true, force: true });
});

type Json = any;
async function post(at: string, query: string, variables: Record<string, unknown> = {}): Promise<{ status: number; body: Json; ms: number }> {
  const started = performance.now();
  const res = await fetch(`${at}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  return { status: res.status, body: await res.json(), ms: performance.now() - started };
}

/** Statements sent for GraphQL requests so far, in this process (the app runs in it). */
async function graphqlStatements(): Promise<number> {
  const { values } = await registry.getSingleMetric('astroarchive_db_queries_total')!.get();
  return values.filter((v) => v.labels.origin === 'graphql').reduce((a, v) => a + v.value, 0);
}

/** release -> files(first: 1) -> record -> source -> records -> file -> release -> ..., `levels` deep (519 bytes at 5). */
function recursiveQuery(levels: number): string {
  let inner = 'name';
  for (let i = 0; i < levels; i++) {
    inner = `name files(first: 1) { edges { node { path record { source { name records { file { release { ${inner} } } } } } } } }`;
  }
  return `query Recursive($id: ID!) { release(id: $id) { ${inner} } }`;
}

/** 50 aliases of a page of 1,000 files with their HDUs' header cards. */
const ALIASES = `query Aliases($id: ID!) { release(id: $id) { ${Array.from(
  { length: 50 },
  (_, i) => `a${i}: files(first: 1000) { edges { node { hdus { header { keyword value } } } } }`,
).join(' ')} } }`;

function limitError(body: Json) {
  expect(body.data ?? null).toBeNull();
  expect(body.errors).toHaveLength(1);
  return body.errors[0] as { message: string; extensions: { code: string; limit: string; max: number; actual?: number } };
}

describe('GraphQL request limits over HTTP', () => {
  it('refuses the recursive five-level query before running it: 400 QUERY_TOO_COMPLEX, depth, by how much', async () => {
    const query = recursiveQuery(5);
    expect(Buffer.byteLength(query)).toBeLessThan(700);
    const before = await graphqlStatements();
    const r = await post(base, query, { id: String(s.publishedId) });
    expect(r.status).toBe(400);
    const e = limitError(r.body);
    expect(e.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 'depth', max: 10 });
    expect(e.extensions.actual).toBeGreaterThan(40);
    expect(e.message).toContain(`query depth ${e.extensions.actual} exceeds the limit of 10`);
    expect(await graphqlStatements()).toBe(before); // refused before execution: no SQL at all
    expect(r.ms).toBeLessThan(5000);
  });

  it('refuses 50 aliases of files(first: 1000) { hdus { header } }: aliases 50 over 15', async () => {
    const before = await graphqlStatements();
    const r = await post(base, ALIASES, { id: String(s.publishedId) });
    expect(r.status).toBe(400);
    const e = limitError(r.body);
    expect(e.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 'aliases', max: 15, actual: 50 });
    expect(e.message).toBe('query has 50 aliases, over the limit of 15: send fewer aliased fields in one request');
    expect(await graphqlStatements()).toBe(before);
    expect(r.ms).toBeLessThan(5000);
  });

  it('with depth and aliases allowed, the cost limit still refuses both (computed from page sizes, before execution)', async () => {
    const lax = await serveWith({ ARCHIVE_GRAPHQL_MAX_DEPTH: '100', ARCHIVE_GRAPHQL_MAX_ALIASES: '100' });
    const before = await graphqlStatements();
    for (const query of [recursiveQuery(5), recursiveQuery(3), ALIASES]) {
      const r = await post(lax, query, { id: String(s.publishedId) });
      expect(r.status).toBe(400);
      const e = limitError(r.body);
      expect(e.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 'cost', max: 500_000 });
      expect(e.extensions.actual).toBeGreaterThan(500_000);
      expect(e.message).toMatch(/^query cost \d+ exceeds the limit of 500000 \([\d.]+x\): lower `first`/);
    }
    expect(await graphqlStatements()).toBe(before);
    // The cost follows the variables: the same document is cheap enough with a small page.
    const small = await post(lax, NESTED_QUERY, { id: String(s.publishedId), first: 500 });
    expect(small.body.errors).toBeUndefined();
    const big = await post(lax, NESTED_QUERY, { id: String(s.publishedId), first: 5000 });
    expect(limitError(big.body).extensions.limit).toBe('cost');
  });

  it('still runs the nested release -> files(first: 500) -> hdus, issues, record -> source query', async () => {
    const r = await post(base, NESTED_QUERY, { id: String(s.publishedId), first: 500 });
    expect(r.status).toBe(200);
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.release.files.edges).toHaveLength(500);
    expect(r.body.data.release.files.edges[0].node.hdus[0].header.length).toBeGreaterThan(3);
  });

  it("accepts the API bench's queries at their page sizes (Q2: 500 files -> source -> all its records -> file)", async () => {
    // Limits are checked before execution, whatever the data: unknown ids keep this quick.
    for (const q of benchQueries({ releaseId: 999_999, fileId: 999_999 })) {
      const { query, variables } = q.ours();
      const r = await post(base, query, variables);
      expect(r.status, q.name).toBe(200);
      expect(r.body.errors, q.name).toBeUndefined();
    }
  });

  it('lets GraphiQL introspect the schema', async () => {
    const r = await post(base, getIntrospectionQuery());
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.__schema.types.length).toBeGreaterThan(20);
  });

  it('refuses a document of more tokens than the limit, naming it', async () => {
    const r = await post(base, `{ surveys { ${'name '.repeat(5001)}} }`);
    expect(r.status).toBe(400);
    const e = limitError(r.body);
    expect(e.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 'tokens', max: 5000 });
    expect(e.message).toContain('more than 5000 tokens');
  });

  it('replaces an answer over the size cap with an error giving its size', async () => {
    const capped = await serveWith({ ARCHIVE_GRAPHQL_MAX_RESPONSE_BYTES: '20000' });
    const r = await post(capped, NESTED_QUERY, { id: String(s.publishedId), first: 100 });
    const e = limitError(r.body);
    expect(e.extensions).toMatchObject({ code: 'RESPONSE_TOO_LARGE', limit: 'responseBytes', max: 20000 });
    expect(e.extensions.actual).toBeGreaterThan(20000);
    expect(e.message).toContain(`the answer is ${e.extensions.actual} bytes, over the limit of 20000`);
    // A small page fits.
    const ok = await post(capped, NESTED_QUERY, { id: String(s.publishedId), first: 2 });
    expect(ok.body.errors).toBeUndefined();
  });
});
