/**
 * /speedscope/ (src/http/profiles.ts): speedscope's build served with its own policy, and an
 * install without development dependencies (no build copied) says so instead of a bare 404.
 * No database is needed: the route never touches it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { profileRoutes, SPEEDSCOPE_CSP } from '../../src/http/profiles.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

async function serve(dir: string): Promise<{ base: string; close(): void }> {
  const app = express();
  app.use(profileRoutes({} as Database, dir));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}

describe('/speedscope/', () => {
  it('serves the copied build with its policy', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aa-speedscope-'));
    dirs.push(dir);
    fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>speedscope</title>');
    fs.writeFileSync(path.join(dir, 'release.txt'), 'speedscope@test\n');
    const s = await serve(dir);
    try {
      const res = await fetch(`${s.base}/speedscope/index.html`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-security-policy')).toBe(SPEEDSCOPE_CSP);
      expect(SPEEDSCOPE_CSP).not.toMatch(/unsafe-inline|'unsafe-eval'|https?:/);
      expect((await fetch(`${s.base}/speedscope/release.txt`, { method: 'HEAD' })).status).toBe(200);
      expect((await fetch(`${s.base}/speedscope/nope.js`)).status).toBe(404);
    } finally {
      s.close();
    }
  });

  it('says the viewer is not installed when no build was copied (npm ci --omit=dev)', async () => {
    const s = await serve(path.join(os.tmpdir(), `aa-no-speedscope-${process.pid}`));
    try {
      const res = await fetch(`${s.base}/speedscope/index.html`);
      expect(res.status).toBe(404);
      expect(await res.text()).toMatch(/flame graph viewer is not installed: speedscope is a development dependency/);
      expect((await fetch(`${s.base}/speedscope/release.txt`, { method: 'HEAD' })).status).toBe(404);
    } finally {
      s.close();
    }
  });
});
