/**
 * The footprint coverage written at ingest (src/ingest/analyze/obscore.ts) is coarser than
 * src/sky's default and its search may start next to the footprint instead of at the 12 base
 * pixels (coverPixels' `start`). Searches rely on it never under-covering: every order-24 pixel
 * of a finer covering, and of every point inside the polygon, must be in it.
 */
import { describe, expect, it } from 'vitest';
import { multirange, obscoreFields } from '../../src/ingest/analyze/obscore.js';
import { coverPixels, INSIDE, MISS, PARTIAL, pixelRadii, startPixel, terminalOrderFor, type Verdict } from '../../src/sky/coverage.js';
import { ang2pixNest, convexPolygon, convexPolygonContains, pixelCount, polygonMoc, rangesContain, rangesPixelCount, STORE_ORDER, type PixelRange } from '../../src/sky/index.js';
import { offset, prng, uncovered, unitVec, wellFormed, type Pos } from './fixtures.js';

const D = Math.PI / 180;

function parse(text: string): PixelRange[] {
  return [...text.matchAll(/\[(\d+),(\d+)\)/g)].map((m) => [Number(m[1]), Number(m[2])] as PixelRange);
}

/** A convex quadrilateral: four corners on a circle of `radius` deg at increasing position angles. */
function quadrilateral(rand: () => number, centre: Pos, radius: number): Pos[] {
  const pa0 = 360 * rand();
  return [0, 1, 2, 3].map((k) => offset(centre.ra, centre.dec, radius, pa0 + 90 * k + 30 * (rand() - 0.5)));
}

/** Centres where the start block meets a face's edge or corner, the poles and RA 0, and random ones. */
function centres(rand: () => number): Pos[] {
  const z23 = Math.asin(2 / 3) / D;
  const special: Pos[] = [
    { ra: 0, dec: 89.99999 }, { ra: 45, dec: -89.9999 }, { ra: 0, dec: 0 }, { ra: 359.99999, dec: 0.3 }, { ra: 45, dec: 0 }, { ra: 90, dec: z23 },
    { ra: 135, dec: -z23 }, { ra: 180, dec: z23 + 1e-7 }, { ra: 0, dec: 41.8 }, { ra: 270.00001, dec: -41.81 },
  ];
  for (let i = 0; i < 70; i++) special.push({ ra: 360 * rand(), dec: Math.asin(2 * rand() - 1) / D });
  return special;
}

describe('the ingest footprint coverage', () => {
  it('holds every pixel of a finer covering and every point inside, for footprints of 1" to 10 deg anywhere', () => {
    const rand = prng(2024);
    let footprints = 0;
    let points = 0;
    let worst = 0;
    for (const centre of centres(rand)) {
      for (const radius of [1 / 3600, 20 / 3600, 0.05, 0.5, 10 ** (-3 + 4 * rand())]) {
        const corners = quadrilateral(rand, centre, radius);
        const polygon = convexPolygon(corners);
        const o = obscoreFields({ kind: 'IMAGE', calibLevel: null, center: centre, footprint: corners, emRange: null }, []);
        const coverage = parse(o.coverage!);
        expect(wellFormed(coverage)).toBe(true);
        expect(coverage.length).toBeLessThanOrEqual(64);
        // Two orders finer than src/sky's default, uncapped.
        const fine = polygonMoc(polygon, { order: Math.min(STORE_ORDER, terminalOrderFor(polygon.cap.radius * D) + 2), maxRanges: Infinity });
        expect({ corners, missing: uncovered(coverage, fine).slice(0, 3) }).toEqual({ corners, missing: [] });
        // Points inside: random ones, and ones a hair inside each edge and at each corner.
        const inside: Pos[] = [...corners];
        for (let k = 0; k < 200; k++) inside.push(offset(polygon.cap.ra, polygon.cap.dec, polygon.cap.radius * Math.sqrt(rand()), 360 * rand()));
        for (let i = 0; i < 4; i++) {
          const [a, b] = [unitVec(corners[i]), unitVec(corners[(i + 1) % 4])];
          for (let k = 0; k < 50; k++) {
            const t = rand();
            const v = a.map((x, j) => (1 - t) * x + t * b[j]);
            const onEdge = { ra: (Math.atan2(v[1], v[0]) / D + 360) % 360, dec: Math.asin(v[2] / Math.hypot(...v)) / D };
            inside.push(offset(onEdge.ra, onEdge.dec, radius * 10 ** (-9 + 6 * rand()), 360 * rand()));
          }
        }
        for (const p of inside) {
          if (!convexPolygonContains(polygon, p.ra, p.dec)) continue;
          points++;
          const pix = ang2pixNest(STORE_ORDER, p.ra, p.dec);
          if (!rangesContain(coverage, pix)) expect({ corners, p, covered: false }).toEqual({ corners, p, covered: true });
        }
        const area = (rangesPixelCount(coverage) * 4 * Math.PI) / pixelCount(STORE_ORDER);
        worst = Math.max(worst, area / ((rangesPixelCount(fine) * 4 * Math.PI) / pixelCount(STORE_ORDER)));
        footprints++;
      }
    }
    expect(footprints).toBe(400);
    expect(points).toBeGreaterThan(footprints * 100);
    console.log(`ingest footprint coverage: at most ${worst.toFixed(2)} x the area of a covering two orders finer than the default`);
    expect(worst).toBeLessThan(4);
  });

  it('is written as PostgreSQL multirange text, every id in plain decimal', () => {
    const rand = prng(7);
    const max = pixelCount(STORE_ORDER);
    const ids = [0, 1, 99_999_999, 100_000_000, 100_000_001, 1e15, max - 1, max];
    for (let i = 0; i < 2000; i++) ids.push(Math.floor(max * rand() ** (1 + 10 * rand())));
    ids.sort((a, b) => a - b);
    const ranges: PixelRange[] = [];
    for (let i = 0; i + 1 < ids.length; i += 2) ranges.push([ids[i], ids[i + 1]]);
    expect(multirange(ranges)).toBe(`{${ranges.map(([a, b]) => `[${a},${b})`).join(',')}}`);
    expect(multirange([])).toBe('{}');
  });
});

describe('coverPixels started next to the shape', () => {
  /** A cone judge written here (as cone.ts does it): MISS only when the pixel surely misses. */
  function coneJudge(centre: Pos, radiusDeg: number, terminal: number): (v: Float64Array, order: number) => Verdict {
    const r = radiusDeg * D;
    const { inner, outer } = pixelRadii(terminal);
    const c = unitVec(centre);
    return (v, order) => {
      const angle = Math.acos(Math.min(1, v[0] * c[0] + v[1] * c[1] + v[2] * c[2]));
      if (angle > r + outer[order]) return MISS;
      return angle + inner[order] <= r ? INSIDE : PARTIAL;
    };
  }

  it('keeps every pixel of the cone, within the search from the base pixels, judging fewer pixels', () => {
    const rand = prng(77);
    let started = 0;
    let differ = 0;
    for (const centre of centres(rand)) {
      for (const radius of [1 / 3600, 0.01, 0.3]) {
        const terminal = terminalOrderFor(radius * D) - 2;
        const judge = coneJudge(centre, radius, terminal);
        let fullCalls = 0;
        let startCalls = 0;
        const full = coverPixels((v, o) => (fullCalls++, judge(v, o)), terminal);
        const start = startPixel(centre.ra, centre.dec, radius * D, terminal);
        const fromStart = coverPixels((v, o) => (startCalls++, judge(v, o)), terminal, STORE_ORDER, start);
        // Never more than the search from the base pixels (it may drop a few of that search's
        // pixels that only the loose bounding-radius test kept), and never a point of the cone.
        const asPairs = (flat: number[]) => flat.flatMap((x, i) => (i % 2 ? [] : [[x, flat[i + 1]] as PixelRange]));
        const [fullRanges, startRanges] = [asPairs(full), asPairs(fromStart)];
        expect(uncovered(fullRanges, startRanges)).toEqual([]);
        for (let k = 0; k < 300; k++) {
          const p = offset(centre.ra, centre.dec, radius * (k < 100 ? Math.sqrt(rand()) : 1 - 10 ** (-9 + 8 * rand())), 360 * rand());
          if (!rangesContain(startRanges, ang2pixNest(STORE_ORDER, p.ra, p.dec))) expect({ centre, radius, p, covered: false }).toEqual({ centre, radius, p, covered: true });
        }
        if (start && startCalls + 4 * start.order < fullCalls) started++;
        if (fromStart.length !== full.length) differ++;
      }
    }
    // Most centres are far from a face's edge: the start block is used there (193 of 240).
    expect(started).toBeGreaterThan(150);
    console.log(`coverPixels from a start pixel: ${started} of 240 searches started next to the cone, ${differ} answers differed from the full search`);
  });
});
