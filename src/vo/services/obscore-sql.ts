/**
 * WHERE conditions over `ivoa.obscore` (alias `o`) shared by Cone Search, SSA and SIA: pure
 * SQL text with bound values, written so the view's indexes answer them (as
 * src/db/queries/record-search.ts does over `records`):
 *
 * - a cone: the cone's HEALPix ranges as literal integers on `o.hpx` (a BitmapOr on the btree;
 *   ranges passed as an array made the planner scan everything), then the exact great-circle
 *   distance on s_ra/s_dec;
 * - a region against footprints: `o.coverage && <the region's MOC>` (GiST), the MOC a bound
 *   int8multirange;
 * - intervals: overlap of [lo, hi] columns with the asked interval (open ends left out).
 */
import { greatCircle } from '../../db/queries/catalogue-rows.js';
import { Params } from '../../db/queries/record-search.js';
import { coneRanges } from '../../sky/index.js';
import { multirangeLiteral, pixelRangesSql, regionRanges, type Interval, type SkyRegion } from './params.js';

export { Params };

export interface Cone {
  ra: number;
  dec: number;
  /** Degrees. */
  radius: number;
}

/** Degrees from the cone's centre to the row's (s_ra, s_dec). */
export function distanceSql(cone: { ra: number; dec: number }, p: Params): string {
  return greatCircle('o.s_ra', 'o.s_dec', cone, (v, t) => p.add(v, t));
}

/** Rows whose position lies within the cone; `distance` is distanceSql's text (bound once by the caller). */
export function coneSql(cone: Cone, distance: string, p: Params): string {
  return `${pixelRangesSql('o.hpx', coneRanges(cone.ra, cone.dec, cone.radius))} AND ${distance} <= ${p.add(cone.radius, 'float8')}`;
}

/**
 * Rows whose footprint overlaps the region: the footprints' MOCs (about twice their area) against
 * the region's (a superset). A circle also keeps only footprints whose enclosing circle
 * (centre, s_fov / 2) reaches it; a RANGE only those whose declinations reach its band.
 */
export function regionSql(region: SkyRegion, p: Params): string {
  const parts = [`o.coverage && ${p.add(multirangeLiteral(regionRanges(region)), 'int8multirange')}`];
  if (region.kind === 'circle') {
    parts.push(`${distanceSql(region, p)} <= ${p.add(region.radius, 'float8')} + coalesce(o.s_fov, 0) / 2`);
  } else if (region.kind === 'range') {
    if (region.dec1 > -90) parts.push(`o.s_dec + coalesce(o.s_fov, 0) / 2 >= ${p.add(region.dec1, 'float8')}`);
    if (region.dec2 < 90) parts.push(`o.s_dec - coalesce(o.s_fov, 0) / 2 <= ${p.add(region.dec2, 'float8')}`);
  }
  return parts.join(' AND ');
}

/** [lo, hi] columns overlapping the interval (an exact value [v, v] must lie within them). */
export function overlapSql(lo: string, hi: string, range: Interval, p: Params): string {
  const parts = [`o.${lo} IS NOT NULL`, `o.${hi} IS NOT NULL`];
  if (range.min !== null) parts.push(`o.${hi} >= ${p.add(range.min, 'float8')}`);
  if (range.max !== null) parts.push(`o.${lo} <= ${p.add(range.max, 'float8')}`);
  return parts.join(' AND ');
}

/** A column's value inside the interval. */
export function withinSql(column: string, range: Interval, p: Params): string {
  const parts = [`o.${column} IS NOT NULL`];
  if (range.min !== null) parts.push(`o.${column} >= ${p.add(range.min, 'float8')}`);
  if (range.max !== null) parts.push(`o.${column} <= ${p.add(range.max, 'float8')}`);
  return parts.join(' AND ');
}

/** Repeated values of one parameter OR together: `(a) OR (b)`; one value needs no parentheses. */
export function anyOf(conditions: string[]): string {
  return conditions.length === 1 ? conditions[0] : `(${conditions.map((c) => `(${c})`).join(' OR ')})`;
}
