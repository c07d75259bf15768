import { describe, expect, it } from 'vitest';
import {
  ang2pixNest, convexPolygon, convexPolygonContains, pixelCount, polygonContains, polygonMoc, rangesContain, rangesPixelCount,
  STORE_ORDER, type PixelRange,
} from '../../src/sky/index.js';
import { decodeRanges, fixtures, offset, prng, uncovered, wellFormed, unitVec, type Pos } from './fixtures.js';

const D = Math.PI / 180;
const vec = unitVec;
const dot = (a: number[], b: number[]) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const cross = (a: number[], b: number[]) => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];

/**
 * An independent point-in-polygon: gnomonic projection about the corners' mean direction
 * (great circles become straight lines) and even-odd ray casting in the plane.
 */
function rayCastContains(corners: Pos[], p: Pos): boolean {
  const vs = corners.map(vec);
  const m = vs.reduce((s, v) => [s[0] + v[0], s[1] + v[1], s[2] + v[2]]);
  const n = Math.hypot(...m);
  const c = m.map((x) => x / n);
  const e = cross([0, 0, 1], c);
  const east = Math.hypot(...e) < 1e-12 ? [1, 0, 0] : e.map((x) => x / Math.hypot(...e));
  const north = cross(c, east);
  const project = (v: number[]) => [dot(v, east) / dot(v, c), dot(v, north) / dot(v, c)];
  const pv = vec(p);
  if (dot(pv, c) <= 0) return false;
  const [x, y] = project(pv);
  const poly = vs.map(project);
  let inside = false;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const [xi, yi] = poly[i];
    const [xj, yj] = poly[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Area (steradians) of a convex polygon: a fan of triangles, each by its spherical excess. */
function polygonArea(corners: Pos[]): number {
  const vs = corners.map(vec);
  let area = 0;
  for (let i = 1; i + 1 < vs.length; i++) {
    const [a, b, c] = [vs[0], vs[i], vs[i + 1]];
    area += 2 * Math.atan2(Math.abs(dot(a, cross(b, c))), 1 + dot(a, b) + dot(b, c) + dot(c, a));
  }
  return area;
}

const asPositions = (corners: [number, number][]) => corners.map(([ra, dec]) => ({ ra, dec }));

describe('polygonMoc against healpy query_polygon(inclusive=True, fact=4)', () => {
  it('holds every pixel healpy returns, for footprints of 3" to 20 deg, around each pole and across RA 0', () => {
    let compared = 0;
    let worst = 0;
    for (const poly of fixtures.polygons) {
      const corners = asPositions(poly.corners);
      const moc = polygonMoc(corners, { order: poly.terminal, maxRanges: Infinity });
      const capped = polygonMoc(corners, { order: poly.terminal });
      expect(wellFormed(moc) && wellFormed(capped)).toBe(true);
      expect(capped.length).toBeLessThanOrEqual(64);
      for (const [order, delta] of Object.entries(poly.healpy)) {
        const theirs = decodeRanges(delta, Number(order));
        expect({ poly, order, missing: uncovered(moc, theirs).slice(0, 3) }).toEqual({ poly, order, missing: [] });
        expect({ poly, order, missing: uncovered(capped, theirs).slice(0, 3) }).toEqual({ poly, order, missing: [] });
        compared++;
      }
      const byDefault = polygonMoc(corners);
      expect(byDefault.length).toBeLessThanOrEqual(64);
      worst = Math.max(worst, (rangesPixelCount(byDefault) * 4 * Math.PI) / pixelCount(STORE_ORDER) / polygonArea(corners));
    }
    expect(compared).toBe(3 * fixtures.polygons.length);
    console.log(`footprint coverings (default options): at most ${worst.toFixed(2)} x the polygon's area`);
    expect(worst).toBeLessThan(2);
  });
});

describe('polygonContains', () => {
  it('agrees with ray casting in the gnomonic plane, for either winding', () => {
    const rand = prng(99);
    let inside = 0;
    for (const poly of fixtures.polygons) {
      const corners = asPositions(poly.corners);
      const prepared = convexPolygon(corners);
      const reversed = convexPolygon([...corners].reverse());
      for (let i = 0; i < 2000; i++) {
        const p = offset(prepared.cap.ra, prepared.cap.dec, prepared.cap.radius * 1.5 * Math.sqrt(rand()), 360 * rand());
        const want = rayCastContains(corners, p);
        expect(convexPolygonContains(prepared, p.ra, p.dec)).toBe(want);
        expect(convexPolygonContains(reversed, p.ra, p.dec)).toBe(want);
        if (want) inside++;
      }
    }
    expect(inside).toBeGreaterThan(2000);
    expect(polygonContains([{ ra: 0, dec: 89 }, { ra: 120, dec: 89 }, { ra: 240, dec: 89 }], 77, 90)).toBe(true);
    expect(polygonContains([{ ra: 0, dec: 89 }, { ra: 120, dec: 89 }, { ra: 240, dec: 89 }], 77, 88.9)).toBe(false);
  });

  it('refuses fewer than 3 corners, repeated or collinear corners, and non-convex polygons', () => {
    expect(() => convexPolygon([{ ra: 0, dec: 0 }, { ra: 1, dec: 0 }])).toThrow(RangeError);
    expect(() => convexPolygon([{ ra: 0, dec: 0 }, { ra: 0, dec: 0 }, { ra: 1, dec: 1 }])).toThrow(RangeError);
    expect(() => convexPolygon([{ ra: 0, dec: 0 }, { ra: 1, dec: 0 }, { ra: 2, dec: 0 }])).toThrow(RangeError);
    // A dart: the fourth corner folds back inside.
    expect(() => convexPolygon([{ ra: 0, dec: 0 }, { ra: 2, dec: 0 }, { ra: 1, dec: 0.2 }, { ra: 1, dec: 2 }])).toThrow(/not convex/);
    // A bow tie (corners out of order).
    expect(() => convexPolygon([{ ra: 0, dec: 0 }, { ra: 1, dec: 1 }, { ra: 1, dec: 0 }, { ra: 0, dec: 1 }])).toThrow(/not convex/);
  });
});

describe('two-step footprint search (pixel in the coverage, then polygonContains) = brute force', () => {
  it('returns exactly the positions inside, with points crowded along the edges and corners', () => {
    const rand = prng(4242);
    let inside = 0;
    let nearEdge = 0;
    for (const poly of fixtures.polygons) {
      const corners = asPositions(poly.corners);
      const prepared = convexPolygon(corners);
      const moc: PixelRange[] = polygonMoc(prepared);
      const points: Pos[] = [];
      for (let i = 0; i < corners.length; i++) {
        const a = corners[i];
        const b = corners[(i + 1) % corners.length];
        for (let k = 0; k < 300; k++) {
          // A point on the edge's great-circle arc, then nudged across it by 1e-9..1e-3 of the size.
          const t = rand();
          const va = vec(a);
          const vb = vec(b);
          const v = va.map((x, j) => (1 - t) * x + t * vb[j]);
          const n = Math.hypot(...v);
          const onEdge = { ra: ((Math.atan2(v[1], v[0]) / D) + 360) % 360, dec: Math.asin(v[2] / n) / D };
          points.push(offset(onEdge.ra, onEdge.dec, prepared.cap.radius * 10 ** (-9 + 6 * rand()), 360 * rand()));
        }
      }
      for (let k = 0; k < 500; k++) points.push(offset(prepared.cap.ra, prepared.cap.dec, prepared.cap.radius * 1.2 * rand(), 360 * rand()));
      for (const p of points) {
        const bruteForce = convexPolygonContains(prepared, p.ra, p.dec);
        const twoStep = rangesContain(moc, ang2pixNest(STORE_ORDER, p.ra, p.dec)) && bruteForce;
        if (twoStep !== bruteForce) expect({ corners, p, twoStep }).toEqual({ corners, p, twoStep: bruteForce });
        if (bruteForce) inside++;
      }
      nearEdge += corners.length * 300;
    }
    expect(inside).toBeGreaterThan(nearEdge / 3);
  });
});
