/**
 * Query.crossmatch: a loaded table's rows against another table and against the records, in
 * both modes, paged, against brute force (angularDistanceDeg over every pair); drafts' tables
 * and records hidden from anonymous callers; bad arguments named.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { publishRelease } from '../../src/graphql/publish.js';
import { ang2pixNest, angularDistanceDeg } from '../../src/sky/index.js';
import { rng } from '../../src/util/rng.js';
import type { RunningWorker } from '../../src/worker/runner.js';
import { createTestDatabase } from '../helpers/db.js';
import { startTestWorker, tempDir } from '../helpers/ingest.js';
import { ADMIN, codes, createHarness } from '../graphql/harness.js';
import { ingestAndLoad } from './fixture.js';

const DEG = Math.PI / 180;
let database: Database;
let worker: RunningWorker;
let root: string;
let h: ReturnType<typeof createHarness>;
let aId: string;
let bId: string;
let releaseId: number;

type Pos = [number, number];
const a: Array<Pos | null> = [];
const b: Pos[] = [];
const recs: Array<{ id: number; pos: Pos; published: boolean; invalid: boolean }> = [];

/** The position `arcsec` away from p towards `bearingDeg`. */
function offset([ra, dec]: Pos, arcsec: number, bearingDeg: number): Pos {
  const d = (arcsec / 3600) * DEG;
  const br = bearingDeg * DEG;
  const d1 = dec * DEG;
  const sinD2 = Math.sin(d1) * Math.cos(d) + Math.cos(d1) * Math.sin(d) * Math.cos(br);
  const d2 = Math.asin(Math.max(-1, Math.min(1, sinD2)));
  const dra = Math.atan2(Math.sin(br) * Math.sin(d) * Math.cos(d1), Math.cos(d) - Math.sin(d1) * sinD2);
  return [(((ra + dra / DEG) % 360) + 360) % 360, d2 / DEG];
}

beforeAll(async () => {
  const r = rng(31);
  for (let i = 0; i < 40; i++) {
    // Near the poles and across RA 0 as well as anywhere.
    const dec = i % 10 === 0 ? 89.9995 : i % 10 === 1 ? -89.9995 : Math.asin(2 * r() - 1) / DEG;
    const ra = i % 10 === 2 ? 359.99999 : r() * 360;
    a.push(i === 5 ? null : [Number(ra.toFixed(9)), Number(dec.toFixed(9))]);
  }
  a.forEach((p, i) => {
    if (!p) return;
    if (i % 3 === 0) b.push(offset(p, 0.5, r() * 360));
    if (i % 3 === 1) b.push(offset(p, 0.3, r() * 360), offset(p, 0.8, r() * 360));
    b.push(offset(p, 1.5, r() * 360)); // beyond 1", within 2"
    if (i % 4 !== 3) recs.push({ id: 1000 + i, pos: offset(p, 0.2 + 0.2 * (i % 4), r() * 360), published: i % 4 === 0, invalid: i % 4 === 2 });
  });
  database = await createTestDatabase();
  worker = await startTestWorker(database);
  root = tempDir();
  const dir = path.join(root, 'dr1');
  fs.mkdirSync(dir);
  const csv = (rows: Array<Pos | null>) => 'name,ra,dec\n' + rows.map((p, i) => `s${i},${p ? p[0].toFixed(9) : ''},${p ? p[1].toFixed(9) : ''}`).join('\n') + '\n';
  fs.writeFileSync(path.join(dir, 'a.csv'), csv(a));
  fs.writeFileSync(path.join(dir, 'b.csv'), csv(b.map((p) => [Number(p[0].toFixed(9)), Number(p[1].toFixed(9))])));
  for (let i = 0; i < b.length; i++) b[i] = [Number(b[i][0].toFixed(9)), Number(b[i][1].toFixed(9))];
  await ingestAndLoad(database, root, 'dr1', 'XMT', 'DR1');
  h = createHarness(database);
  const { rows } = await database.pool.query(`SELECT id, table_name, release_id FROM catalogue_tables ORDER BY id`);
  aId = String(rows.find((x) => x.table_name === 'a').id);
  bId = String(rows.find((x) => x.table_name === 'b').id);
  releaseId = Number(rows[0].release_id);
  // Records in a published and a draft release of another survey (no files needed to match).
  const rel = await database.pool.query(
    `WITH s AS (INSERT INTO surveys (name) VALUES ('Recs') RETURNING id)
     INSERT INTO releases (survey_id, name, status) SELECT id, n, st FROM s, (VALUES ('P', 'published'), ('D', 'draft')) v(n, st) RETURNING id, status`,
  );
  const relOf = (published: boolean) => rel.rows.find((x) => x.status === (published ? 'published' : 'draft')).id;
  await database.pool.query(
    `INSERT INTO records (id, file_id, release_id, product_type, center_ra, center_dec, hpx, invalid)
     SELECT * FROM unnest($1::bigint[], $1::bigint[], $2::bigint[], $3::text[], $4::float8[], $5::float8[], $6::int8[], $7::bool[])`,
    [recs.map((x) => x.id), recs.map((x) => relOf(x.published)), recs.map(() => 'spectrum'), recs.map((x) => x.pos[0]), recs.map((x) => x.pos[1]), recs.map((x) => ang2pixNest(24, x.pos[0], x.pos[1])), recs.map((x) => x.invalid)],
  );
}, 200_000);

afterAll(async () => {
  await worker?.stop();
  await database?.close();
  fs.rmSync(root, { recursive: true, force: true });
});

const XM = `query($t: ID!, $against: CrossmatchAgainst!, $radius: Float!, $mode: CrossmatchMode, $first: Int, $after: String) {
  crossmatch(table: $t, against: $against, radius: $radius, mode: $mode, first: $first, after: $after) {
    edges { cursor row ra dec record { id } matchRow matchRa matchDec distance } pageInfo { hasNextPage endCursor } } }`;

interface Pair { row: number; match: number; distance: number }

async function pages(vars: Record<string, unknown>, viewer: typeof ADMIN | null = ADMIN): Promise<Pair[] | null> {
  const out: Pair[] = [];
  let after: string | null = null;
  for (let n = 0; n < 50; n++) {
    const r = await h.exec(XM, { t: aId, first: 7, after, ...vars }, viewer);
    expect(r.errors).toBeUndefined();
    const c = r.data.crossmatch;
    if (c === null) return null;
    for (const e of c.edges) out.push({ row: e.row, match: e.record ? Number(e.record.id) : e.matchRow, distance: e.distance });
    if (!c.pageInfo.hasNextPage) return out;
    after = c.pageInfo.endCursor;
  }
  throw new Error('too many pages');
}

function brute(targets: Array<{ id: number; pos: Pos }>, radius: number, all: boolean): Pair[] {
  const out: Pair[] = [];
  a.forEach((p, i) => {
    if (!p) return;
    const hits = targets
      .map((t) => ({ row: i + 1, match: t.id, distance: angularDistanceDeg(p[0], p[1], t.pos[0], t.pos[1]) * 3600 }))
      .filter((x) => x.distance <= radius)
      .sort((x, y) => x.distance - y.distance || x.match - y.match);
    out.push(...(all ? hits : hits.slice(0, 1)));
  });
  return out;
}

const strip = (pairs: Pair[] | null) => pairs?.map((p) => ({ row: p.row, match: p.match, distance: Number(p.distance.toFixed(6)) }));

describe('crossmatch(table, against, radius, mode)', () => {
  it('a table against another table, nearest and all, page by page, as brute force finds', async () => {
    const bRows = b.map((pos, i) => ({ id: i + 1, pos }));
    for (const mode of ['NEAREST', 'ALL'] as const) {
      const got = await pages({ against: { table: bId }, radius: 1, mode });
      const want = brute(bRows, 1, mode === 'ALL');
      expect(want.length).toBeGreaterThan(20);
      expect(strip(got)).toEqual(strip(want));
    }
    // Every pair of 2": the 1.5" neighbours too.
    expect(strip(await pages({ against: { table: bId }, radius: 2, mode: 'ALL' }))).toEqual(strip(brute(bRows, 2, true)));
  });

  it('against the records: the caller\'s records only (anonymous: published), never INVALID ones', async () => {
    const visible = (drafts: boolean) => recs.filter((x) => !x.invalid && (drafts || x.published)).map((x) => ({ id: x.id, pos: x.pos }));
    expect(strip(await pages({ against: { records: true }, radius: 1, mode: 'ALL' }))).toEqual(strip(brute(visible(true), 1, true)));
    // The table's release is a draft: anonymous callers do not see it.
    expect(await pages({ against: { records: true }, radius: 1 }, null)).toBeNull();
    await publishRelease(database, releaseId);
    const anon = await pages({ against: { records: true }, radius: 1, mode: 'ALL' }, null);
    expect(anon!.length).toBeGreaterThan(0);
    expect(strip(anon)).toEqual(strip(brute(visible(false), 1, true)));
  });

  it('bad arguments are BAD_USER_INPUT naming them', async () => {
    const bad = async (vars: Record<string, unknown>) => codes(await h.exec(XM, { t: aId, radius: 1, against: { records: true }, ...vars }, ADMIN));
    expect(await bad({ radius: 0 })).toEqual(['BAD_USER_INPUT']);
    expect(await bad({ radius: 61 })).toEqual(['BAD_USER_INPUT']);
    expect(await bad({ first: 1001 })).toEqual(['BAD_USER_INPUT']);
    expect(await bad({ against: {} })).toEqual(['BAD_USER_INPUT']);
    expect(await bad({ against: { records: true, table: bId } })).toEqual(['BAD_USER_INPUT']);
    expect(await bad({ against: { table: '999999' } })).toEqual(['BAD_USER_INPUT']);
  });
});
