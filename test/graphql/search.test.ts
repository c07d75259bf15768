/**
 * records(filter) and sources(filter) through the real Apollo server, against brute force
 * over the generated records (test/graphql/search-seed.ts): cones at the poles, across RA = 0
 * and from 1" to 90 deg, every filter, the orders and their cursors, totalCount, access rules,
 * statement counts and bad input.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { angularDistanceDeg, polygonContains } from '../../src/sky/index.js';
import { createTestDatabase } from '../helpers/db.js';
import { serveApp } from '../helpers/http-app.js';
import { ADMIN, codes, createHarness, type ExecResult } from './harness.js';
import { seedSearch, type SearchSeed, type SeedRecord } from './search-seed.js';

let database: Database;
let s: SearchSeed;
let h: ReturnType<typeof createHarness>;
beforeAll(async () => {
  database = await createTestDatabase();
  s = await seedSearch(database);
  h = createHarness(database);
}, 60_000);
afterAll(async () => {
  await database?.close();
});

const RECORDS = `query($filter: RecordFilter, $orderBy: RecordOrder, $first: Int, $after: String) {
  records(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
    edges { cursor distance node { id } } pageInfo { hasNextPage endCursor } } }`;

type Viewer = typeof ADMIN | null;
const visibleTo = (viewer: Viewer) => (r: SeedRecord) => !r.invalid && (viewer !== null || r.releaseId !== s.draft);

function ok(r: ExecResult) {
  expect(r.errors).toBeUndefined();
  return r.data;
}

/** Every page of a search, in order: [id, distance][]. */
async function all(filter: object, viewer: Viewer = null, orderBy = 'ID', first = 1000): Promise<{ id: number; distance: number | null }[]> {
  const out: { id: number; distance: number | null }[] = [];
  let after: string | null = null;
  for (let pages = 0; pages < 100; pages++) {
    const data = ok(await h.exec(RECORDS, { filter, orderBy, first, after }, viewer));
    for (const e of data.records.edges) out.push({ id: Number(e.node.id), distance: e.distance });
    if (!data.records.pageInfo.hasNextPage) return out;
    after = data.records.pageInfo.endCursor;
  }
  throw new Error('too many pages');
}

const sorted = (ids: number[]) => [...ids].sort((a, b) => a - b);

describe('records: cones against brute force', () => {
  const ARCSEC = 1 / 3600;
  const cones: [string, { ra: number; dec: number; radius: number }][] = [
    ['north pole, 1 deg', { ra: 0, dec: 90, radius: 1 }],
    ['north pole, 1"', { ra: 0, dec: 90, radius: ARCSEC }],
    ['south pole, 0.5 deg', { ra: 123.4, dec: -90, radius: 0.5 }],
    ['near the south pole, 2 deg', { ra: 200, dec: -89.3, radius: 2 }],
    ['near a pole source, 5"', { ra: 10, dec: -89.9, radius: 5 * ARCSEC }],
    ['across RA 0, 0.4 deg', { ra: 0, dec: 0, radius: 0.4 }],
    ['across RA 0 from 359.9, 1 deg', { ra: 359.9, dec: 0.2, radius: 1 }],
    ['RA 0 source, 3"', { ra: 359.9999, dec: 0.3, radius: 3 * ARCSEC }],
    ['dense field, 1"', { ra: 150, dec: 2, radius: ARCSEC }],
    ['dense field, 2"', { ra: 150.0002, dec: 1.9997, radius: 2 * ARCSEC }],
    ['dense field, 1\'', { ra: 150, dec: 2, radius: 1 / 60 }],
    ['6 deg', { ra: 80, dec: 40, radius: 6 }],
    ['30 deg', { ra: 250, dec: -20, radius: 30 }],
    ['90 deg (a hemisphere)', { ra: 45, dec: 30, radius: 90 }],
    ['90 deg at the pole', { ra: 0, dec: -90, radius: 90 }],
  ];
  for (const viewer of [null, ADMIN]) {
    it.each(cones)(`%s (${viewer ? 'admin' : 'anonymous'})`, async (_name, cone) => {
      const got = await all({ cone }, viewer);
      const expected: number[] = [];
      const borderline = new Set<number>();
      for (const r of s.rows.filter(visibleTo(viewer))) {
        if (r.ra === null || r.dec === null) continue;
        const d = angularDistanceDeg(cone.ra, cone.dec, r.ra, r.dec);
        if (Math.abs(d - cone.radius) < 1e-9) borderline.add(r.id); // either answer is right
        else if (d <= cone.radius) expected.push(r.id);
      }
      const gotIds = got.map((g) => g.id).filter((id) => !borderline.has(id));
      expect(sorted(gotIds)).toEqual(sorted(expected));
      // Pages in id order, each distance the exact great-circle distance.
      expect(got.map((g) => g.id)).toEqual(sorted(got.map((g) => g.id)));
      const byId = new Map(s.rows.map((r) => [r.id, r]));
      for (const g of got) {
        const r = byId.get(g.id)!;
        expect(Math.abs(g.distance! - angularDistanceDeg(cone.ra, cone.dec, r.ra!, r.dec!))).toBeLessThan(1e-9);
      }
      if (cone.radius >= 0.4) expect(expected.length).toBeGreaterThan(0);
    });
  }

  it('the small cones find something (the test is not vacuous)', async () => {
    expect((await all({ cone: { ra: 150, dec: 2, radius: ARCSEC } })).length).toBeGreaterThan(0);
    expect((await all({ cone: { ra: 359.9999, dec: 0.3, radius: 3 * ARCSEC } })).length).toBeGreaterThan(0);
  });

  it('orderBy DISTANCE pages nearest first, every record once, across pages of 7', async () => {
    const cone = { ra: 359.8, dec: 0.1, radius: 1.5 };
    const got = await all({ cone }, null, 'DISTANCE', 7);
    const expected = s.rows
      .filter(visibleTo(null))
      .filter((r) => r.ra !== null && angularDistanceDeg(cone.ra, cone.dec, r.ra, r.dec!) <= cone.radius)
      .map((r) => ({ id: r.id, d: angularDistanceDeg(cone.ra, cone.dec, r.ra!, r.dec!) }))
      .sort((a, b) => a.d - b.d || a.id - b.id);
    expect(got.length).toBeGreaterThan(14);
    expect(got.map((g) => g.id)).toEqual(expected.map((e) => e.id));
    for (let i = 1; i < got.length; i++) expect(got[i].distance!).toBeGreaterThanOrEqual(got[i - 1].distance!);
  });
});

describe('records: filters against brute force', () => {
  const src2 = () => [...s.sources].find(([, n]) => n === 'NGC 1002')![0];
  const inside = (lo: number | null, hi: number | null, min?: number, max?: number) =>
    lo !== null && hi !== null && (min === undefined || hi >= min) && (max === undefined || lo <= max);
  const cases: [string, () => object, (r: SeedRecord) => boolean][] = [
    ['survey', () => ({ survey: 'OTHER' }), (r) => r.releaseId === s.otherPublished],
    ['release', () => ({ release: String(s.published) }), (r) => r.releaseId === s.published],
    ['kind', () => ({ kind: ['IFS_CUBE', 'CATALOGUE'] }), (r) => r.kind === 'IFS_CUBE' || r.kind === 'CATALOGUE'],
    ['productType', () => ({ productType: ['image-1'] }), (r) => r.productType === 'image-1'],
    ['targetName (case-insensitive)', () => ({ targetName: 'ngc 1002' }), (r) => r.sourceId === src2()],
    ['targetName matching names that differ in case', () => ({ targetName: 'Ngc 1000' }), (r) => r.sourceId !== null && s.sources.get(r.sourceId)!.toLowerCase() === 'ngc 1000'],
    ['facility', () => ({ facility: 'RARE-SCOPE' }), (r) => r.facility === 'RARE-SCOPE'],
    ['instrument', () => ({ instrument: 'HERMES' }), (r) => r.instrument === 'HERMES'],
    ['time', () => ({ time: { min: 52000, max: 52100.5 } }), (r) => inside(r.tMin, r.tMax, 52000, 52100.5)],
    ['time, open max', () => ({ time: { min: 59990 } }), (r) => inside(r.tMin, r.tMax, 59990)],
    ['wavelength', () => ({ wavelength: { min: 6.5e-7, max: 6.6e-7 } }), (r) => inside(r.emMin, r.emMax, 6.5e-7, 6.6e-7)],
    ['wavelength, open min', () => ({ wavelength: { max: 3.1e-7 } }), (r) => inside(r.emMin, r.emMax, undefined, 3.1e-7)],
    [
      'cone + wavelength + time + kind',
      () => ({ cone: { ra: 80, dec: 10, radius: 60 }, wavelength: { min: 5e-7, max: 6e-7 }, time: { min: 51000, max: 57000 }, kind: ['SPECTRUM'] }),
      (r) =>
        r.ra !== null &&
        angularDistanceDeg(80, 10, r.ra, r.dec!) <= 60 &&
        inside(r.emMin, r.emMax, 5e-7, 6e-7) &&
        inside(r.tMin, r.tMax, 51000, 57000) &&
        r.kind === 'SPECTRUM',
    ],
  ];
  it.each(cases)('%s', async (_name, filter, keep) => {
    for (const viewer of [null, ADMIN]) {
      const expected = s.rows.filter(visibleTo(viewer)).filter(keep).map((r) => r.id);
      expect(expected.length).toBeGreaterThan(0);
      expect((await all(filter(), viewer)).map((g) => g.id)).toEqual(sorted(expected));
    }
  });

  it('includeInvalid: true adds the records of INVALID files', async () => {
    const expected = s.rows.filter((r) => r.releaseId !== s.draft && r.facility === 'UKST').map((r) => r.id);
    const got = (await all({ facility: 'UKST', includeInvalid: true })).map((g) => g.id);
    expect(got).toEqual(sorted(expected));
    expect(s.rows.some((r) => r.invalid && r.facility === 'UKST' && r.releaseId !== s.draft)).toBe(true);
  });

  it('covers: records whose footprint contains the point (MOC, then the exact polygon)', async () => {
    // Points at footprint corners' neighbourhoods and centres: inside some footprints, near the edges of others.
    const withFootprint = s.rows.filter((r) => r.footprint && visibleTo(null)(r));
    expect(withFootprint.length).toBeGreaterThan(50);
    let found = 0;
    for (const r of withFootprint.slice(0, 25)) {
      const [c0, , c2] = r.footprint!;
      // A point just inside the polygon near corner 0, and one just outside the MOC-inexact corner region.
      for (const point of [
        { ra: r.ra!, dec: r.dec! },
        { ra: (c0[0] + 0.02 * (((c2[0] - c0[0] + 540) % 360) - 180) + 360) % 360, dec: c0[1] + 0.02 * (c2[1] - c0[1]) },
        { ra: (c0[0] - 0.01 * (((c2[0] - c0[0] + 540) % 360) - 180) + 360) % 360, dec: c0[1] - 0.01 * (c2[1] - c0[1]) },
      ]) {
        const expected = s.rows
          .filter(visibleTo(null))
          .filter((x) => x.footprint && polygonContains(x.footprint.map(([ra, dec]) => ({ ra, dec })), point.ra, point.dec))
          .map((x) => x.id);
        found += expected.length;
        expect((await all({ covers: point })).map((g) => g.id)).toEqual(sorted(expected));
      }
    }
    expect(found).toBeGreaterThan(25);
  });

  it('orderBy T_MIN: earliest first, records without a time last, pages of 50 with cursors', async () => {
    const filter = { survey: 'OTHER' };
    const got = (await all(filter, null, 'T_MIN', 50)).map((g) => g.id);
    const expected = s.rows
      .filter(visibleTo(null))
      .filter((r) => r.releaseId === s.otherPublished)
      .sort((a, b) => (a.tMin === null ? (b.tMin === null ? a.id - b.id : 1) : b.tMin === null ? -1 : a.tMin - b.tMin || a.id - b.id))
      .map((r) => r.id);
    expect(got).toEqual(expected);
    expect(s.rows.some((r) => r.releaseId === s.otherPublished && r.tMin === null)).toBe(true);
  });
});

describe('records: totalCount and statements', () => {
  const COUNTED = `query($filter: RecordFilter) { records(filter: $filter, first: 5) { totalCount edges { node { id } } } }`;
  it('totalCount counts every match (a second statement, only when selected)', async () => {
    const filter = { kind: ['SPECTRUM'], time: { min: 50000, max: 55000 } };
    const expected = s.rows.filter(visibleTo(null)).filter((r) => r.kind === 'SPECTRUM' && r.tMin !== null && r.tMin <= 55000 && r.tMax! >= 50000).length;
    const r = await h.exec(COUNTED, { filter }, null, true);
    expect(ok(r).records.totalCount).toBe(expected);
    expect(r.extensions?.sqlQueries).toBe(2);
    const without = await h.exec(RECORDS, { filter, first: 5 }, null, true);
    expect(ok(without).records.edges).toHaveLength(5);
    expect(without.extensions?.sqlQueries).toBe(1);
  });

  const NESTED = `query($filter: RecordFilter, $first: Int) { records(filter: $filter, first: $first) {
      edges { distance node { id obsId targetName center { ra dec } source { name } file { path kind } } } } }`;
  it.each([10, 300])('a page of %i records with every filter, their sources and files, is one statement', async (first) => {
    const filter = {
      survey: 'SKY',
      release: String(s.published),
      kind: ['SPECTRUM', 'IMAGE', 'IFS_CUBE'],
      productType: ['spectrum-0', 'spectrum-1', 'spectrum-2', 'image-0', 'image-1', 'cube-0', 'cube-1'],
      cone: { ra: 0, dec: 0, radius: 180 },
      wavelength: { min: 0, max: 1 },
      time: { min: 0, max: 1e6 },
      facility: 'AAT',
      instrument: '2dF',
      includeInvalid: true,
    };
    const r = await h.exec(NESTED, { filter, first }, null, true);
    const edges = ok(r).records.edges;
    expect(edges.length).toBeGreaterThan(0);
    expect(r.extensions?.sqlQueries).toBe(1);
    const r2 = await h.exec(NESTED, { filter: { targetName: 'NGC 1005', covers: null }, first }, null, true);
    expect(ok(r2).records.edges.every((e: any) => e.node.source.name === 'NGC 1005' && e.node.targetName === 'NGC 1005' && e.node.file.path)).toBe(true);
    expect(r2.extensions?.sqlQueries).toBe(1);
  });
});

describe('records over HTTP', () => {
  it('a traced page (x-astroarchive-trace: 1) reports one SQL statement for a cone + filters page with sources and files', async () => {
    const served = await serveApp(database, h.config);
    try {
      const res = await fetch(`${served.base}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-astroarchive-trace': '1' },
        body: JSON.stringify({
          query: `query($f: RecordFilter) { records(filter: $f, orderBy: DISTANCE, first: 20) { edges { distance node { id targetName source { name } file { path } } } } }`,
          variables: { f: { cone: { ra: 359.9, dec: 0.2, radius: 2 }, kind: ['SPECTRUM', 'IMAGE', 'IFS_CUBE'], time: { min: 0, max: 1e6 } } },
        }),
      });
      const body = (await res.json()) as { data: any; extensions: { sqlQueries: number } };
      expect(body.data.records.edges.length).toBeGreaterThan(0);
      expect(body.extensions.sqlQueries).toBe(1);
    } finally {
      await served.close();
    }
  });

  it('an admin search without any filter (includeInvalid: true) lists every record, drafts included', async () => {
    const got = (await all({ includeInvalid: true }, ADMIN)).map((g) => g.id);
    expect(got).toEqual(sorted(s.rows.map((r) => r.id)));
    const tmin = await all({ includeInvalid: true }, ADMIN, 'T_MIN', 1000);
    expect(tmin).toHaveLength(s.rows.length);
  });
});

describe('records and sources: access rules', () => {
  it('anonymous clients never see records of a draft release; admins do', async () => {
    const draftIds = new Set(s.rows.filter((r) => r.releaseId === s.draft).map((r) => r.id));
    const anon = await all({ cone: { ra: 0, dec: 0, radius: 180 }, includeInvalid: true });
    expect(anon.length).toBeGreaterThan(1000);
    expect(anon.some((g) => draftIds.has(g.id))).toBe(false);
    expect(await all({ release: String(s.draft) })).toEqual([]);
    expect(await all({ targetName: 'Draft Only' })).toEqual([]);
    const admin = (await all({ release: String(s.draft), includeInvalid: true }, ADMIN)).map((g) => g.id);
    expect(admin).toEqual(sorted([...draftIds]));
  });

  it('anonymous clients never see a source observed only by a draft; admins do', async () => {
    const q = `query($f: SourceFilter) { sources(filter: $f) { edges { node { name } } } }`;
    expect(ok(await h.exec(q, { f: { name: 'draft only' } })).sources.edges).toEqual([]);
    expect(ok(await h.exec(q, { f: { namePrefix: 'Draft' } })).sources.edges).toEqual([]);
    expect(ok(await h.exec(q, { f: { name: 'draft only' } }, ADMIN)).sources.edges).toEqual([{ node: { name: 'Draft Only' } }]);
    const all = ok(await h.exec(`{ sources(first: 1000) { edges { node { name } } } }`)).sources.edges.map((e: any) => e.node.name);
    expect(all).not.toContain('Draft Only');
    expect(all).toHaveLength(39);
  });
});

describe('sources', () => {
  const SOURCES = `query($f: SourceFilter, $first: Int, $after: String) { sources(filter: $f, first: $first, after: $after) {
    edges { cursor distance node { id name ra dec } } pageInfo { hasNextPage endCursor } } }`;
  const names = async (f: object, viewer: Viewer = null) => ok(await h.exec(SOURCES, { f, first: 1000 }, viewer)).sources.edges.map((e: any) => e.node.name);

  it('name: case-insensitive exact', async () => {
    // Two sources whose names differ only in case: both.
    expect(await names({ name: 'NGC 1000' })).toEqual(['NGC 1000', 'ngc 1000']);
    expect(await names({ name: 'ngc 1002' })).toEqual(['NGC 1002']);
    expect(await names({ name: 'NGC 100' })).toEqual([]);
  });

  it('namePrefix: case-insensitive prefix; LIKE wildcards are literal', async () => {
    expect(await names({ namePrefix: 'ngc 101' })).toEqual(Array.from({ length: 10 }, (_, i) => `NGC ${1010 + i}`));
    expect(await names({ namePrefix: 'NGC 1_1' })).toEqual([]);
    expect(await names({ namePrefix: '%' })).toEqual([]);
    expect(await names({ namePrefix: '' })).toHaveLength(39);
  });

  /** The brute-force mean position of each source over the records a viewer sees. */
  function means(viewer: Viewer): Map<number, { ra: number; dec: number }> {
    const sums = new Map<number, [number, number, number]>();
    for (const r of s.rows.filter(visibleTo(viewer))) {
      if (r.sourceId === null || r.ra === null) continue;
      const d = Math.PI / 180;
      const v = sums.get(r.sourceId) ?? [0, 0, 0];
      v[0] += Math.cos(r.dec! * d) * Math.cos(r.ra * d);
      v[1] += Math.cos(r.dec! * d) * Math.sin(r.ra * d);
      v[2] += Math.sin(r.dec! * d);
      sums.set(r.sourceId, v);
    }
    const out = new Map<number, { ra: number; dec: number }>();
    for (const [id, [x, y, z]] of sums) out.set(id, { ra: ((Math.atan2(y, x) * 180) / Math.PI + 360) % 360, dec: (Math.atan2(z, Math.hypot(x, y)) * 180) / Math.PI });
    return out;
  }

  it.each([
    ['north pole, 10"', { ra: 0, dec: 90, radius: 10 / 3600 }],
    ['across RA 0, 0.35 deg', { ra: 0, dec: 0, radius: 0.35 }],
    ['at a source across RA 0, 5"', { ra: 359.9995, dec: 0.3, radius: 5 / 3600 }],
    ['near the south pole, 1 deg', { ra: 10, dec: -89.9, radius: 1 }],
    ['90 deg', { ra: 100, dec: 20, radius: 90 }],
  ])('cone on the mean position (Source.ra/dec): %s', async (_name, cone) => {
    for (const viewer of [null, ADMIN]) {
      const r = await h.exec(SOURCES, { f: { cone }, first: 1000 }, viewer, true);
      const edges = ok(r).sources.edges;
      const expected = [...means(viewer)].filter(([, m]) => angularDistanceDeg(cone.ra, cone.dec, m.ra, m.dec) <= cone.radius).map(([id]) => id);
      expect(edges.map((e: any) => Number(e.node.id))).toEqual(sorted(expected));
      expect(expected.length).toBeGreaterThan(0);
      for (const e of edges) {
        expect(Math.abs(e.distance - angularDistanceDeg(cone.ra, cone.dec, e.node.ra, e.node.dec))).toBeLessThan(1e-9);
      }
      // The page's statement carried the positions: ra/dec cost nothing more.
      expect(r.extensions?.sqlQueries).toBe(1);
    }
  });

  it('pages of 5 with cursors list every source once, in id order; cone and name combine', async () => {
    const seen: number[] = [];
    let after: string | null = null;
    for (;;) {
      const data: any = ok(await h.exec(SOURCES, { f: { namePrefix: 'NGC' }, first: 5, after })).sources;
      seen.push(...data.edges.map((e: any) => Number(e.node.id)));
      if (!data.pageInfo.hasNextPage) break;
      after = data.pageInfo.endCursor;
    }
    expect(seen).toEqual(sorted(seen));
    expect(new Set(seen).size).toBe(39); // NGC 1000, ngc 1000, NGC 1002..1038
    const near = await names({ cone: { ra: 0, dec: 0, radius: 1 }, namePrefix: 'NGC 100' });
    expect(near.length).toBeGreaterThan(0);
    expect(near.every((n: string) => n.startsWith('NGC 100'))).toBe(true);
  });
});

describe('bad input', () => {
  const bad: [string, object, string][] = [
    ['radius 0', { filter: { cone: { ra: 10, dec: 0, radius: 0 } } }, 'filter.cone.radius'],
    ['radius < 0', { filter: { cone: { ra: 10, dec: 0, radius: -1 } } }, 'filter.cone.radius'],
    ['radius > 180', { filter: { cone: { ra: 10, dec: 0, radius: 180.5 } } }, 'filter.cone.radius'],
    ['dec > 90', { filter: { cone: { ra: 10, dec: 90.1, radius: 1 } } }, 'filter.cone.dec'],
    ['dec < -90', { filter: { covers: { ra: 10, dec: -91 } } }, 'filter.covers.dec'],
    ['ra 360', { filter: { cone: { ra: 360, dec: 0, radius: 1 } } }, 'filter.cone.ra'],
    ['ra < 0', { filter: { covers: { ra: -0.1, dec: 0 } } }, 'filter.covers.ra'],
    ['time min > max', { filter: { time: { min: 2, max: 1 } } }, 'filter.time'],
    ['wavelength min > max', { filter: { wavelength: { min: 2e-7, max: 1e-7 } } }, 'filter.wavelength'],
    ['first over the cap', { first: 1001 }, 'first'],
    ['first < 0', { first: -1 }, 'first'],
    ['DISTANCE without a cone', { orderBy: 'DISTANCE' }, 'orderBy'],
    ['a made-up cursor', { after: 'bm9wZQ==' }, 'after'],
    ['a cursor of another order', { orderBy: 'T_MIN', after: Buffer.from('["i",5]').toString('base64') }, 'after'],
    ['a bad release id', { filter: { release: 'x' } }, 'filter.release'],
  ];
  it.each(bad)('%s -> BAD_USER_INPUT naming %s', async (_name, vars, arg) => {
    const r = await h.exec(RECORDS, vars as Record<string, unknown>);
    expect(codes(r)).toEqual(['BAD_USER_INPUT']);
    expect(r.errors![0].message).toContain(arg);
  });
  it('the message gives the allowed range', async () => {
    const r = await h.exec(RECORDS, { filter: { cone: { ra: 10, dec: 0, radius: 200 } } });
    expect(r.errors![0].message).toMatch(/\(0, 180\] degrees, got 200/);
    const s2 = await h.exec(`{ sources(filter: { cone: { ra: 10, dec: 95, radius: 1 } }) { edges { cursor } } }`);
    expect(codes(s2)).toEqual(['BAD_USER_INPUT']);
    expect(s2.errors![0].message).toMatch(/filter\.cone\.dec must be in \[-90, 90\]/);
    const f = await h.exec(RECORDS, { first: 5000 });
    expect(f.errors![0].message).toMatch(/between 0 and 1000/);
  });
});
