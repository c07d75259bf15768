import type { AddressInfo } from 'node:net';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../../src/auth/tokens.js';
import type { Database } from '../../src/db/client.js';
import { createHttpApp } from '../../src/http/app.js';
import { createLogger } from '../../src/log.js';
import { createTestDatabase } from '../helpers/db.js';
import { testConfig } from '../graphql/harness.js';
import { seed, type Seed } from '../graphql/seed.js';
import { serveApp, type ServedApp } from '../helpers/http-app.js';

let database: Database;
let s: Seed;
let served: ServedApp;
let base: string;

beforeAll(async () => {
  // The page test needs the bundle; the build skips itself when it is already up to date.
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'ignore' });
  database = await createTestDatabase();
  s = await seed(database, { files: 5 });
  served = await serveApp(database, testConfig());
  base = served.base;
});
afterAll(async () => {
  await served?.close();
  await database?.close();
});

// Response bodies are loosely typed here: the assertions say what shape they must have.
type Json = any;
const gql = (body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

describe('HTTP', () => {
  it('/healthz answers 200 ok while the database answers, 503 when it does not', async () => {
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });

    const broken = await createHttpApp({
      database: { ...database, pool: { query: () => Promise.reject(new Error('ECONNREFUSED')) } } as never,
      config: testConfig(),
      logger: createLogger('silent'),
    });
    const srv = broken.app.listen(0, '127.0.0.1');
    await new Promise((r) => srv.once('listening', r));
    try {
      const down = await fetch(`http://127.0.0.1:${(srv.address() as AddressInfo).port}/healthz`);
      expect(down.status).toBe(503);
    } finally {
      srv.closeAllConnections();
      await new Promise((r) => srv.close(r));
      await broken.stop();
    }
  });

  it('/metrics exposes the contract metric names', async () => {
    await gql({ query: 'query Warm { surveys { name } }' });
    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    const text = await res.text();
    for (const name of [
      'astroarchive_files_processed_total',
      'astroarchive_db_queries_total',
      'astroarchive_ingest_stage_seconds',
      'astroarchive_graphql_request_duration_seconds',
      'process_cpu_user_seconds_total',
    ]) {
      expect(text, name).toContain(name);
    }
    expect(text).toMatch(/astroarchive_graphql_request_duration_seconds_count\{operation="Warm"\} [1-9]/);
  });

  it('answers GraphQL over POST and GET, with trace extensions on request', async () => {
    const plain = await gql({ query: '{ releases { name } }' });
    const body: Json = await plain.json();
    expect(body.data.releases).toEqual([{ name: 'DR1' }]);
    expect(body.extensions).toBeUndefined();

    const traced = await gql(
      { query: 'query($id: ID!) { release(id: $id) { files(first: 3) { edges { node { hdus { index } } } } } }', variables: { id: String(s.publishedId) } },
      { 'x-astroarchive-trace': '1' },
    );
    const t: Json = await traced.json();
    expect(t.errors).toBeUndefined();
    // release, then the file page with its hdus in the same statement (src/loaders/embed.ts).
    expect(t.extensions.sqlQueries).toBe(2);
    expect(t.extensions.dataloaderBatches).toBe(2);
    expect(typeof t.extensions.durationMs).toBe('number');

    const get = await fetch(`${base}/graphql?query=${encodeURIComponent('{ releases { name } }')}`, { headers: { 'apollo-require-preflight': 'true' } });
    expect(((await get.json()) as Json).data.releases).toEqual([{ name: 'DR1' }]);
  });

  it('blocks CSRF-able GET requests (no preflight header)', async () => {
    const res = await fetch(`${base}/graphql?query=${encodeURIComponent('{ releases { name } }')}`);
    expect(res.status).toBe(400);
  });

  it('authenticates bearer tokens: drafts for holders, 401 UNAUTHENTICATED for bad tokens', async () => {
    const { token } = await createToken(database, 'http test', 'ingest');
    const withToken: Json = await (await gql({ query: '{ releases { name } viewer { role } }' }, { authorization: `Bearer ${token}` })).json();
    expect(withToken.data).toEqual({ releases: [{ name: 'DR1' }, { name: 'DR2' }], viewer: { role: 'ingest' } });
    const traced: Json = await (await gql({ query: '{ viewer { role } }' }, { authorization: `Bearer ${token}`, 'x-astroarchive-trace': '1' })).json();
    expect(traced.extensions.sqlQueries).toBe(1); // the token lookup, nothing else

    const bad = await gql({ query: '{ releases { name } }' }, { authorization: 'Bearer aa_wrong' });
    expect(bad.status).toBe(401);
    const badBody: Json = await bad.json();
    expect(badBody.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(badBody.data).toBeUndefined();
  });

  it('/graphiql serves the explorer with local assets only', async () => {
    const res = await fetch(`${base}/graphiql`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await res.text();
    // An icon of its own, so the browser does not ask for /favicon.ico (a 404 in the console).
    expect(html).toContain('<link rel="icon" href="data:,"');
    const refs = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(refs.length).toBeGreaterThanOrEqual(3);
    for (const ref of refs) {
      expect(ref, ref).not.toMatch(/^(https?:)?\/\//);
      const asset = await fetch(new URL(ref, `${base}/graphiql`));
      expect(asset.status, ref).toBe(200);
    }
    // The workers Monaco asks for are served too.
    for (const w of ['editor.worker.js', 'json.worker.js', 'graphql.worker.js']) {
      expect((await fetch(`${base}/graphiql/assets/${w}`)).status, w).toBe(200);
    }
    // Apollo's CDN landing page is off: a browser GET on /graphql gets no HTML.
    const landing = await fetch(`${base}/graphql`, { headers: { accept: 'text/html' } });
    expect(await landing.text()).not.toContain('apollo-server-landing-page');
  });
});
