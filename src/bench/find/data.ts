/**
 * The find benchmark's records: a realistic sky, deterministic from a seed so that the q3c
 * table gets exactly the same rows. A share of the records lie in a few hundred survey
 * fields (caps of 1-2 deg radius, dense), the rest spread uniformly over the sky. Rows come
 * field by field, as releases are ingested, then the all-sky part; the kind follows the id.
 * Positions, pixel ids and footprints are computed here (src/sky); the columns the sky does
 * not decide are derived from the id in SQL (load.ts), so only these arrays travel.
 */
import { ang2pixNest, STORE_ORDER } from '../../sky/index.js';
import { rng } from '../../util/rng.js';

export interface FindShape {
  rows: number;
  /** Survey fields (caps) holding `fieldShare` of the rows. */
  fields: number;
  fieldShare: number;
  seed: number;
}

export const DEFAULT_FIND_SHAPE: Omit<FindShape, 'rows'> = { fields: 300, fieldShare: 0.5, seed: 20261130 };

export interface Field {
  ra: number;
  dec: number;
  /** Degrees. */
  radius: number;
}

const DEG = Math.PI / 180;

/** The position `distDeg` from (ra, dec) towards `bearingDeg` (east of north), RA in [0, 360). */
export function offsetPosition(ra: number, dec: number, distDeg: number, bearingDeg: number): [number, number] {
  const d = distDeg * DEG;
  const b = bearingDeg * DEG;
  const d1 = dec * DEG;
  const sinD2 = Math.max(-1, Math.min(1, Math.sin(d1) * Math.cos(d) + Math.cos(d1) * Math.sin(d) * Math.cos(b)));
  const dra = Math.atan2(Math.sin(b) * Math.sin(d) * Math.cos(d1), Math.cos(d) - Math.sin(d1) * sinD2);
  const r = (ra + dra / DEG) % 360;
  return [r < 0 ? r + 360 : r, Math.asin(sinD2) / DEG];
}

/** A uniformly distributed point on the sphere. */
export function uniformPosition(random: () => number): [number, number] {
  return [random() * 360, Math.asin(2 * random() - 1) / DEG];
}

/** A uniformly distributed point in the cap. */
export function pointInField(f: Field, random: () => number): [number, number] {
  const dist = Math.acos(1 - random() * (1 - Math.cos(f.radius * DEG))) / DEG;
  return offsetPosition(f.ra, f.dec, dist, random() * 360);
}

/** The fields: random, plus one near the north pole and one across RA 0 (the hard places). */
export function makeFields(shape: FindShape): Field[] {
  const random = rng(shape.seed);
  const out: Field[] = [];
  for (let i = 0; i < shape.fields; i++) {
    const [ra, dec] = i === 0 ? [45, 88.5] : i === 1 ? [0.3, -30] : uniformPosition(random);
    out.push({ ra, dec, radius: 1 + random() });
  }
  return out;
}

/** Kind of record `id` (1-based): 70% spectra, 20% images, 5% cubes, 5% catalogues. */
export const KIND_SQL = `CASE WHEN id % 20 < 14 THEN 'spectrum' WHEN id % 20 < 18 THEN 'image' WHEN id % 20 < 19 THEN 'cube' ELSE 'measurements' END`;
export function hasFootprint(id: number): boolean {
  const k = id % 20;
  return k >= 14 && k < 19;
}

/** Half the side of an image's footprint (degrees): 2.4' images, well inside an order-10 pixel. */
const HALF_SIDE = 0.02;
/** Coverage order: 3.4' pixels; the footprint's corners' pixels hold it. */
const COVERAGE_ORDER = 10;

export interface Batch {
  /** Id of the first row; ids are consecutive. */
  start: number;
  ra: number[];
  dec: number[];
  hpx: number[];
  /** int8multirange text of images and cubes (null for other kinds). */
  coverage: (string | null)[];
  /** Footprint corners as JSON text ([[ra, dec], ...]) of images and cubes. */
  footprint: (string | null)[];
}

/** Rows [start, start + count) (ids 1-based), the same for the same shape whatever the batching. */
export function generateBatch(shape: FindShape, fields: Field[], start: number, count: number): Batch {
  const b: Batch = { start, ra: [], dec: [], hpx: [], coverage: [], footprint: [] };
  const inFields = Math.round(shape.rows * shape.fieldShare);
  const perField = Math.max(1, Math.ceil(inFields / Math.max(1, fields.length)));
  for (let id = start; id < start + count; id++) {
    // One generator per row: any batching yields the same rows.
    const random = rng(shape.seed ^ Math.imul(id, 0x9e3779b1));
    random();
    const [ra, dec] = id <= inFields && fields.length > 0 ? pointInField(fields[Math.floor((id - 1) / perField) % fields.length], random) : uniformPosition(random);
    b.ra.push(ra);
    b.dec.push(dec);
    b.hpx.push(ang2pixNest(STORE_ORDER, ra, dec));
    if (hasFootprint(id)) {
      const corners = [45, 135, 225, 315].map((bearing) => offsetPosition(ra, dec, HALF_SIDE * Math.SQRT2, bearing + random() * 10));
      b.footprint.push(JSON.stringify(corners.map(([a, d]) => [round(a), round(d)])));
      b.coverage.push(cornerCoverage(corners));
    } else {
      b.footprint.push(null);
      b.coverage.push(null);
    }
  }
  return b;
}

function round(x: number): number {
  return Math.round(x * 1e7) / 1e7;
}

/** The order-10 pixels of the corners as order-24 ranges, '{[a,b),...}'. */
function cornerCoverage(corners: Array<[number, number]>): string {
  const pixels = [...new Set(corners.map(([a, d]) => ang2pixNest(COVERAGE_ORDER, a, d)))].sort((x, y) => x - y);
  const scale = 4 ** (STORE_ORDER - COVERAGE_ORDER);
  const parts: string[] = [];
  let lo = -1;
  let hi = -1;
  for (const p of pixels) {
    if (p === hi) hi = p + 1;
    else {
      if (lo >= 0) parts.push(`[${lo * scale},${hi * scale})`);
      lo = p;
      hi = p + 1;
    }
  }
  parts.push(`[${lo * scale},${hi * scale})`);
  return `{${parts.join(',')}}`;
}
