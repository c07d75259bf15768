/**
 * Cross-match: for each of many positions, the records within a small radius, in ONE
 * statement. Each position becomes 1-4 ranges of order-24 ids (its pixel at a coarse order
 * and the neighbours its disc may reach: crossmatch-pixels.ts), all sent as arrays; the
 * statement probes the hpx btree once per range (a nested loop of index range scans, the
 * probes sorted so that the btree is walked in order) and keeps the pairs within the radius by
 * the same great-circle formula as src/sky's angularDistanceDeg. No temp table, no per-position
 * statement.
 */
import type pg from 'pg';
import { ang2pixNest } from '../../sky/index.js';
import { crossmatchOrder, discProbeRanges } from './crossmatch-pixels.js';

export const DEFAULT_CROSSMATCH_RADIUS_ARCSEC = 1;
/** Larger discs would probe coarse pixels holding a large share of the table per position. */
export const MAX_CROSSMATCH_RADIUS_ARCSEC = 3600;

export interface CrossmatchOptions {
  /** Match radius in arcseconds, (0, 3600]; default 1. */
  radiusArcsec?: number;
  /** Every record within the radius, not only the nearest. */
  all?: boolean;
  /** Also records of draft releases (default: published releases only, as anonymous clients see). */
  includeDrafts?: boolean;
  /** Also records of INVALID files (left out of every search by default). */
  includeInvalid?: boolean;
}

export interface CrossmatchMatch {
  /** Index of the position in the input arrays (0-based). */
  index: number;
  recordId: number;
  ra: number;
  dec: number;
  distanceArcsec: number;
}

type Queryable = Pick<pg.Pool, 'query'> | Pick<pg.ClientBase, 'query'>;

/**
 * SQL for the angle in degrees between two positions (degree expressions): Vincenty's formula
 * in coordinate differences, as angularDistanceDeg computes it, so that a record within
 * rounding of the rim gets the same answer in TypeScript and in SQL.
 */
export function angularDistanceSql(ra1: string, dec1: string, ra2: string, dec2: string): string {
  const dra = `radians(${ra2} - ${ra1})`;
  const ddec = `radians(${dec2} - ${dec1})`;
  const c2 = `cos(radians(${dec2}))`;
  const versin = `(2 * sin(${dra} / 2) ^ 2)`;
  const a = `(${c2} * sin(${dra}))`;
  const b = `(sin(${ddec}) + sin(radians(${dec1})) * ${c2} * ${versin})`;
  const c = `(cos(${ddec}) - cos(radians(${dec1})) * ${c2} * ${versin})`;
  return `degrees(atan2(sqrt(${a} ^ 2 + ${b} ^ 2), ${c}))`;
}

/** RangeError naming what is wrong with the positions or the radius. */
export function checkCrossmatchInput(ra: ArrayLike<number>, dec: ArrayLike<number>, radiusArcsec: number): void {
  if (ra.length !== dec.length) throw new RangeError(`ra and dec differ in length (${ra.length} and ${dec.length})`);
  if (!(radiusArcsec > 0 && radiusArcsec <= MAX_CROSSMATCH_RADIUS_ARCSEC)) {
    throw new RangeError(`radius must be in (0, ${MAX_CROSSMATCH_RADIUS_ARCSEC}] arcseconds, got ${radiusArcsec}`);
  }
  for (let i = 0; i < ra.length; i++) {
    if (!Number.isFinite(ra[i]) || !(dec[i] >= -90 && dec[i] <= 90)) {
      throw new RangeError(`position ${i}: ra must be finite and dec in [-90, 90], got ${ra[i]}, ${dec[i]}`);
    }
  }
}

/**
 * Matches each position (degrees, ICRS) against the records within the radius. Returns, sorted
 * by input index then distance, the nearest record of every position that has one (or every
 * match with `all`). Positions without a match do not appear.
 */
export async function crossmatch(db: Queryable, ra: ArrayLike<number>, dec: ArrayLike<number>, options: CrossmatchOptions = {}): Promise<CrossmatchMatch[]> {
  const radiusArcsec = options.radiusArcsec ?? DEFAULT_CROSSMATCH_RADIUS_ARCSEC;
  checkCrossmatchInput(ra, dec, radiusArcsec);
  if (ra.length === 0) return [];
  const radius = radiusArcsec / 3600;
  const k = crossmatchOrder(radius);
  // Positions in order of their coarse pixel: the probes then walk the btree in order.
  const order = Array.from({ length: ra.length }, (_, i) => i);
  const cell = new Float64Array(ra.length);
  for (let i = 0; i < ra.length; i++) cell[i] = ang2pixNest(k, ra[i], dec[i]);
  order.sort((x, y) => cell[x] - cell[y]);
  const probeIndex: number[] = [];
  const lo: number[] = [];
  const hi: number[] = [];
  const scratch = new Array<number>(9);
  for (const i of order) {
    const n = discProbeRanges(k, ra[i], dec[i], radius, lo, hi, scratch);
    for (let j = 0; j < n; j++) probeIndex.push(i);
  }
  const raList = Array.from(ra);
  const decList = Array.from(dec);
  const distance = angularDistanceSql('q.ra', 'q.dec', 'r.center_ra', 'r.center_dec');
  const visible = [
    options.includeInvalid ? null : 'NOT r.invalid',
    options.includeDrafts ? null : `EXISTS (SELECT 1 FROM releases rel WHERE rel.id = r.release_id AND rel.status = 'published')`,
  ].filter(Boolean);
  // The arrays go as their text form built here: node-postgres would escape 300,000 numbers
  // one by one. Probe ranges stay in order-24 ids (a range per coarse pixel run).
  const { rows } = await db.query(
    `WITH probe AS (SELECT * FROM unnest($1::int4[], $2::int8[], $3::int8[]) AS p(i, lo, hi)),
          pos AS (SELECT q.ra, q.dec, (q.n - 1)::int4 AS i FROM unnest($4::float8[], $5::float8[]) WITH ORDINALITY AS q(ra, dec, n)),
          hit AS (
            SELECT p.i, r.id, r.center_ra, r.center_dec, r.release_id, r.invalid
            FROM probe p JOIN records r ON r.hpx >= p.lo AND r.hpx < p.hi
          )
     SELECT ${options.all ? '' : 'DISTINCT ON (m.i)'} m.i, m.id, m.center_ra, m.center_dec, m.d
     FROM (
       SELECT q.i, r.id, r.center_ra, r.center_dec, ${distance} AS d
       FROM hit r JOIN pos q ON q.i = r.i
       ${visible.length ? `WHERE ${visible.join(' AND ')}` : ''}
     ) m
     WHERE m.d <= $6
     ORDER BY m.i, m.d, m.id`,
    [pgArray(probeIndex), pgArray(lo), pgArray(hi), pgArray(raList), pgArray(decList), radius],
  );
  return rows.map((r) => ({
    index: r.i,
    recordId: Number(r.id),
    ra: r.center_ra,
    dec: r.center_dec,
    distanceArcsec: r.d * 3600,
  }));
}

/** A numeric array's PostgreSQL text form (shortest round-trip digits for doubles). */
function pgArray(values: number[]): string {
  return `{${values.join(',')}}`;
}
