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
import { quoteIdent } from '../../catalogue/names.js';
import { ang2pixNest, STORE_ORDER } from '../../sky/index.js';
import { discProber, type DiscProber } from './crossmatch-pixels.js';
import { FLOAT8, INT4, INT8, numberArrayParam } from '../number-array.js';

export const DEFAULT_CROSSMATCH_RADIUS_ARCSEC = 1;
/** Larger discs would probe coarse pixels holding a large share of the table per position. */
export const MAX_CROSSMATCH_RADIUS_ARCSEC = 3600;

/**
 * A loaded catalogue table to match against instead of the records (src/catalogue): its
 * `_hpx` index plays the part of records_hpx_idx and `_row` that of the record id. The names
 * come from the registry (catalogue_tables), never from a caller, and are quoted.
 */
export interface CrossmatchTable {
  schema: string;
  table: string;
  raColumn: string;
  decColumn: string;
}

export interface CrossmatchOptions {
  /** Match against this table's rows rather than the records (drafts/invalid then do not apply). */
  table?: CrossmatchTable;
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
  /** The record's id, or the matched row's `_row` with `options.table`. */
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

/** The statement crossmatch() sends, for EXPLAIN and tests. */
export function crossmatchSql(ra: ArrayLike<number>, dec: ArrayLike<number>, options: CrossmatchOptions = {}): { text: string; values: unknown[] } {
  const radiusArcsec = options.radiusArcsec ?? DEFAULT_CROSSMATCH_RADIUS_ARCSEC;
  checkCrossmatchInput(ra, dec, radiusArcsec);
  const radius = radiusArcsec / 3600;
  const prober = discProber(radius);
  const { probeIndex, lo, hi } = probes(prober, ra, dec);
  const at = (a: string, i: string) => `(${a}::float8[])[${i} + 1]`;
  const distance = angularDistanceSql(at('$4', 'p.i'), at('$5', 'p.i'), 'r.center_ra', 'r.center_dec');
  const t = options.table;
  const visible = t
    ? []
    : [
        options.includeInvalid ? null : 'NOT r.invalid',
        options.includeDrafts ? null : `r.release_id = ANY (ARRAY(SELECT rel.id FROM releases rel WHERE rel.status = 'published'))`,
      ].filter(Boolean);
  const q = quoteIdent;
  const probe = t
    ? `SELECT r._row AS id, r.${q(t.raColumn)}::float8 AS center_ra, r.${q(t.decColumn)}::float8 AS center_dec FROM ${q(t.schema)}.${q(t.table)} r
         WHERE r._hpx >= p.lo * $6::int8 AND r._hpx < p.hi * $6::int8 ORDER BY r._hpx OFFSET 0`
    : `SELECT r.id, r.center_ra, r.center_dec, r.release_id, r.invalid FROM records r
         WHERE r.hpx >= p.lo * $6::int8 AND r.hpx < p.hi * $6::int8 ORDER BY r.hpx OFFSET 0`;
  // Each probe (a run of coarse pixels, as order-24 bounds) scans the btree in a LATERAL
  // subquery that OFFSET 0 keeps from being flattened: given the whole join, the planner
  // estimated the ranges' selectivity from nothing and joined every position to every record
  // (34 s for 2,000 positions against 20,000 records). Against the records, every column the
  // probe reads is in records_hpx_idx (INCLUDE, migration 0026), so each probe is an index-only
  // scan: no heap page per match (at 10 million records those random heap reads were most of the
  // time); a catalogue table's `_hpx` index includes `_row` and its RA/Dec for the same reason
  // (indexStaging). ORDER BY hpx (free: the index returns that order) keeps the probe a scan of the
  // index in order: the planner estimates each parameterised range at 0.5% of the table (50,000
  // rows at 10 million), and without it chose a bitmap heap scan whenever the index-only scan
  // was not available. A position's coordinates are looked up by index only for the rows a
  // probe found.
  //
  // The probes are unnested in the SELECT list (a ProjectSet, streamed), not in FROM: a
  // function scan in FROM first copies its rows into a tuplestore, which at 100,000 positions
  // outgrew work_mem and went through a temp file (709 pages written and read back, ~5% of the
  // statement's CPU at 10 million records). A LATERAL probe keeps the statement from running in
  // parallel (its parameters are not parallel-safe); measured with a plain join split into two
  // UNION ALL branches under a Parallel Append, it took 4x the CPU for the same answer.
  const text = `SELECT ${options.all ? '' : 'DISTINCT ON (m.i)'} m.i, m.id, m.center_ra, m.center_dec, m.d
     FROM (
       SELECT p.i, r.id, r.center_ra, r.center_dec, ${distance} AS d
       FROM (SELECT unnest($1::int4[]) AS i, unnest($2::int8[]) AS lo, unnest($3::int8[]) AS hi) p
       CROSS JOIN LATERAL (${probe}) r
       ${visible.length ? `WHERE ${visible.join(' AND ')}` : ''}
     ) m
     WHERE m.d <= $7::float8
     ORDER BY m.i, m.d, m.id`;
  // Binary arrays (src/db/number-array.ts): 100,000 positions and their probes as text cost
  // ~60 ms to write here and about as much again for the server's float8in/int8in.
  return {
    text,
    values: [numberArrayParam(INT4, probeIndex), numberArrayParam(INT8, lo), numberArrayParam(INT8, hi), numberArrayParam(FLOAT8, ra), numberArrayParam(FLOAT8, dec), 4 ** (STORE_ORDER - prober.order), radius],
  };
}

/**
 * Matches each position (degrees, ICRS) against the records within the radius. Returns, sorted
 * by input index then distance, the nearest record of every position that has one (or every
 * match with `all`). Positions without a match do not appear. One statement.
 */
export async function crossmatch(db: Queryable, ra: ArrayLike<number>, dec: ArrayLike<number>, options: CrossmatchOptions = {}): Promise<CrossmatchMatch[]> {
  checkCrossmatchInput(ra, dec, options.radiusArcsec ?? DEFAULT_CROSSMATCH_RADIUS_ARCSEC);
  if (ra.length === 0) return [];
  const { text, values } = crossmatchSql(ra, dec, options);
  const { rows } = await db.query(text, values);
  return rows.map((r) => ({
    index: r.i,
    recordId: Number(r.id),
    ra: r.center_ra,
    dec: r.center_dec,
    distanceArcsec: r.d * 3600,
  }));
}

/**
 * The probes of every position, positions taken in order of their coarse pixel so that the
 * statement walks the btree in order (sorted as numbers in one Float64Array: a comparator
 * sort of 100,000 indices costs ~100 ms).
 */
function probes(prober: DiscProber, ra: ArrayLike<number>, dec: ArrayLike<number>): { probeIndex: number[]; lo: number[]; hi: number[] } {
  const n = ra.length;
  const keys = new Float64Array(n);
  // pixel * n + i stays an exact integer below 2^53 (at 1": up to 2.8 million positions).
  const sortable = n * 12 * 4 ** prober.order < 2 ** 53;
  for (let i = 0; i < n; i++) keys[i] = sortable ? ang2pixNest(prober.order, ra[i], dec[i]) * n + i : i;
  keys.sort();
  const probeIndex: number[] = [];
  const lo: number[] = [];
  const hi: number[] = [];
  for (let j = 0; j < n; j++) {
    const i = keys[j] % n;
    const count = prober.probe(ra[i], dec[i], lo, hi);
    for (let c = 0; c < count; c++) probeIndex.push(i);
  }
  return { probeIndex, lo, hi };
}
