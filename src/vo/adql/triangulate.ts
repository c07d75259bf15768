/**
 * A simple (not self-intersecting) spherical polygon smaller than a hemisphere as spherical
 * triangles, so that a non-convex ADQL POLYGON becomes an OR of convex tests (each with its
 * own pixel coverage). The corners are projected gnomonically from their mean direction: that
 * projection maps great circles to straight lines, so the planar polygon's ear-clipping
 * triangles are exactly the spherical polygon's.
 */

export interface SkyVertex {
  ra: number;
  dec: number;
}

const DEG = Math.PI / 180;

type Vec = [number, number, number];
const cross = (a: Vec, b: Vec): Vec => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
const dot = (a: Vec, b: Vec) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const unit = (a: Vec): Vec => {
  const n = Math.hypot(a[0], a[1], a[2]);
  return [a[0] / n, a[1] / n, a[2] / n];
};
const toVec = (v: SkyVertex): Vec => [Math.cos(v.dec * DEG) * Math.cos(v.ra * DEG), Math.cos(v.dec * DEG) * Math.sin(v.ra * DEG), Math.sin(v.dec * DEG)];

/** Gnomonic projection of the corners from their mean direction; RangeError when they span a hemisphere. */
export function gnomonic(vertices: readonly SkyVertex[]): [number, number][] {
  const vs = vertices.map(toVec);
  const c = unit(vs.reduce<Vec>((s, v) => [s[0] + v[0], s[1] + v[1], s[2] + v[2]], [0, 0, 0]));
  if (!vs.every((v) => dot(v, c) > 1e-9)) throw new RangeError('polygon is not within a hemisphere');
  const e1 = unit(Math.abs(c[2]) < 0.9 ? cross([0, 0, 1], c) : cross([1, 0, 0], c));
  const e2 = cross(c, e1);
  return vs.map((v) => [dot(v, e1) / dot(v, c), dot(v, e2) / dot(v, c)]);
}

const orient = (a: [number, number], b: [number, number], c: [number, number]) => (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);

function segmentsCross(a: [number, number], b: [number, number], c: [number, number], d: [number, number]): boolean {
  const o1 = orient(a, b, c);
  const o2 = orient(a, b, d);
  const o3 = orient(c, d, a);
  const o4 = orient(c, d, b);
  return o1 * o2 < 0 && o3 * o4 < 0;
}

/**
 * Triangles (indices into `vertices`) covering the polygon, each counter-clockwise in the
 * projection. RangeError for fewer than 3 corners, a self-intersecting outline, or a polygon
 * spanning a hemisphere.
 */
export function triangulate(vertices: readonly SkyVertex[]): [number, number, number][] {
  const n = vertices.length;
  if (n < 3) throw new RangeError('a polygon needs at least 3 vertices');
  const p = gnomonic(vertices);
  for (let i = 0; i < n; i++) {
    for (let j = i + 2; j < n; j++) {
      if (i === 0 && j === n - 1) continue; // adjacent through the closing edge
      if (segmentsCross(p[i], p[(i + 1) % n], p[j], p[(j + 1) % n])) throw new RangeError(`polygon edges ${i} and ${j} cross`);
    }
  }
  let area = 0;
  for (let i = 0; i < n; i++) area += p[i][0] * p[(i + 1) % n][1] - p[(i + 1) % n][0] * p[i][1];
  if (Math.abs(area) < 1e-18) throw new RangeError('polygon has no area');
  const ring = Array.from({ length: n }, (_, i) => i);
  if (area < 0) ring.reverse();
  const out: [number, number, number][] = [];
  // Ear clipping: O(n^3) at worst, for the few dozen corners a query spells out.
  while (ring.length > 3) {
    let clipped = false;
    for (let k = 0; k < ring.length; k++) {
      const [a, b, c] = [ring[(k + ring.length - 1) % ring.length], ring[k], ring[(k + 1) % ring.length]];
      const turn = orient(p[a], p[b], p[c]);
      if (turn <= 0) {
        if (Math.abs(turn) < 1e-15) {
          ring.splice(k, 1); // a corner on a straight edge adds nothing
          clipped = true;
          break;
        }
        continue; // reflex
      }
      const inside = ring.some((m) => m !== a && m !== b && m !== c && orient(p[a], p[b], p[m]) >= 0 && orient(p[b], p[c], p[m]) >= 0 && orient(p[c], p[a], p[m]) >= 0);
      if (inside) continue;
      out.push([a, b, c]);
      ring.splice(k, 1);
      clipped = true;
      break;
    }
    if (!clipped) throw new RangeError('polygon could not be triangulated (is its outline simple?)');
  }
  if (Math.abs(orient(p[ring[0]], p[ring[1]], p[ring[2]])) >= 1e-15) out.push([ring[0], ring[1], ring[2]]);
  return out;
}
