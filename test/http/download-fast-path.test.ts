/**
 * Plain small-file downloads answered before Express (src/http/download/fast-file.ts), and
 * the batching under them (src/http/download/served-files.ts), through real HTTP: the same
 * answer as the Express route header for header, Express never reached for them, the access
 * rules (drafts 404 anonymously, 200 with a token), a file changed on disk still 409 and
 * flagged, and concurrent requests sharing statements.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpApp } from '../../src/http/app.js';
import { fileContentFastPath } from '../../src/http/download/fast-file.js';
import { createLogger } from '../../src/log.js';
import { downloadFixture, FIXED_MTIME, NAMES, sha256, type DownloadFixture } from './download-fixture.js';

let f: DownloadFixture;
/** A server whose fallback (the Express app) counts the requests it is handed. */
let fast: http.Server;
let fastBase: string;
let toExpress = 0;
/** The Express app alone: the route's own answers, to compare with. */
let plain: http.Server;
let plainBase: string;
let small: number[];

const listen = async (listener: http.RequestListener) => {
  const server = http.createServer(listener).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
};

beforeAll(async () => {
  f = await downloadFixture();
  ({ server: fast, base: fastBase } = await listen(
    fileContentFastPath({ database: f.database, config: f.config }, (req, res) => {
      toExpress++;
      f.served.http.app(req, res);
    }),
  ));
  ({ server: plain, base: plainBase } = await listen(f.served.http.app));
  const { rows } = await f.database.pool.query<{ id: number }>(`SELECT id FROM files WHERE release_id = $1 AND size_bytes <= 65536 ORDER BY id`, [f.pubReleaseId]);
  small = rows.map((r) => r.id);
}, 180_000);
afterAll(async () => {
  for (const s of [fast, plain]) {
    s?.closeAllConnections();
    await new Promise((resolve) => (s ? s.close(resolve) : resolve(null)));
  }
  await f?.close();
});

/** Counts the statements that look files up for downloads, until stop(). */
function countLookups() {
  const pool = f.database.pool;
  const query = pool.query;
  const counted = { lookups: 0, stop: () => void (pool.query = query) };
  pool.query = function (this: typeof pool, ...args: unknown[]) {
    if (typeof args[0] === 'string' && args[0].includes('FROM files f JOIN releases rel')) counted.lookups++;
    return (query as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof pool.query;
  return counted;
}

const bytes = async (res: Response) => Buffer.from(await res.arrayBuffer());
/** Headers but the date, which moves. */
const headersOf = (res: Response) => Object.fromEntries([...res.headers].filter(([k]) => k !== 'date'));

describe('small-file downloads before Express', () => {
  it('answers plain GET, HEAD and 304 itself, with exactly the headers and bytes of the Express route', async () => {
    const id = f.pub.get([...f.pub.keys()].filter((p) => p.startsWith('spectra/')).sort()[0])!;
    for (const init of [{}, { method: 'HEAD' }] as RequestInit[]) {
      const before = toExpress;
      const [ours, route] = await Promise.all([fetch(`${fastBase}/files/${id}/content`, init), fetch(`${plainBase}/files/${id}/content`, init)]);
      expect(toExpress).toBe(before);
      expect(ours.status).toBe(200);
      expect(headersOf(ours)).toEqual(headersOf(route));
      expect((await bytes(ours)).equals(await bytes(route))).toBe(true);
    }
    const etag = (await fetch(`${fastBase}/files/${id}/content`, { method: 'HEAD' })).headers.get('etag')!;
    const before = toExpress;
    const [ours, route] = await Promise.all(
      [fastBase, plainBase].map((b) => fetch(`${b}/files/${id}/content`, { headers: { 'if-none-match': etag } })),
    );
    expect(toExpress).toBe(before);
    expect(ours.status).toBe(304);
    expect(headersOf(ours)).toEqual(headersOf(route));
    // The names and types the route gives, for files of other kinds too.
    for (const rel of [NAMES.unicode, NAMES.quoted, NAMES.empty]) {
      const [o, r] = await Promise.all([fastBase, plainBase].map((b) => fetch(`${b}/files/${f.pub.get(rel)}/content`)));
      expect(headersOf(o), rel).toEqual(headersOf(r));
      expect((await bytes(o)).equals(await bytes(r))).toBe(true);
    }
    expect(toExpress).toBe(before);
  });

  it('answers with the CORS headers the app gives (Vary: Origin; the origin when allowed)', async () => {
    const cors = await createHttpApp({ database: f.database, config: { ...f.config, corsOrigins: ['https://sky.example'] }, logger: createLogger('silent') });
    const a = await listen(cors.listener);
    const b = await listen(cors.app);
    try {
      const id = f.pub.get(NAMES.quoted)!;
      for (const origin of ['https://sky.example', 'https://other.example']) {
        const [o, r] = await Promise.all([a.base, b.base].map((base) => fetch(`${base}/files/${id}/content`, { headers: { origin } })));
        expect(o.status).toBe(200);
        expect(headersOf(o), origin).toEqual(headersOf(r));
        await Promise.all([o.arrayBuffer(), r.arrayBuffer()]);
      }
      expect((await fetch(`${a.base}/files/${id}/content`, { headers: { origin: 'https://sky.example' } })).headers.get('access-control-allow-origin')).toBe('https://sky.example');
    } finally {
      for (const s of [a.server, b.server]) {
        s.closeAllConnections();
        await new Promise((resolve) => s.close(resolve));
      }
      await cors.stop();
    }
  });

  it('keeps drafts invisible anonymously (404, as the route answers) and serves them with a token', async () => {
    const id = f.draft.get(NAMES.quoted)!;
    const anon = await fetch(`${fastBase}/files/${id}/content`);
    expect(anon.status).toBe(404);
    expect(await anon.json()).toEqual({ error: 'no such file' });
    const withToken = await fetch(`${fastBase}/files/${id}/content`, { headers: { authorization: `Bearer ${f.token}` } });
    expect(withToken.status).toBe(200);
    expect(withToken.headers.get('cache-control')).toBe('private, no-store');
    expect((await bytes(withToken)).equals(fs.readFileSync(path.join(f.root, 'draft', NAMES.quoted)))).toBe(true);
    // Unknown ids too; ranges and large files are the route's.
    expect((await fetch(`${fastBase}/files/99999999/content`)).status).toBe(404);
    const ranged = await fetch(`${fastBase}/files/${f.pub.get(NAMES.quoted)}/content`, { headers: { range: 'bytes=0-1' } });
    expect(ranged.status).toBe(206);
    expect(await ranged.text()).toBe('qu');
    const big = await fetch(`${fastBase}/files/${f.pub.get(NAMES.huge)}/content`);
    expect((await bytes(big)).equals(fs.readFileSync(path.join(f.root, 'pub', NAMES.huge)))).toBe(true);
  });

  it('stops serving a release anonymously the moment it is unpublished (nothing kept between requests)', async () => {
    const id = f.pub.get(NAMES.quoted)!;
    expect((await fetch(`${fastBase}/files/${id}/content`)).status).toBe(200);
    const { rows } = await f.database.pool.query<{ status: string }>(`SELECT status FROM releases WHERE id = $1`, [f.draftReleaseId]);
    await f.database.pool.query(`UPDATE releases SET status = $2 WHERE id = $1`, [f.pubReleaseId, rows[0].status]);
    try {
      const res = await fetch(`${fastBase}/files/${id}/content`);
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ error: 'no such file' });
    } finally {
      await f.database.pool.query(`UPDATE releases SET status = 'published' WHERE id = $1`, [f.pubReleaseId]);
    }
    expect((await fetch(`${fastBase}/files/${id}/content`)).status).toBe(200);
  });

  it('hands what it does not answer to the route with the row it looked up: one statement, not two', async () => {
    for (const [what, id, status] of [['large file', f.pub.get(NAMES.huge)!, 200], ['anonymous draft', f.draft.get(NAMES.quoted)!, 404]] as const) {
      const counted = countLookups();
      try {
        const before = toExpress;
        const res = await fetch(`${fastBase}/files/${id}/content`);
        await res.arrayBuffer();
        expect(res.status, what).toBe(status);
        expect(toExpress, what).toBe(before + 1);
        expect(counted.lookups, what).toBe(1);
      } finally {
        counted.stop();
      }
    }
  });

  it('answers 409 for a published file changed on disk and flags it', async () => {
    const rel = NAMES.newline;
    const abs = path.join(f.root, 'pub', rel);
    const id = f.pub.get(rel)!;
    expect((await fetch(`${fastBase}/files/${id}/content`)).status).toBe(200);
    fs.appendFileSync(abs, 'more');
    try {
      const res = await fetch(`${fastBase}/files/${id}/content`);
      expect(res.status).toBe(409);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(((await res.json()) as { error: string }).error).toMatch(/changed on disk since it was ingested \(size 8 -> 12 bytes, modified\)/);
      expect((await f.database.pool.query(`SELECT changed_on_disk FROM files WHERE id = $1`, [id])).rows[0].changed_on_disk).toBe(true);
    } finally {
      fs.writeFileSync(abs, 'newline\n');
      fs.utimesSync(abs, FIXED_MTIME, FIXED_MTIME);
    }
  });

  it('looks up 10 concurrent requests in at most two statements (was one each), each answered with its own bytes', async () => {
    expect(small.length).toBeGreaterThanOrEqual(5);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 10 });
    const { port } = new URL(fastBase);
    const get = (id: number) =>
      new Promise<{ status: number; body: Buffer; etag: string }>((resolve, reject) => {
        http
          .get({ host: '127.0.0.1', port, path: `/files/${id}/content`, agent }, (res) => {
            const parts: Buffer[] = [];
            res.on('data', (c: Buffer) => parts.push(c));
            res.on('end', () => resolve({ status: res.statusCode!, body: Buffer.concat(parts), etag: String(res.headers.etag) }));
            res.on('error', reject);
          })
          .on('error', reject);
      });
    const ids = Array.from({ length: 10 }, (_, i) => small[i % small.length]);
    // Connections first, so that the ten requests below reach the server in the same turn of its loop.
    await Promise.all(ids.map(get));

    const counted = countLookups();
    try {
      const before = toExpress;
      const answers = await Promise.all(ids.map(get));
      expect(toExpress).toBe(before);
      for (const a of answers) {
        expect(a.status).toBe(200);
        expect(`"${sha256(a.body)}"`).toBe(a.etag);
      }
      expect(counted.lookups).toBeGreaterThanOrEqual(1);
      expect(counted.lookups).toBeLessThanOrEqual(2);
    } finally {
      counted.stop();
      agent.destroy();
    }
  });
});
