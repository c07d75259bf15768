/**
 * GET /records/:id/preview.png through real HTTP on files ingested by the real pipeline:
 * PNG signature and size (long side <= 512), orientation, the disk cache (second request
 * served from it, ETag/304), one rendering for concurrent first requests, access rules
 * (drafts need a token, unknown/invisible/malformed ids are 404), a corrupt image's
 * placeholder logged once, a file changed since its ingest refused.
 */
import fs from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Writable } from 'node:stream';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createHttpApp, type HttpApp } from '../../src/http/app.js';
import { createLogger } from '../../src/log.js';
import { spectrumArchive } from '../graphql/spectrum-fixture.js';

const a = spectrumArchive();
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

// Our own app on the fixture's database and home, with a logger we can read.
const logLines: string[] = [];
let app: HttpApp;
let server: Server;
let base: string;
beforeAll(async () => {
  const sink = new Writable({ write: (chunk, _enc, cb) => (logLines.push(String(chunk)), cb()) });
  app = await createHttpApp({ database: a.database, config: loadConfig({ ARCHIVE_HOME: a.home, ARCHIVE_DATA_ROOT: a.root }, a.home), logger: createLogger('info', sink) });
  server = app.app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
  await app?.stop();
});

async function preview(id: number | string, headers: Record<string, string> = {}) {
  const res = await fetch(`${base}/records/${id}/preview.png`, { headers });
  const body = Buffer.from(await res.arrayBuffer());
  return { res, body };
}

function decode(body: Buffer) {
  expect(body.subarray(0, 8)).toEqual(PNG_SIGNATURE);
  return PNG.sync.read(body);
}

describe('GET /records/:id/preview.png', () => {
  it('draws an image as a PNG of its size, caches it on disk keyed by the checksum, and answers a revalidation with 304', async () => {
    const id = a.records.get('images/small.fits')!;
    const first = await preview(id);
    expect(first.res.status).toBe(200);
    expect(first.res.headers.get('content-type')).toBe('image/png');
    expect(first.res.headers.get('cache-control')).toBe('public, max-age=86400');
    expect(first.res.headers.get('x-astroarchive-preview')).toBe('rendered');
    const png = decode(first.body);
    expect([png.width, png.height]).toEqual([64, 64]);
    const { rows } = await a.database.pool.query(`SELECT f.checksum FROM files f JOIN records r ON r.file_id = f.id WHERE r.id = $1`, [id]);
    const cached = path.join(a.home, 'previews', 'v1', rows[0].checksum.slice(0, 2), `${rows[0].checksum}.png`);
    expect(fs.readFileSync(cached)).toEqual(first.body);
    const etag = first.res.headers.get('etag')!;
    expect(etag).toContain(rows[0].checksum);

    // Served from the disk cache: replace the cached bytes and see them come back.
    const marker = PNG.sync.write(Object.assign(new PNG({ width: 3, height: 2 }), {}));
    fs.writeFileSync(cached, marker);
    const second = await preview(id);
    expect(second.res.headers.get('x-astroarchive-preview')).toBe('cached');
    expect(second.body).toEqual(marker);
    fs.writeFileSync(cached, first.body);

    const revalidated = await preview(id, { 'if-none-match': etag });
    expect(revalidated.res.status).toBe(304);
    expect(revalidated.body.length).toBe(0);
  });

  it('downsamples to at most 512 pixels on the long side, north up (FITS row 1 at the bottom)', async () => {
    const { res, body } = await preview(a.records.get('images/wide.fits')!);
    expect(res.status).toBe(200);
    const png = decode(body);
    // 1100 x 600 in 3 x 3 blocks.
    expect([png.width, png.height]).toEqual([367, 200]);
    const grey = (x: number, y: number) => png.data[(y * png.width + x) * 4];
    // The bright square fills the first quarter of FITS rows and columns: the lower left here.
    expect(grey(10, png.height - 10)).toBe(255);
    expect(grey(10, 10)).toBe(0);
    expect(grey(png.width - 10, png.height - 10)).toBe(0);
  });

  it('draws a cube\'s middle plane, rendering it once for concurrent first requests', async () => {
    const id = a.records.get('cubes/cube.fits')!;
    const answers = await Promise.all(Array.from({ length: 6 }, () => preview(id)));
    for (const { res } of answers) expect(res.status).toBe(200);
    const sources = answers.map(({ res }) => res.headers.get('x-astroarchive-preview'));
    expect(sources.filter((s) => s === 'rendered')).toHaveLength(1);
    for (const { body } of answers) expect(body).toEqual(answers[0].body);
    const png = decode(answers[0].body);
    expect([png.width, png.height]).toEqual([16, 16]);
  });

  it('shows a draft release\'s record only to a token holder; unknown, malformed and non-image ids are 404', async () => {
    expect((await preview(a.draftImage)).res.status).toBe(404);
    const authorised = await preview(a.draftImage, { authorization: `Bearer ${a.admin}` });
    expect(authorised.res.status).toBe(200);
    expect(authorised.res.headers.get('cache-control')).toBe('private, no-cache');
    expect([decode(authorised.body).width, decode(authorised.body).height]).toEqual([40, 30]);
    expect((await preview(a.draftImage, { authorization: 'Bearer not-a-token' })).res.status).toBe(401);
    for (const id of ['999999', 'abc', '0', '-1', '1e3', '99999999999999999999']) expect((await preview(id)).res.status).toBe(404);
    const spectrum = await preview(a.records.get('spectra/s00.fits')!);
    expect(spectrum.res.status).toBe(404);
    expect(JSON.parse(spectrum.body.toString()).error).toMatch(/not an image or a cube/);
  });

  it('answers a corrupt image with a placeholder, logged once, never an error', async () => {
    const id = a.records.get('images/broken.fits')!;
    const answers = [...(await Promise.all([preview(id), preview(id), preview(id)])), await preview(id)];
    for (const { res, body } of answers) {
      expect(res.status).toBe(200);
      expect([decode(body).width, decode(body).height]).toEqual([64, 64]);
    }
    const logged = logLines.filter((l) => l.includes('placeholder'));
    expect(logged).toHaveLength(1);
    expect(JSON.parse(logged[0])).toMatchObject({ level: 40, recordId: id, problem: expect.stringMatching(/truncated/) });
  });

  it('never follows a recorded path out of the release directory', async () => {
    const id = a.records.get('images/small.fits')!;
    // Outside the release, a real image the archive must not draw (and a fresh cache key).
    fs.writeFileSync(path.join(a.root, 'outside.fits'), fs.readFileSync(path.join(a.root, 'pub', 'images/wide.fits')));
    const before = await a.database.pool.query(`SELECT f.checksum FROM files f JOIN records r ON r.file_id = f.id WHERE r.id = $1`, [id]);
    const { rows } = await a.database.pool.query(
      `UPDATE files f SET path = '../outside.fits', checksum = repeat('ab', 32) FROM records r WHERE r.file_id = f.id AND r.id = $1 RETURNING f.path`,
      [id],
    );
    expect(rows).toHaveLength(1);
    try {
      const { res, body } = await preview(id);
      expect(res.status).toBe(409);
      expect(JSON.parse(body.toString()).error).toMatch(/no location inside its release/);
    } finally {
      await a.database.pool.query(`UPDATE files f SET path = 'images/small.fits', checksum = $2 FROM records r WHERE r.file_id = f.id AND r.id = $1`, [id, before.rows[0].checksum]);
    }
  });

  it('refuses a file changed on disk since its ingest (409), and one gone (410), without caching either', async () => {
    const id = a.records.get('images/touched.fits')!;
    const file = path.join(a.root, 'pub', 'images/touched.fits');
    const st = fs.statSync(file);
    fs.utimesSync(file, st.atime, new Date(st.mtimeMs + 5000));
    const changed = await preview(id);
    expect(changed.res.status).toBe(409);
    expect(changed.res.headers.get('etag')).toBeNull();
    expect(JSON.parse(changed.body.toString()).error).toMatch(/changed on disk since it was ingested/);
    fs.rmSync(file);
    expect((await preview(id)).res.status).toBe(410);
  });
});
