import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { createTestDatabase } from '../helpers/db.js';
import { ADMIN, codes, createHarness } from './harness.js';
import { seed, type Seed } from './seed.js';

let database: Database;
let s: Seed;
let h: ReturnType<typeof createHarness>;
beforeAll(async () => {
  database = await createTestDatabase();
  s = await seed(database, { files: 23 });
  h = createHarness(database);
});
afterAll(async () => {
  await database?.close();
});

describe('queries', () => {
  it('lists surveys with their releases', async () => {
    const r = await h.exec(`{ surveys { name releases { name status published fileCount } } }`, {}, ADMIN);
    expect(r.errors).toBeUndefined();
    expect(r.data.surveys).toEqual([
      {
        name: 'GAMA',
        releases: [
          { name: 'DR1', status: 'published', published: true, fileCount: 23 },
          { name: 'DR2', status: 'draft', published: false, fileCount: 3 },
        ],
      },
    ]);
  });

  it('walks every file exactly once with cursors, honouring filters and totalCount', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const r = await h.exec(
        `query($id: ID!, $after: String) { release(id: $id) { files(first: 5, after: $after) {
           totalCount edges { cursor node { id path } } pageInfo { hasNextPage endCursor } } } }`,
        { id: String(s.publishedId), after },
      );
      expect(r.errors).toBeUndefined();
      const conn = r.data.release.files;
      expect(conn.totalCount).toBe(23);
      seen.push(...conn.edges.map((e: any) => e.node.id));
      pages++;
      if (conn.edges.length) expect(conn.pageInfo.endCursor).toBe(conn.edges[conn.edges.length - 1].cursor);
      if (!conn.pageInfo.hasNextPage) break;
      after = conn.pageInfo.endCursor;
    }
    expect(pages).toBe(5);
    expect(seen).toEqual(s.fileIds.map(String));

    const images = await h.exec(`query($id: ID!) { release(id: $id) { files(first: 1000, kind: IMAGE, status: INGESTED) { totalCount edges { node { kind status } } } } }`, {
      id: String(s.publishedId),
    });
    // IMAGE = even ordinals (11 of 23); INVALID = multiples of 5 (10 and 20 are even).
    expect(images.data.release.files.totalCount).toBe(9);
    expect(images.data.release.files.edges).toHaveLength(9);
    expect(new Set(images.data.release.files.edges.map((e: any) => `${e.node.kind}/${e.node.status}`))).toEqual(new Set(['IMAGE/INGESTED']));
  });

  it('pages in path order with orderBy: PATH; a cursor of one order is refused by the other', async () => {
    // Paths of a listing in another order than the files' ids (the order the scan found them).
    const found = ['m/b.fits', 'a.fits', 'z.fits', 'm/a.fits', 'b.fits', 'a/c.fits', 'y.fits'];
    const { rows: [{ id: releaseId }] } = await database.pool.query(`INSERT INTO releases (survey_id, name, status) SELECT survey_id, 'LISTING', 'published' FROM releases WHERE id = $1 RETURNING id`, [s.publishedId]);
    await database.pool.query(`INSERT INTO files (release_id, path, size_bytes, mtime_ms, kind, status) SELECT $1, p, 1, 0, 'SPECTRUM', 'INGESTED' FROM unnest($2::text[]) WITH ORDINALITY t(p, n) ORDER BY n`, [releaseId, found]);
    const expected = (await database.pool.query<{ path: string }>(`SELECT path FROM unnest($1::text[]) t(path) ORDER BY path COLLATE "default"`, [found])).rows.map((r) => r.path);
    expect(expected).not.toEqual(found);
    const page = (after: string | null, orderBy = 'PATH') =>
      h.exec(`query($id: ID!, $after: String) { release(id: $id) { files(first: 3, after: $after, orderBy: ${orderBy}) { edges { cursor node { path } } pageInfo { hasNextPage endCursor } } } }`, { id: String(releaseId), after });
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const r = await page(after);
      expect(r.errors).toBeUndefined();
      const conn = r.data.release.files;
      seen.push(...conn.edges.map((e: any) => e.node.path));
      pages++;
      if (!conn.pageInfo.hasNextPage) break;
      after = conn.pageInfo.endCursor;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(expected);
    // The default order is still the files' ids.
    const byId = await h.exec(`query($id: ID!) { release(id: $id) { files { edges { cursor node { path } } } } }`, { id: String(releaseId) });
    expect(byId.data.release.files.edges.map((e: any) => e.node.path)).toEqual(found);
    // A cursor belongs to its order.
    const idCursor = byId.data.release.files.edges[0].cursor;
    const pathCursor = (await page(null)).data.release.files.pageInfo.endCursor;
    expect(codes(await page(idCursor))).toEqual(['BAD_USER_INPUT']);
    expect((await page(idCursor)).errors![0].message).toContain('orderBy: PATH');
    expect(codes(await page(pathCursor, 'ID'))).toEqual(['BAD_USER_INPUT']);
  });

  it('defaults first to 50 and refuses more than 1000, or a forged cursor', async () => {
    const ok = await h.exec(`query($id: ID!) { release(id: $id) { files { edges { cursor } pageInfo { hasNextPage } } } }`, { id: String(s.publishedId) });
    expect(ok.data.release.files.edges).toHaveLength(23);
    expect(ok.data.release.files.pageInfo.hasNextPage).toBe(false);
    const tooMany = await h.exec(`query($id: ID!) { release(id: $id) { files(first: 1001) { totalCount } } }`, { id: String(s.publishedId) });
    expect(codes(tooMany)).toEqual(['BAD_USER_INPUT']);
    expect(tooMany.errors![0].message).toContain('at most 1000');
    const forged = await h.exec(`query($id: ID!) { release(id: $id) { files(after: "not a cursor") { totalCount } } }`, { id: String(s.publishedId) });
    expect(codes(forged)).toEqual(['BAD_USER_INPUT']);
    expect(forged.errors![0].extensions?.field).toBe('after');
  });

  it('parses stored headers into typed cards; big integers are exact strings', async () => {
    const r = await h.exec(`query($id: ID!) { file(id: $id) { path sizeBytes checksum missing hdus { index type bitpix naxis header { keyword value comment } }
        issues { severity code message hdu keyword } } }`, { id: String(s.fileIds[0]) });
    expect(r.errors).toBeUndefined();
    const file = r.data.file;
    expect(file.path).toBe('spec/0001.fits');
    expect(file.sizeBytes).toBe(2880);
    expect(file.missing).toBe(false);
    expect(file.issues).toEqual([{ severity: 'WARNING', code: 'FITS_TEST', message: 'test issue', hdu: 0, keyword: 'OBJECT' }]);
    const [hdu] = file.hdus;
    expect(hdu).toMatchObject({ index: 0, type: 'PRIMARY', bitpix: -32, naxis: [10, 20] });
    expect(hdu.header).toEqual([
      { keyword: 'SIMPLE', value: true, comment: 'conforms to FITS' },
      { keyword: 'BITPIX', value: -32, comment: null },
      { keyword: 'NAXIS', value: 2, comment: null },
      { keyword: 'NAXIS1', value: 10, comment: null },
      { keyword: 'NAXIS2', value: 20, comment: null },
      { keyword: 'OBJECT', value: 'NGC 1234', comment: 'target' },
      { keyword: 'BIGNUM', value: '123456789012345678901', comment: null },
      { keyword: 'COMMENT', value: null, comment: 'first comment' },
    ]);
  });

  it('shapes records: centre, footprint, spectral range, source and its records', async () => {
    const r = await h.exec(`query($id: ID!) { file(id: $id) { record { id productType center { ra dec } footprint { ra dec }
        spectralRange { min max unit } catalogue { rowCount } file { path } release { name } source { name records { id } } } } }`, {
      id: String(s.fileIds[0]),
    });
    expect(r.errors).toBeUndefined();
    const rec = r.data.file.record;
    expect(rec).toMatchObject({
      productType: 'spectrum',
      center: { ra: 10.5, dec: -20.25 },
      footprint: [{ ra: 1, dec: 2 }, { ra: 3, dec: 4 }, { ra: 5, dec: 6 }, { ra: 7, dec: 8 }],
      spectralRange: { min: 3700, max: 8900, unit: 'Angstrom' },
      catalogue: null,
      file: { path: 'spec/0001.fits' },
      release: { name: 'DR1' },
    });
    // 26 records (23 + 3 draft) over 3 sources; the admin sees drafts too.
    expect(rec.source.records.length).toBeGreaterThanOrEqual(8);
    const byId = await h.exec(`query($id: ID!) { record(id: $id) { file { id } } }`, { id: rec.id });
    expect(byId.data.record.file.id).toBe(String(s.fileIds[0]));
  });

  it('derives run rates, stages and slowest files', async () => {
    const r = await h.exec(`query($id: ID!) { ingestionRun(id: $id) { status totalFiles processedFiles queries startedAt finishedAt
        filesPerSecond queriesPerFile stages { name seconds } slowestFiles(limit: 1) { path stage seconds } release { name } } }`, {
      id: String(s.publishedRunId),
    });
    expect(r.errors).toBeUndefined();
    const run = r.data.ingestionRun;
    expect(run).toMatchObject({ status: 'SUCCEEDED', totalFiles: 23, processedFiles: 23, queries: 40, release: { name: 'DR1' } });
    expect(run.filesPerSecond).toBeCloseTo(2.3, 1); // 23 files in 10 s
    expect(run.queriesPerFile).toBeCloseTo(40 / 23, 6);
    expect(run.stages).toEqual([
      { name: 'read', seconds: 1.5 },
      { name: 'parse', seconds: 0.25 },
    ]);
    expect(run.slowestFiles).toEqual([{ path: 'spec/0001.fits', stage: 'read', seconds: 0.5 }]);
    expect(new Date(run.startedAt).getTime()).toBeLessThan(new Date(run.finishedAt).getTime());

    const queued = await h.exec(`query($id: ID!) { ingestionRun(id: $id) { status filesPerSecond queriesPerFile startedAt stages { name } } }`, { id: String(s.draftRunId) }, ADMIN);
    expect(queued.data.ingestionRun).toEqual({ status: 'QUEUED', filesPerSecond: null, queriesPerFile: null, startedAt: null, stages: [] });
  });

  it('returns null for unknown ids and BAD_USER_INPUT naming the argument for malformed ones', async () => {
    const unknown = await h.exec(`{ release(id: "999999") { id } file(id: "999999") { id } record(id: "999999") { id } source(id: "999999") { id } ingestionRun(id: "999999") { id } }`);
    expect(unknown.errors).toBeUndefined();
    expect(unknown.data).toEqual({ release: null, file: null, record: null, source: null, ingestionRun: null });
    for (const bad of ['abc', '0', '-3', '1.5', '99999999999999999999']) {
      const r = await h.exec(`query($id: ID!) { file(id: $id) { id } }`, { id: bad });
      expect(codes(r), bad).toEqual(['BAD_USER_INPUT']);
      expect(r.errors![0].message).toContain('id must be a positive integer');
      expect(r.errors![0].extensions?.field).toBe('id');
    }
  });

  it('masks unexpected errors', async () => {
    const broken = createHarness({ ...database, pool: { query: () => Promise.reject(new Error('relation "secret_table" does not exist')) } } as never);
    const r = await broken.exec(`{ surveys { name } }`);
    expect(codes(r)).toEqual(['INTERNAL_SERVER_ERROR']);
    expect(JSON.stringify(r.errors)).not.toContain('secret_table');
  });
});
