/**
 * CORS over real HTTP: a frontend on an origin listed in ARCHIVE_CORS_ORIGINS gets its
 * preflight answered (Apollo's CSRF check used to answer it 400) and can read the answers;
 * any other origin, and every origin when the variable is unset, gets no CORS header.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import type { Database } from '../../src/db/client.js';
import { createTestDatabase } from '../helpers/db.js';
import { serveApp, type ServedApp } from '../helpers/http-app.js';
import { seed } from '../graphql/seed.js';

const APP = 'https://app.example.org';
const DEV = 'http://localhost:5173';

let database: Database;
let home: string;
let open: ServedApp;
let closed: ServedApp;

beforeAll(async () => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'aa-cors-'));
  database = await createTestDatabase();
  await seed(database, { files: 2 });
  open = await serveApp(database, loadConfig({ ARCHIVE_HOME: home, ARCHIVE_DATA_ROOT: home, ARCHIVE_CORS_ORIGINS: `${APP}, ${DEV}` }, home));
  closed = await serveApp(database, loadConfig({ ARCHIVE_HOME: home, ARCHIVE_DATA_ROOT: home }, home));
});
afterAll(async () => {
  await open?.close();
  await closed?.close();
  await database?.close();
  fs.rmSync(home, { recursive: true, force: true });
});

/** What a browser sends before a cross-origin JSON POST with a token. */
const preflight = (base: string, origin: string) =>
  fetch(`${base}/graphql`, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type, x-astroarchive-trace' },
  });

const post = (base: string, origin: string) =>
  fetch(`${base}/graphql`, { method: 'POST', headers: { origin, 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ releases { name } }' }) });

describe('CORS', () => {
  it('answers the preflight of an allowed origin with the headers a browser needs', async () => {
    for (const origin of [APP, DEV]) {
      const res = await preflight(open.base, origin);
      expect(res.status).toBe(204);
      expect(res.headers.get('access-control-allow-origin')).toBe(origin);
      expect(res.headers.get('access-control-allow-methods')).toContain('POST');
      const allowed = (res.headers.get('access-control-allow-headers') ?? '').split(',').map((h) => h.trim());
      expect(allowed).toEqual(expect.arrayContaining(['authorization', 'content-type', 'x-astroarchive-trace', 'apollo-require-preflight']));
      expect(res.headers.get('vary')).toMatch(/origin/i);
    }
  });

  it('lets an allowed origin read the answer of its POST', async () => {
    const res = await post(open.base, APP);
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(APP);
    expect(((await res.json()) as any).data.releases).toEqual([{ name: 'DR1' }]);
  });

  it('gives other origins no CORS header (exact match only)', async () => {
    for (const origin of ['https://evil.example.org', 'https://app.example.org.evil.com', 'http://app.example.org']) {
      const pre = await preflight(open.base, origin);
      expect(pre.status).not.toBe(204);
      expect(pre.headers.get('access-control-allow-origin')).toBeNull();
      expect((await post(open.base, origin)).headers.get('access-control-allow-origin')).toBeNull();
    }
  });

  it('allows no origin by default', async () => {
    const pre = await preflight(closed.base, APP);
    expect(pre.headers.get('access-control-allow-origin')).toBeNull();
    expect((await post(closed.base, APP)).headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses a configured value that is not an origin, saying how to write one', () => {
    expect(() => loadConfig({ ARCHIVE_CORS_ORIGINS: 'https://app.example.org/' }, home)).toThrow(/not an origin; write scheme:\/\/host\[:port\]/);
    expect(() => loadConfig({ ARCHIVE_CORS_ORIGINS: 'app.example.org' }, home)).toThrow(/ARCHIVE_CORS_ORIGINS/);
  });
});
