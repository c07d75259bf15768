/**
 * The cross-match against brute force: a few thousand records crowded around positions at
 * the poles, across RA = 0, on HEALPix face corners and at random, some of them a hair inside
 * or outside the radius, must give exactly the pairs a full scan with angularDistanceDeg gives
 * (nearest and all), at 1", 5" and 60"; drafts and INVALID records stay out unless asked for.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { crossmatch, type CrossmatchMatch } from '../../src/db/queries/crossmatch.js';
import { FLOAT8, INT4, INT8, numberArrayParam } from '../../src/db/number-array.js';
import { neighboursNest } from '../../src/db/queries/crossmatch-pixels.js';
import { ang2pixNest, angularDistanceDeg, pix2angNest } from '../../src/sky/index.js';
import { rng } from '../../src/util/rng.js';
import { createTestDatabase } from '../helpers/db.js';

let db: Database;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.close());

const DEG = Math.PI / 180;

/** The position `distDeg` away from (ra, dec) towards `bearingDeg` (east of north). */
function offset(ra: number, dec: number, distDeg: number, bearingDeg: number): [number, number] {
  const d = distDeg * DEG;
  const b = bearingDeg * DEG;
  const d1 = dec * DEG;
  const sinD2 = Math.sin(d1) * Math.cos(d) + Math.cos(d1) * Math.sin(d) * Math.cos(b);
  const d2 = Math.asin(Math.max(-1, Math.min(1, sinD2)));
  const dra = Math.atan2(Math.sin(b) * Math.sin(d) * Math.cos(d1), Math.cos(d) - Math.sin(d1) * sinD2);
  return [((((ra + dra / DEG) % 360) + 360) % 360), d2 / DEG];
}

interface Rec {
  id: number;
  ra: number;
  dec: number;
  release: 'published' | 'draft';
  invalid: boolean;
}

function positions(): Array<[number, number]> {
  const r = rng(11);
  const out: Array<[number, number]> = [
    [0, 90], [123, 90], [0, -90], [200, -90], [0, 89.9999], [180, -89.99995],
    [0, 0], [359.99999, 10], [0.00001, -10], [0, 41.8103149], [90, -41.8103149], [45, 0], [135, 0],
  ];
  // HEALPix face corners and pixel corners at order 14 (where three or four pixels meet).
  for (const f of [0, 4, 5, 8, 11]) {
    const pix = f * 4 ** 14;
    out.push(Object.values(pix2angNest(14, pix)) as [number, number]);
  }
  for (let i = 0; i < 180; i++) {
    const ra = i % 3 === 0 ? (r() - 0.5) * 0.01 + 360 : r() * 360;
    const dec = i % 4 === 0 ? 90 - r() * 0.01 : i % 4 === 1 ? -90 + r() * 0.01 : Math.asin(2 * r() - 1) / DEG;
    out.push([((ra % 360) + 360) % 360, dec]);
  }
  return out;
}

/** Records around every position: some within, some just beyond each radius checked. */
function records(pos: Array<[number, number]>): Rec[] {
  const r = rng(12);
  const out: Rec[] = [];
  for (const [ra, dec] of pos) {
    for (let j = 0; j < 14; j++) {
      const scale = [1, 5, 60][j % 3] / 3600;
      const dist = j < 6 ? scale * (1 + (r() - 0.5) * 1e-9) : scale * r() * 2.2; // on the rim, or anywhere near
      const [a, b] = offset(ra, dec, dist, r() * 360);
      out.push({ id: out.length + 1, ra: a, dec: b, release: j === 13 ? 'draft' : 'published', invalid: j === 12 });
    }
  }
  return out;
}

function bruteForce(pos: Array<[number, number]>, recs: Rec[], radiusArcsec: number, all: boolean, opts: { drafts?: boolean; invalid?: boolean } = {}): CrossmatchMatch[] {
  const out: CrossmatchMatch[] = [];
  pos.forEach(([ra, dec], index) => {
    const hits = recs
      .filter((x) => (opts.drafts || x.release === 'published') && (opts.invalid || !x.invalid))
      .map((x) => ({ index, recordId: x.id, ra: x.ra, dec: x.dec, distanceArcsec: angularDistanceDeg(ra, dec, x.ra, x.dec) * 3600 }))
      .filter((m) => m.distanceArcsec / 3600 <= radiusArcsec / 3600)
      .sort((a, b) => a.distanceArcsec - b.distanceArcsec || a.recordId - b.recordId);
    out.push(...(all ? hits : hits.slice(0, 1)));
  });
  return out;
}

const key = (ms: CrossmatchMatch[]) => ms.map((m) => `${m.index}:${m.recordId}`);

describe('crossmatch', () => {
  const pos = positions();
  const recs = records(pos);

  beforeAll(async () => {
    const q = (sql: string, p: unknown[] = []) => db.pool.query(sql, p);
    await q(`INSERT INTO surveys (name) VALUES ('XM')`);
    const { rows } = await q(
      `INSERT INTO releases (survey_id, name, status) SELECT id, n, s FROM surveys, (VALUES ('DR1', 'published'), ('DR2', 'draft')) v(n, s) RETURNING id, status`,
    );
    const release = Object.fromEntries(rows.map((r) => [r.status, Number(r.id)]));
    await q(
      `INSERT INTO records (id, file_id, release_id, product_type, center_ra, center_dec, hpx, invalid)
       SELECT id, id, rel, 'spectrum', ra, dec, hpx, inv FROM unnest($1::int8[], $2::int8[], $3::float8[], $4::float8[], $5::int8[], $6::bool[]) AS u(id, rel, ra, dec, hpx, inv)`,
      [
        recs.map((x) => x.id),
        recs.map((x) => release[x.release]),
        recs.map((x) => x.ra),
        recs.map((x) => x.dec),
        recs.map((x) => ang2pixNest(24, x.ra, x.dec)),
        recs.map((x) => x.invalid),
      ],
    );
    await q('ANALYZE records');
  });

  it('returns exactly the brute-force nearest and all matches at 1", 5" and 60"', async () => {
    const ra = pos.map((p) => p[0]);
    const dec = pos.map((p) => p[1]);
    for (const radiusArcsec of [1, 5, 60]) {
      for (const all of [false, true]) {
        const got = await crossmatch(db.pool, ra, dec, { radiusArcsec, all });
        const want = bruteForce(pos, recs, radiusArcsec, all);
        expect(key(got), `${radiusArcsec}" all=${all}`).toEqual(key(want));
        got.forEach((m, i) => expect(m.distanceArcsec).toBeCloseTo(want[i].distanceArcsec, 9));
      }
    }
    // The fixture reaches the rim: some pairs lie within 1e-9 of the radius on both sides.
    const near = bruteForce(pos, recs, 2, true).filter((m) => Math.abs(m.distanceArcsec - 1) < 1e-6);
    expect(near.length).toBeGreaterThan(50);
  });

  it('is one statement, whose position and probe arrays reach the server exactly (binary)', async () => {
    const ra = pos.map((p) => p[0]);
    const dec = pos.map((p) => p[1]);
    const sent: string[] = [];
    const counting = { query: (text: string, values: unknown[]) => (sent.push(text), db.pool.query(text, values)) } as unknown as typeof db.pool;
    for (const all of [false, true]) {
      sent.length = 0;
      const got = await crossmatch(counting, ra, dec, { radiusArcsec: 5, all });
      expect(sent).toHaveLength(1);
      expect(key(got)).toEqual(key(bruteForce(pos, recs, 5, all)));
    }
    const doubles = [0, -0.5, 0.1, 1 / 3, 359.99999999999994, -89.99999999999999, 1e-300, 5e-324, 2 ** 60];
    const ints = [0, 1, -1, 2 ** 31 - 1, -(2 ** 31)];
    const bigs = [0, 2 ** 53 - 1, -(2 ** 53 - 1), 12 * 4 ** 24 - 1, 3 * 4 ** 24 + 7];
    const { rows } = await db.pool.query('SELECT $1::float8[] AS d, $2::int4[] AS i, $3::int8[]::text[] AS b', [
      numberArrayParam(FLOAT8, doubles),
      numberArrayParam(INT4, ints),
      numberArrayParam(INT8, bigs),
    ]);
    expect(rows[0].d).toEqual(doubles);
    expect(rows[0].i).toEqual(ints);
    expect(rows[0].b).toEqual(bigs.map(String));
  });

  it('leaves out drafts and INVALID records unless asked for', async () => {
    const ra = pos.map((p) => p[0]);
    const dec = pos.map((p) => p[1]);
    const got = await crossmatch(db.pool, ra, dec, { radiusArcsec: 60, all: true, includeDrafts: true, includeInvalid: true });
    const want = bruteForce(pos, recs, 60, true, { drafts: true, invalid: true });
    expect(key(got)).toEqual(key(want));
    expect(want.length).toBeGreaterThan(bruteForce(pos, recs, 60, true).length);
  });

  it('rejects a bad radius or position, and answers an empty list', async () => {
    await expect(crossmatch(db.pool, [1], [2], { radiusArcsec: 0 })).rejects.toThrow(/radius must be in \(0, 3600\]/);
    await expect(crossmatch(db.pool, [1], [91])).rejects.toThrow(/position 0: .*dec in \[-90, 90\]/);
    expect(await crossmatch(db.pool, [], [])).toEqual([]);
  });

  it('finds the same 8 neighbours as healpy at face corners and edges', () => {
    // healpy.get_all_neighbours(2**k, p, nest=True) for these pixels.
    expect(neighboursNest(1, 0)).toEqual([17, 19, 2, 3, 1, 23, 22, 35]);
    expect(neighboursNest(1, 3)).toEqual([2, 13, 15, 11, 7, 6, 1, 0]);
    expect(neighboursNest(2, 64)).toEqual([181, 183, 66, 67, 65, 139, 138, -1]);
    expect(neighboursNest(2, 79)).toEqual([78, 52, 53, -1, 10, 8, 77, 76]);
    expect(neighboursNest(3, 767)).toEqual([766, 468, 469, 192, 298, 296, 765, 764]);
    expect(neighboursNest(14, 1342177280)).toEqual([2236962133, 2236962135, 1342177282, 1342177283, 1342177281, 2594876075, 2594876074, -1]);
  });
});
