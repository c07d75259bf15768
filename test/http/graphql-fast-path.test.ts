/**
 * POST /graphql answers plain queries through compiled queries (src/graphql/fast-path.ts) and
 * everything else through Apollo. A client must not be able to tell which: for each request
 * here the answer (status, content type, body) is compared with Apollo's own answer to the
 * same request, forced by sending `extensions: {}` (which the fast path leaves to Apollo).
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { createApolloServer, fastPathOf } from '../../src/graphql/server.js';
import { graphqlRoute } from '../../src/http/graphql-route.js';
import { createLogger } from '../../src/log.js';
import { createTestDatabase } from '../helpers/db.js';
import { NESTED_QUERY, testConfig } from '../graphql/harness.js';
import { seed, type Seed } from '../graphql/seed.js';

let database: Database;
let s: Seed;
let server: Server;
let base: string;
let apollo: ReturnType<typeof createApolloServer>;

beforeAll(async () => {
  database = await createTestDatabase();
  s = await seed(database, { files: 6 });
  apollo = createApolloServer({ logger: createLogger('silent') });
  await apollo.start();
  const app = express();
  app.use('/graphql', graphqlRoute(apollo, database, testConfig()));
  server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
});
afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
  await apollo?.stop();
  await database?.close();
});

interface Answer {
  status: number;
  type: string | null;
  body: any;
}

async function post(body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await fetch(base, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: res.status, type: res.headers.get('content-type'), body: await res.json() };
}

/** The fast path's answer and Apollo's to the same request; `fast` says whether the fast path answered. */
async function both(body: Record<string, unknown>, headers: Record<string, string> = {}) {
  const fastPath = fastPathOf(apollo)!;
  const before = fastPath.answered;
  const fast = await post(body, headers);
  const fastAnswered = fastPath.answered - before;
  const viaApollo = await post({ ...body, extensions: {} }, headers);
  expect(fastPath.answered - before, 'extensions: {} goes to Apollo').toBe(fastAnswered);
  return { fast, apollo: viaApollo, fastAnswered };
}

/** durationMs differs between two requests; the rest of the trace must not. */
function withoutDuration(a: Answer): Answer {
  if (a.body.extensions) a.body.extensions.durationMs = typeof a.body.extensions.durationMs;
  return a;
}

describe('POST /graphql fast path (compiled queries)', () => {
  it('answers a nested page like Apollo, with the same trace extensions and statements', async () => {
    const r = await both({ query: NESTED_QUERY, variables: { id: String(s.publishedId), first: 4 } }, { 'x-astroarchive-trace': '1' });
    expect(r.fastAnswered).toBe(1);
    expect(r.fast.status).toBe(200);
    expect(r.fast.body.data.release.files.edges).toHaveLength(4);
    expect(r.fast.body.extensions.sqlQueries).toBeGreaterThan(0);
    expect(withoutDuration(r.fast)).toEqual(withoutDuration(r.apollo));
  });

  it('reports resolver errors (BAD_USER_INPUT naming the argument) like Apollo, data kept where it can be', async () => {
    const query = `query P($id: ID!) { release(id: $id) { name files(first: 5000) { totalCount } } }`;
    const r = await both({ query, variables: { id: String(s.publishedId) } });
    expect(r.fastAnswered).toBe(1);
    expect(r.fast.body.errors[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'first' });
    expect(r.fast).toEqual(r.apollo);
  });

  it('hides drafts from anonymous clients (null), as Apollo does', async () => {
    const r = await both({ query: `query D($id: ID!) { release(id: $id) { name } }`, variables: { id: String(s.draftId) } });
    expect(r.fastAnswered).toBe(1);
    expect(r.fast.body).toEqual({ data: { release: null } });
    expect(r.fast).toEqual(r.apollo);
  });

  it('leaves to Apollo what it must refuse, with the same answers: bad variables, syntax, unknown fields, cost, mutations', async () => {
    const cases: Record<string, unknown>[] = [
      { query: `query P($id: ID!) { release(id: $id) { name } }`, variables: { id: { nested: true } } },
      { query: `query P($id: ID!) { release(id: $id) { name } }` },
      { query: `{ release(id: "1") { name ` },
      { query: `{ release(id: "1") { nope } }` },
      { query: `{ releases { files(first: 1000) { edges { node { hdus { header { keyword } } } } } } }` },
      { query: `mutation { publishRelease(id: "1") { id } }` },
      { query: `query A { surveys { name } } query B { surveys { id } }` },
    ];
    for (const body of cases) {
      const r = await both(body);
      expect(r.fastAnswered, JSON.stringify(body)).toBe(0);
      expect(r.fast.body.errors?.length, JSON.stringify(body)).toBeGreaterThan(0);
      expect(r.fast, JSON.stringify(body)).toEqual(r.apollo);
    }
  });

  it('picks the named operation of a document with several, and serves other media types through Apollo', async () => {
    const doc = `query A { surveys { name } } query B { surveys { id name } }`;
    const r = await both({ query: doc, operationName: 'B' });
    expect(r.fastAnswered).toBe(1);
    expect(r.fast.body.data.surveys[0]).toHaveProperty('id');
    expect(r.fast).toEqual(r.apollo);
    const other = await both({ query: doc, operationName: 'A' }, { accept: 'application/graphql-response+json' });
    expect(other.fastAnswered).toBe(0);
    expect(other.fast.type).toMatch(/^application\/graphql-response\+json/);
  });
});
