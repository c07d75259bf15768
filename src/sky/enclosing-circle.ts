/**
 * Smallest circle on the sphere holding a set of positions (ObsCore s_fov is its diameter; the
 * footprint coverage also uses it to cut corners). Welzl's incremental algorithm on unit
 * vectors: a circle (cap) smaller than a hemisphere is the intersection of the sphere with a
 * half-space, so the planar argument carries over. Expected O(n) work for shuffled input and at
 * worst O(n^3); footprints have a handful of corners.
 */
import type { SkyPosition } from '../fits/types.js';
import { radecToVec, vecAngle, vecToRadec } from './vector.js';

export interface SkyCircle {
  /** Centre, degrees (RA in [0, 360)). */
  ra: number;
  dec: number;
  /** Radius, degrees. */
  radius: number;
}

// A point counts as inside when it lies within this many radians beyond the radius.
const TOLERANCE = 1e-12;

interface Cap {
  x: number;
  y: number;
  z: number;
  r: number;
}

function inside(cap: Cap, p: Float64Array, i: number): boolean {
  return vecAngle(cap.x, cap.y, cap.z, p[i], p[i + 1], p[i + 2]) <= cap.r + TOLERANCE;
}

function capFrom(x: number, y: number, z: number, p: Float64Array, idx: number[]): Cap {
  const n = Math.sqrt(x * x + y * y + z * z);
  const cap: Cap = { x: x / n, y: y / n, z: z / n, r: 0 };
  for (const i of idx) cap.r = Math.max(cap.r, vecAngle(cap.x, cap.y, cap.z, p[i], p[i + 1], p[i + 2]));
  return cap;
}

function twoPointCap(p: Float64Array, a: number, b: number): Cap {
  const x = p[a] + p[b];
  const y = p[a + 1] + p[b + 1];
  const z = p[a + 2] + p[b + 2];
  if (x * x + y * y + z * z < 1e-24) throw new RangeError('antipodal positions have no smallest enclosing circle');
  return capFrom(x, y, z, p, [a, b]);
}

function threePointCap(p: Float64Array, a: number, b: number, c: number): Cap {
  // The plane through the three points; its normal, turned towards them, is the cap's centre.
  const ux = p[b] - p[a];
  const uy = p[b + 1] - p[a + 1];
  const uz = p[b + 2] - p[a + 2];
  const vx = p[c] - p[a];
  const vy = p[c + 1] - p[a + 1];
  const vz = p[c + 2] - p[a + 2];
  let nx = uy * vz - uz * vy;
  let ny = uz * vx - ux * vz;
  let nz = ux * vy - uy * vx;
  const len = Math.sqrt(nx * nx + ny * ny + nz * nz);
  if (len < 1e-30) {
    // Three points on one great circle (or two coincide): the widest pair decides.
    const caps = [twoPointCap(p, a, b), twoPointCap(p, a, c), twoPointCap(p, b, c)];
    return caps.reduce((m, q) => (q.r > m.r ? q : m));
  }
  if (nx * p[a] + ny * p[a + 1] + nz * p[a + 2] < 0) {
    nx = -nx;
    ny = -ny;
    nz = -nz;
  }
  return capFrom(nx, ny, nz, p, [a, b, c]);
}

/**
 * Smallest enclosing circle of `points` (degrees). Throws RangeError for no points or points
 * that do not fit in an open hemisphere (no circle under 90 degrees holds them).
 */
export function smallestEnclosingCircle(points: readonly SkyPosition[]): SkyCircle {
  const n = points.length;
  if (n === 0) throw new RangeError('no positions');
  const p = new Float64Array(3 * n);
  for (let i = 0; i < n; i++) radecToVec(points[i].ra, points[i].dec, p, 3 * i);
  let cap: Cap = { x: p[0], y: p[1], z: p[2], r: 0 };
  for (let i = 1; i < n; i++) {
    if (inside(cap, p, 3 * i)) continue;
    cap = { x: p[3 * i], y: p[3 * i + 1], z: p[3 * i + 2], r: 0 };
    for (let j = 0; j < i; j++) {
      if (inside(cap, p, 3 * j)) continue;
      cap = twoPointCap(p, 3 * i, 3 * j);
      for (let k = 0; k < j; k++) {
        if (!inside(cap, p, 3 * k)) cap = threePointCap(p, 3 * i, 3 * j, 3 * k);
      }
    }
  }
  for (let i = 0; i < n; i++) {
    if (cap.r >= Math.PI / 2 || !inside(cap, p, 3 * i)) {
      throw new RangeError('positions do not fit in a hemisphere');
    }
  }
  const { ra, dec } = vecToRadec(cap.x, cap.y, cap.z);
  return { ra, dec, radius: (cap.r * 180) / Math.PI };
}
