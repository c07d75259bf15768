/**
 * Convex spherical polygons (a footprint's corners joined by great-circle arcs): the exact
 * point-in-polygon test, and the footprint's coverage (a MOC as ranges at the storage order)
 * for an int8multirange column. A convex polygon is the intersection of the hemispheres on the
 * inner side of its edges, so both tests are a few dot products per edge.
 */
import type { SkyPosition } from '../fits/types.js';
import { coverPixels, INSIDE, MISS, PARTIAL, pixelRadii, startPixel, terminalOrderFor, type Verdict } from './coverage.js';
import { smallestEnclosingCircle } from './enclosing-circle.js';
import { MAX_ORDER } from './healpix.js';
import { capRanges, toPairs, type PixelRange } from './ranges.js';
import { chordSq, radecToVec } from './vector.js';

/** Default cap on the ranges of one footprint's coverage. */
export const DEFAULT_MOC_MAX_RANGES = 64;

/** A polygon prepared for repeated tests: inward unit normals of its edges, and a bounding cap. */
export interface ConvexPolygon {
  /** Inward unit normal of edge i (vertex i to i + 1) at [3i, 3i + 3). */
  normals: Float64Array;
  /** Smallest enclosing circle of the vertices (degrees). */
  cap: { ra: number; dec: number; radius: number };
}

/**
 * Checks and prepares a convex polygon given by its vertices in order (either winding). Throws
 * RangeError for fewer than 3 vertices, a repeated or collinear vertex, or a polygon that is not
 * convex (each edge's great circle must have every other vertex strictly on one side).
 */
export function convexPolygon(vertices: readonly SkyPosition[]): ConvexPolygon {
  const n = vertices.length;
  if (n < 3) throw new RangeError('a polygon needs at least 3 vertices');
  const v = new Float64Array(3 * n);
  for (let i = 0; i < n; i++) radecToVec(vertices[i].ra, vertices[i].dec, v, 3 * i);
  const normals = new Float64Array(3 * n);
  let winding = 0;
  for (let i = 0; i < n; i++) {
    const a = 3 * i;
    const b = 3 * ((i + 1) % n);
    let x = v[a + 1] * v[b + 2] - v[a + 2] * v[b + 1];
    let y = v[a + 2] * v[b] - v[a] * v[b + 2];
    let z = v[a] * v[b + 1] - v[a + 1] * v[b];
    const len = Math.sqrt(x * x + y * y + z * z);
    if (len < 1e-15) throw new RangeError(`polygon vertices ${i} and ${(i + 1) % n} coincide or are antipodal`);
    x /= len;
    y /= len;
    z /= len;
    for (let j = 0; j < n; j++) {
      if (j === i || j === (i + 1) % n) continue;
      const side = x * v[3 * j] + y * v[3 * j + 1] + z * v[3 * j + 2];
      if (Math.abs(side) <= 1e-12) throw new RangeError(`polygon vertex ${j} lies on the great circle of edge ${i}`);
      if (winding === 0) winding = side > 0 ? 1 : -1; // decided by edge 0, before any normal is kept
      else if (side * winding < 0) throw new RangeError('polygon is not convex');
    }
    normals[3 * i] = x * winding;
    normals[3 * i + 1] = y * winding;
    normals[3 * i + 2] = z * winding;
  }
  return { normals, cap: smallestEnclosingCircle(vertices) };
}

/** Whether the position lies inside the prepared polygon or on its edges (exact up to rounding). */
export function convexPolygonContains(polygon: ConvexPolygon, raDeg: number, decDeg: number): boolean {
  const d = Math.PI / 180;
  const c = Math.cos(decDeg * d);
  const x = c * Math.cos(raDeg * d);
  const y = c * Math.sin(raDeg * d);
  const z = Math.sin(decDeg * d);
  const nn = polygon.normals;
  for (let i = 0; i < nn.length; i += 3) {
    if (nn[i] * x + nn[i + 1] * y + nn[i + 2] * z < 0) return false;
  }
  return true;
}

/** Whether (ra, dec) lies inside the convex polygon or on its edges (see convexPolygon). */
export function polygonContains(vertices: readonly SkyPosition[], raDeg: number, decDeg: number): boolean {
  return convexPolygonContains(convexPolygon(vertices), raDeg, decDeg);
}

export interface MocOptions {
  /** Order of the stored ids (default and maximum: 24). */
  storeOrder?: number;
  /** Deepest order refined to (default: from the enclosing circle, as for cones). */
  order?: number;
  /** At most this many ranges (default 64); gaps are filled to get there. */
  maxRanges?: number;
}

/**
 * Coverage of a convex polygon: sorted, disjoint [start, end) ranges of nested ids at the
 * storage order holding every pixel that overlaps the polygon (a superset, never missing one).
 */
export function polygonMoc(vertices: readonly SkyPosition[] | ConvexPolygon, options: MocOptions = {}): PixelRange[] {
  const polygon = 'normals' in vertices ? vertices : convexPolygon(vertices);
  const storeOrder = options.storeOrder ?? MAX_ORDER;
  const maxRanges = options.maxRanges ?? DEFAULT_MOC_MAX_RANGES;
  if (!Number.isInteger(storeOrder) || storeOrder < 0 || storeOrder > MAX_ORDER || !(maxRanges >= 1)) {
    throw new RangeError(`bad coverage options: storeOrder ${storeOrder}, maxRanges ${maxRanges}`);
  }
  const capRad = (polygon.cap.radius * Math.PI) / 180;
  const terminal = Math.min(options.order ?? terminalOrderFor(capRad, storeOrder), storeOrder);
  const { inner, outer } = pixelRadii(terminal);
  // Per order: a pixel misses when its centre lies more than `outer` beyond one edge's great
  // circle (dot < -sin(outer)) or beyond the enclosing cap; it lies inside when its centre is at
  // least `inner` inside every edge.
  const missBelow = new Float64Array(terminal + 1);
  const insideAbove = new Float64Array(terminal + 1);
  const capMissBeyond = new Float64Array(terminal + 1);
  for (let o = 0; o <= terminal; o++) {
    missBelow[o] = outer[o] >= Math.PI / 2 ? -Infinity : -Math.sin(outer[o]);
    insideAbove[o] = inner[o] >= Math.PI / 2 ? Infinity : Math.sin(inner[o]);
    capMissBeyond[o] = capRad + outer[o] >= Math.PI ? Infinity : chordSq(capRad + outer[o]);
  }
  const c = new Float64Array(3);
  radecToVec(polygon.cap.ra, polygon.cap.dec, c);
  const nn = polygon.normals;
  const judge = (v: Float64Array, order: number): Verdict => {
    const dx = v[0] - c[0];
    const dy = v[1] - c[1];
    const dz = v[2] - c[2];
    if (dx * dx + dy * dy + dz * dz > capMissBeyond[order]) return MISS;
    let verdict: Verdict = INSIDE;
    for (let i = 0; i < nn.length; i += 3) {
      const s = nn[i] * v[0] + nn[i + 1] * v[1] + nn[i + 2] * v[2];
      if (s < missBelow[order]) return MISS;
      if (s < insideAbove[order]) verdict = PARTIAL;
    }
    return verdict;
  };
  return toPairs(capRanges(coverPixels(judge, terminal, storeOrder, startPixel(polygon.cap.ra, polygon.cap.dec, capRad, terminal)), maxRanges));
}

