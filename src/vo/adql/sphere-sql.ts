/**
 * SQL for the sky geometry ADQL asks about, in plain PostgreSQL (no pgSphere, q3c or PostGIS):
 * great-circle distance, the point-in-convex-polygon test, and the HEALPix pixel ranges that let
 * the planner use the btree on a table's hpx column (src/sky computes the ranges; they are
 * integers of our own, so they are written into the SQL as literals, which is what makes the
 * planner see one index range per OR branch: see src/db/queries/record-search.ts).
 */
import type { Params } from '../../db/queries/record-search.js';
import type { PixelRange } from '../../sky/index.js';

/** A position as SQL expressions in degrees, and its value when it is a constant. */
export interface SqlPoint {
  ra: string;
  dec: string;
  value?: { ra: number; dec: number };
}

/**
 * Great-circle distance in degrees between two positions: Vincenty's formula written in the
 * coordinate differences, as src/sky/vector.ts angularDistanceDeg (keeps micro-arcsecond
 * separations and is stable up to antipodal points, where asin/acos forms lose digits).
 * A constant first position's sine and cosine are parameters computed here.
 */
export function distanceSql(a: SqlPoint, b: SqlPoint, p: Params): string {
  let s1: string;
  let c1: string;
  if (a.value) {
    const d1 = (a.value.dec * Math.PI) / 180;
    s1 = p.add(Math.sin(d1), 'float8');
    c1 = p.add(Math.cos(d1), 'float8');
  } else {
    s1 = `sin(radians(${a.dec}))`;
    c1 = `cos(radians(${a.dec}))`;
  }
  const c2 = `cos(radians(${b.dec}))`;
  const dra = `radians(${b.ra} - ${a.ra})`;
  const ddec = `radians(${b.dec} - ${a.dec})`;
  const versin = `(2 * power(sin(${dra} / 2), 2))`;
  const x = `(${c2} * sin(${dra}))`;
  const y = `(sin(${ddec}) + ${s1} * ${c2} * ${versin})`;
  const z = `(cos(${ddec}) - ${c1} * ${c2} * ${versin})`;
  return `degrees(atan2(sqrt(${x} * ${x} + ${y} * ${y}), ${z}))`;
}

/**
 * Inside (or on an edge of) a convex polygon given by the inward unit normals of its edges
 * (src/sky convexPolygon): the position's unit vector is on the inner side of every edge.
 */
export function insideConvexSql(point: SqlPoint, normals: Float64Array, p: Params): string {
  const x = `(cos(radians(${point.dec})) * cos(radians(${point.ra})))`;
  const y = `(cos(radians(${point.dec})) * sin(radians(${point.ra})))`;
  const z = `sin(radians(${point.dec}))`;
  const edges: string[] = [];
  for (let i = 0; i < normals.length; i += 3) {
    edges.push(`${p.add(normals[i], 'float8')} * ${x} + ${p.add(normals[i + 1], 'float8')} * ${y} + ${p.add(normals[i + 2], 'float8')} * ${z} >= 0`);
  }
  return `(${edges.join(' AND ')})`;
}

/** `(col >= a AND col < b) OR ...` over a bigint pixel column (the btree answers each branch). */
export function pixelRangesSql(column: string, ranges: readonly PixelRange[]): string {
  if (ranges.length === 0) return 'FALSE';
  return `(${ranges.map(([a, b]) => (b === a + 1 ? `${column} = ${a}` : `(${column} >= ${a} AND ${column} < ${b})`)).join(' OR ')})`;
}

/** The ranges as an int8multirange literal, for `coverage && ...` (GiST). */
export function multirangeSql(ranges: readonly PixelRange[]): string {
  return `'{${ranges.map(([a, b]) => `[${a},${b})`).join(',')}}'::int8multirange`;
}
