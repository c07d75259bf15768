/**
 * The web pages' server side (src/web/server) without a database: which paths get the shell,
 * the CSP on pages and assets, cache headers, 503 with a reason before the bundle is built, and
 * that everything else falls through to the routes after it.
 */
import fs from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEB_CSP } from '../../src/web/server/csp.js';
import { webRoutes } from '../../src/web/server/routes.js';

let built: string;
let empty: string;
let server: Server;
let base: string;

beforeAll(async () => {
  built = fs.mkdtempSync(path.join(os.tmpdir(), 'aa-web-built-'));
  empty = fs.mkdtempSync(path.join(os.tmpdir(), 'aa-web-empty-'));
  fs.writeFileSync(path.join(built, 'main-ABCDEFGH.js'), 'console.log(1)\n');
  fs.writeFileSync(path.join(built, 'main-IJKLMNOP.css'), 'body{}\n');
  fs.writeFileSync(path.join(built, 'manifest.json'), JSON.stringify({ js: 'main-ABCDEFGH.js', css: 'main-IJKLMNOP.css' }));
  const app = express();
  app.use('/built', webRoutes(built));
  app.use('/empty', webRoutes(empty));
  app.use((_req, res) => void res.status(404).send('fell through'));
  server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
  for (const d of [built, empty]) fs.rmSync(d, { recursive: true, force: true });
});

describe('web routes', () => {
  it('answers every page path with the shell naming the hashed bundle, under the CSP, not cached', async () => {
    for (const p of ['/', '/records/12', '/releases/3', '/ingest', '/profiles/7', '/records/12/']) {
      const res = await fetch(`${base}/built${p}`);
      expect(res.status, p).toBe(200);
      expect(res.headers.get('content-security-policy')).toBe(WEB_CSP);
      expect(res.headers.get('cache-control')).toBe('no-cache');
      const html = await res.text();
      expect(html).toContain('<script type="module" src="/assets/main-ABCDEFGH.js"></script>');
      expect(html).toContain('<link rel="stylesheet" href="/assets/main-IJKLMNOP.css">');
    }
  });

  it('leaves other paths to the routes after it: ids that are not numbers, sub-resources, unknown pages', async () => {
    for (const p of ['/records/abc', '/records/0', '/records/12/preview.png', '/releases/3/archive', '/profiles/7.cpuprofile', '/nope']) {
      const res = await fetch(`${base}/built${p}`);
      expect(res.status, p).toBe(404);
      expect(await res.text()).toBe('fell through');
    }
  });

  it('serves hashed assets for a year (immutable) and the manifest revalidated, under the CSP', async () => {
    const js = await fetch(`${base}/built/assets/main-ABCDEFGH.js`);
    expect(js.status).toBe(200);
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(js.headers.get('content-security-policy')).toBe(WEB_CSP);
    expect((await fetch(`${base}/built/assets/manifest.json`)).headers.get('cache-control')).toBe('no-cache');
    expect((await fetch(`${base}/built/assets/main-ZZZZZZZZ.js`)).status).toBe(404);
  });

  it('says how to build the pages when the bundle is missing', async () => {
    const res = await fetch(`${base}/empty/`);
    expect(res.status).toBe(503);
    expect(await res.text()).toContain('npm run build');
  });
});
