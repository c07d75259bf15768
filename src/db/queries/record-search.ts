/**
 * The record search (GraphQL `records(filter)`, the find benchmark): one statement per page
 * whatever the filters, each filter written so that an index can answer it
 * (test/db/search-plans.test.ts shows the plans):
 *
 * - cone: the cone's HEALPix ranges at order 24 (src/sky coneRanges, <= 32) as literal
 *   `(hpx >= a AND hpx < b) OR ...` on records_hpx_idx (a BitmapOr), then the exact
 *   great-circle distance. Ranges passed as an unnested array joined to the table made the
 *   planner scan the whole table (2.6 s per cone against ~2 ms). A wide cone (>= 0.2 deg)
 *   with no filter beyond release and INVALID instead scans each range index-only in a LATERAL
 *   subquery and reads only its page's rows from the table (indexOnlyConePage);
 * - covers: `coverage @> pixel` on the GiST MOC (records_coverage_idx), then the exact
 *   point-in-footprint test (the MOC holds about twice the footprint's area);
 * - release, survey, kind (as dataproduct_type), productType, facility, instrument: equality on
 *   one multi-column GIN (records_search_idx, btree_gin), combined by BitmapAnd;
 * - wavelength, time: interval overlap on SP-GiST over float8ranges (records_em_idx,
 *   records_time_idx), then the exact float comparison;
 * - targetName: the sources of that name (sources_name_lower_idx), then records_source_idx.
 *
 * Keyset pagination, never OFFSET: the page after a cursor starts where the last row was, in
 * a stable total order (the record id breaks ties).
 */
import { ang2pixNest, coneRanges, STORE_ORDER } from '../../sky/index.js';

export interface Cone {
  ra: number;
  dec: number;
  /** Degrees, (0, 180]. */
  radius: number;
}
export interface SkyPoint {
  ra: number;
  dec: number;
}
/** A closed interval; a missing (null) end is open. */
export interface Interval {
  min?: number | null;
  max?: number | null;
}

/** What to find; every filter given ANDs with the others. Inputs are checked by the caller. */
export interface RecordSearch {
  cone?: Cone | null;
  covers?: SkyPoint | null;
  survey?: string | null;
  releaseId?: number | null;
  /** ObsCore dataproduct_type values (the GraphQL `kind` filter maps onto them one to one). */
  dataproductTypes?: readonly string[] | null;
  productTypes?: readonly string[] | null;
  /** Source name, case-insensitive. */
  targetName?: string | null;
  /** Metres. */
  wavelength?: Interval | null;
  /** MJD. */
  time?: Interval | null;
  facility?: string | null;
  instrument?: string | null;
  /** Records of INVALID files are left out unless this is true. */
  includeInvalid?: boolean;
  /** Only records of published releases (what an anonymous caller may see). */
  publishedOnly?: boolean;
}

export type RecordOrder = 'ID' | 'DISTANCE' | 'T_MIN';

/** Where the previous page ended: its last row's sort key. */
export interface Keyset {
  id: number;
  /** DISTANCE order. */
  distance?: number;
  /** T_MIN order (null: the previous row had no time; those come last). */
  tMin?: number | null;
}

export interface PageOptions {
  /** ID (default); DISTANCE needs a cone. */
  orderBy?: RecordOrder;
  after?: Keyset | null;
  limit: number;
  /** The SELECT list over `rec` (records); default `rec.id AS "id"`. */
  select?: string;
}

export interface SqlStatement {
  text: string;
  values: unknown[];
}

/** Columns every page row carries besides `select`: the sort keys its cursor is made of. */
export const DISTANCE_COLUMN = '__distance';
export const T_MIN_COLUMN = '__tMin';

/** Parameters collected while a statement is written: add() returns the typed placeholder. */
export class Params {
  readonly values: unknown[] = [];
  add(value: unknown, type: string): string {
    this.values.push(value);
    return `$${this.values.length}::${type}`;
  }
}

/**
 * `(rec.hpx >= a AND rec.hpx < b) OR ...` for the cone, as literals (integers computed here,
 * never user text): the planner sees each range and uses the btree for each (a BitmapOr).
 */
export function hpxRangesSql(cone: Cone, alias = 'rec'): string {
  const ranges = coneRanges(cone.ra, cone.dec, cone.radius);
  return `(${ranges.map(([a, b]) => (b === a + 1 ? `${alias}.hpx = ${a}` : `(${alias}.hpx >= ${a} AND ${alias}.hpx < ${b})`)).join(' OR ')})`;
}

/**
 * Great-circle distance in degrees from the cone's centre to `rec`'s centre: Vincenty's formula
 * as src/sky/vector.ts angularDistanceDeg writes it (the differences taken in degrees first, so
 * arcsecond separations keep their digits; stable up to antipodal points). The centre's sine
 * and cosine are parameters, computed once in JavaScript.
 */
export function distanceSql(cone: SkyPoint, p: Params, alias = 'rec'): string {
  const d1 = (cone.dec * Math.PI) / 180;
  const ra = p.add(cone.ra, 'float8');
  const dec = p.add(cone.dec, 'float8');
  const s1 = p.add(Math.sin(d1), 'float8');
  const c1 = p.add(Math.cos(d1), 'float8');
  const c2 = `cos(radians(${alias}.center_dec))`;
  const dra = `radians(${alias}.center_ra - ${ra})`;
  const ddec = `radians(${alias}.center_dec - ${dec})`;
  const versin = `(2 * power(sin(${dra} / 2), 2))`;
  const a = `(${c2} * sin(${dra}))`;
  const b = `(sin(${ddec}) + ${s1} * ${c2} * ${versin})`;
  const c = `(cos(${ddec}) - ${c1} * ${c2} * ${versin})`;
  return `degrees(atan2(sqrt(${a} * ${a} + ${b} * ${b}), ${c}))`;
}

/** The SQL that keeps a record whose footprint contains the point: the MOC, then the polygon. */
function coversSql(point: SkyPoint, p: Params): string {
  const pixel = ang2pixNest(STORE_ORDER, point.ra, point.dec);
  const d = Math.PI / 180;
  const [px, py, pz] = [Math.cos(point.dec * d) * Math.cos(point.ra * d), Math.cos(point.dec * d) * Math.sin(point.ra * d), Math.sin(point.dec * d)].map((v) =>
    p.add(v, 'float8'),
  );
  // Winding number on the sphere: the signed angles at the point between consecutive corners
  // sum to +-2 pi inside the polygon and to 0 outside (any simple polygon, convex or not; a bow
  // tie's lobes both count as inside). Valid because the MOC test first keeps only footprints
  // near the point, all smaller than a hemisphere. Records with coverage but no usable
  // footprint (fewer than 3 corners) keep the MOC's answer.
  const corner = (i: string) => `(rec.footprint -> (${i}))`;
  const vec = (c: string, n: string) =>
    `cos(radians((${c} ->> 1)::float8)) * cos(radians((${c} ->> 0)::float8)) AS ${n}x, cos(radians((${c} ->> 1)::float8)) * sin(radians((${c} ->> 0)::float8)) AS ${n}y, sin(radians((${c} ->> 1)::float8)) AS ${n}z`;
  const winding = `(SELECT abs(sum(atan2(
        ${px} * (v.ay * v.bz - v.az * v.by) + ${py} * (v.az * v.bx - v.ax * v.bz) + ${pz} * (v.ax * v.by - v.ay * v.bx),
        (v.ax * v.bx + v.ay * v.by + v.az * v.bz) - (v.ax * ${px} + v.ay * ${py} + v.az * ${pz}) * (v.bx * ${px} + v.by * ${py} + v.bz * ${pz})))) > pi()
      FROM generate_series(0, jsonb_array_length(rec.footprint) - 1) AS i,
           LATERAL (SELECT ${vec(corner('i'), 'a')}, ${vec(corner('(i + 1) % jsonb_array_length(rec.footprint)'), 'b')}) v)`;
  const usable = `jsonb_typeof(rec.footprint) = 'array' AND jsonb_array_length(rec.footprint) >= 3`;
  return `rec.coverage @> ${pixel}::int8 AND (NOT coalesce(${usable}, false) OR ${winding})`;
}

/**
 * Overlap of [lo, hi] with the interval: the SP-GiST condition on the float8range (partial
 * index: both ends known; migration 0029 creates the type), then the float comparisons, which
 * say the same as the range's and are kept for the planner's estimates.
 */
function overlapSql(lo: string, hi: string, range: Interval, p: Params): string {
  const min = range.min ?? null;
  const max = range.max ?? null;
  const low = `least(rec.${lo}, rec.${hi})`;
  const high = `greatest(rec.${lo}, rec.${hi})`;
  const parts = [
    `rec.${lo} IS NOT NULL AND rec.${hi} IS NOT NULL`,
    `float8range(${low}, ${high}, '[]') && float8range(${p.add(min, 'float8')}, ${p.add(max, 'float8')}, '[]')`,
  ];
  if (min !== null) parts.push(`${high} >= ${p.add(min, 'float8')}`);
  if (max !== null) parts.push(`${low} <= ${p.add(max, 'float8')}`);
  return parts.join(' AND ');
}

/** The WHERE conditions (ANDed) and the distance expression when there is a cone. */
function whereClause(s: RecordSearch, p: Params, coneRanges = true): { conditions: string[]; distance: string | null } {
  const w: string[] = [];
  if (!s.includeInvalid) w.push('NOT rec.invalid');
  if (s.publishedOnly) w.push(`rec.release_id = ANY (ARRAY(SELECT r.id FROM releases r WHERE r.status = 'published'))`);
  if (s.releaseId != null) w.push(`rec.release_id = ${p.add(s.releaseId, 'int8')}`);
  if (s.survey != null) {
    w.push(`rec.release_id = ANY (ARRAY(SELECT r.id FROM releases r JOIN surveys sv ON sv.id = r.survey_id WHERE sv.name = ${p.add(s.survey, 'text')}))`);
  }
  if (s.dataproductTypes) w.push(`rec.dataproduct_type = ANY (${p.add(s.dataproductTypes, 'text[]')})`);
  if (s.productTypes) w.push(`rec.product_type = ANY (${p.add(s.productTypes, 'text[]')})`);
  if (s.facility != null) w.push(`rec.facility_name = ${p.add(s.facility, 'text')}`);
  if (s.instrument != null) w.push(`rec.instrument_name = ${p.add(s.instrument, 'text')}`);
  if (s.targetName != null) {
    // A semi-join, not `= ANY (ARRAY(...))`: the planner then estimates the matches from the
    // statistics of the lower(name) index and picks records_source_idx for a rare name.
    w.push(`rec.source_id IN (SELECT so.id FROM sources so WHERE lower(so.name) = lower(${p.add(s.targetName, 'text')}))`);
  }
  if (s.wavelength) w.push(overlapSql('em_min', 'em_max', s.wavelength, p));
  if (s.time) w.push(overlapSql('t_min', 't_max', s.time, p));
  if (s.covers) w.push(coversSql(s.covers, p));
  let distance: string | null = null;
  if (s.cone) {
    distance = distanceSql(s.cone, p);
    if (coneRanges) w.push(hpxRangesSql(s.cone));
    w.push(`${distance} <= ${p.add(s.cone.radius, 'float8')}`);
  }
  return { conditions: w, distance };
}

/**
 * One page of records matching `search`, in `orderBy` order, after the keyset `after`: the
 * rows are `select` plus `__distance` (degrees, with a cone) and `__tMin` (T_MIN order).
 * E.g. the find benchmark's cone: recordSearchSql({ cone: { ra, dec, radius } }, { limit: 100 }).
 */
export function recordSearchSql(search: RecordSearch, page: PageOptions): SqlStatement {
  const orderBy = page.orderBy ?? 'ID';
  if (orderBy === 'DISTANCE' && !search.cone) throw new RangeError('DISTANCE order needs a cone');
  if (orderBy === 'ID' && indexOnlyCone(search)) return indexOnlyConePage(search, page);
  const p = new Params();
  const { conditions, distance } = whereClause(search, p);
  const after = page.after;
  const select = `${page.select ?? 'rec.id AS "id"'}, ${distance ?? 'NULL::float8'} AS "${DISTANCE_COLUMN}"`;
  const limit = p.add(page.limit, 'int8');
  const where = (extra: string[] = []) => [...conditions, ...extra].join('\n   AND ') || 'TRUE';
  if (orderBy === 'T_MIN') return { text: tMinPage(select, where, after, limit, p), values: p.values };
  let order: string;
  if (orderBy === 'DISTANCE') {
    order = `ORDER BY "${DISTANCE_COLUMN}", rec.id`;
    if (after) conditions.push(`(${distance}, rec.id) > (${p.add(after.distance ?? 0, 'float8')}, ${p.add(after.id, 'int8')})`);
  } else {
    order = 'ORDER BY rec.id';
    if (after) conditions.push(`rec.id > ${p.add(after.id, 'int8')}`);
  }
  return { text: `SELECT ${select}\n  FROM records rec\n WHERE ${where()}\n ${order}\n LIMIT ${limit}`, values: p.values };
}

/**
 * Cones at least this wide (degrees), with no filter but the release and INVALID ones, find
 * their candidates in records_hpx_idx alone (indexOnlyConePage).
 */
export const INDEX_ONLY_CONE_DEG = 0.2;

/** Whether every condition of `s` reads only columns records_hpx_idx carries (release_id, invalid, the position). */
function indexOnlyCone(s: RecordSearch): boolean {
  return (
    s.cone != null &&
    s.cone.radius >= INDEX_ONLY_CONE_DEG &&
    s.cone.radius < 180 &&
    s.covers == null &&
    s.dataproductTypes == null &&
    s.productTypes == null &&
    s.targetName == null &&
    s.wavelength == null &&
    s.time == null &&
    s.facility == null &&
    s.instrument == null
  );
}

/**
 * A wide cone's page in id order, its candidates from the index alone: each of the cone's
 * ranges is an index-only scan of records_hpx_idx (which INCLUDEs id, center_ra, center_dec,
 * release_id and invalid: migration 0026) in a LATERAL subquery, the exact distance and the
 * visibility conditions are tested on those columns, and only the page's rows (limit, by id)
 * are read from the table. The BitmapOr plan read every candidate's heap page: a 1 deg cone in
 * a survey field, ~13,000 candidates, read ~1,400 heap pages (17 of its 19 ms at 10 million
 * records, the p99 of bench --find) where the index holds them in ~130 pages.
 */
function indexOnlyConePage(s: RecordSearch, page: PageOptions): SqlStatement {
  const cone = s.cone!;
  const p = new Params();
  const { conditions } = whereClause(s, p, false);
  if (page.after) conditions.push(`rec.id > ${p.add(page.after.id, 'int8')}`);
  const ranges = coneRanges(cone.ra, cone.dec, cone.radius)
    .map(([a, b]) => `(${a}::int8, ${b}::int8)`)
    .join(', ');
  const limit = p.add(page.limit, 'int8');
  // The select list's distance is computed again on the page's rows (its own parameters).
  const select = `${page.select ?? 'rec.id AS "id"'}, ${distanceSql(cone, p)} AS "${DISTANCE_COLUMN}"`;
  // OFFSET 0 keeps each range's subquery a scan of the index in hpx order (the LATERAL trick of
  // crossmatch.ts): flattened, the planner would join the ranges to the whole table.
  return {
    text: `SELECT ${select}
  FROM (SELECT rec.id
          FROM (VALUES ${ranges}) AS g(lo, hi)
          CROSS JOIN LATERAL (SELECT r.id, r.center_ra, r.center_dec, r.release_id, r.invalid FROM records r
                               WHERE r.hpx >= g.lo AND r.hpx < g.hi ORDER BY r.hpx OFFSET 0) rec
         WHERE ${conditions.join('\n           AND ')}
         ORDER BY rec.id
         LIMIT ${limit}) page
  JOIN records rec ON rec.id = page.id
 ORDER BY rec.id`,
    values: p.values,
  };
}

/**
 * T_MIN order: records with a time by (t_min, id) on records_t_min_idx, read in index order
 * from the cursor on (a row comparison, which the btree starts from), then those without a
 * time by id. Two branches of a UNION ALL, each limited, merged in order under the page's
 * limit: one statement, and no page sorts every match (an OR of both keysets would).
 */
function tMinPage(select: string, where: (extra?: string[]) => string, after: Keyset | null | undefined, limit: string, p: Params): string {
  const branches: string[] = [];
  const inNullZone = after != null && after.tMin == null;
  if (!inNullZone) {
    const keyset = after ? [`(rec.t_min, rec.id) > (${p.add(after.tMin, 'float8')}, ${p.add(after.id, 'int8')})`] : [];
    branches.push(`(SELECT rec.* FROM records rec WHERE ${where(['rec.t_min IS NOT NULL', ...keyset])} ORDER BY rec.t_min, rec.id LIMIT ${limit})`);
  }
  const idKeyset = inNullZone ? [`rec.id > ${p.add(after.id, 'int8')}`] : [];
  branches.push(`(SELECT rec.* FROM records rec WHERE ${where(['rec.t_min IS NULL', ...idKeyset])} ORDER BY rec.id LIMIT ${limit})`);
  return `SELECT ${select}, rec.t_min AS "${T_MIN_COLUMN}"
  FROM (${branches.join('\n        UNION ALL\n        ')}) rec
 ORDER BY rec.t_min, rec.id
 LIMIT ${limit}`;
}

/** How many records match `search` (RecordConnection.totalCount): one statement. */
export function recordCountSql(search: RecordSearch): SqlStatement {
  const p = new Params();
  const { conditions } = whereClause(search, p);
  return { text: `SELECT count(*)::int8 AS n FROM records rec WHERE ${conditions.join(' AND ') || 'TRUE'}`, values: p.values };
}
