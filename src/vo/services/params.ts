/**
 * Parameter parsing shared by the simple IVOA services (Cone Search, SSA, SIA 2.0, DataLink):
 * pure, no I/O. Names are case-insensitive (DALI), values are not; a parameter may repeat
 * (SIA 2.0 and DataLink OR the values of one name). Every malformed value is a ParamError whose
 * message names the parameter and what it accepts: each service turns it into the error
 * document its standard asks for.
 */
import { convexPolygon, coneRanges, polygonMoc, smallestEnclosingCircle, type PixelRange } from '../../sky/index.js';

/** A request parameter the client must fix. */
export class ParamError extends Error {
  override name = 'ParamError';
}

/** Parameters of one request: upper-cased name -> every value given, in order. */
export class ServiceParams {
  private constructor(private readonly values: Map<string, string[]>) {}

  /** From the query string and, for POST, an url-encoded body (both count, query first). */
  static from(...sources: (Record<string, unknown> | undefined)[]): ServiceParams {
    const values = new Map<string, string[]>();
    for (const source of sources) {
      if (!source || typeof source !== 'object') continue;
      for (const [key, raw] of Object.entries(source)) {
        const list = Array.isArray(raw) ? raw : [raw];
        const name = key.toUpperCase();
        const into = values.get(name) ?? [];
        for (const v of list) {
          if (typeof v !== 'string') continue;
          // PostgreSQL's text cannot hold U+0000: refused here, not failed in a statement.
          if (v.includes('\u0000')) throw new ParamError(`${name} contains a NUL character (U+0000), which no parameter may hold`);
          into.push(v);
        }
        values.set(name, into);
      }
    }
    return new ServiceParams(values);
  }

  /** Every value of `name`, blank ones left out. */
  all(name: string): string[] {
    return (this.values.get(name) ?? []).map((v) => v.trim()).filter((v) => v !== '');
  }

  /** The one value of a single-valued parameter (undefined when absent); two values are an error. */
  one(name: string): string | undefined {
    const vs = this.all(name);
    if (vs.length > 1) throw new ParamError(`${name} was given ${vs.length} times: give it once`);
    return vs[0];
  }

  has(name: string): boolean {
    return this.values.has(name);
  }
}

/** A finite decimal number; `what` names it in the message. */
export function parseNumber(name: string, raw: string, range: { min?: number; max?: number; what?: string } = {}): number {
  const text = raw.trim();
  const v = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text) ? Number(text) : NaN;
  if (!Number.isFinite(v)) throw new ParamError(`${name}: ${JSON.stringify(raw)} is not a number${range.what ? ` (${range.what})` : ''}`);
  if ((range.min !== undefined && v < range.min) || (range.max !== undefined && v > range.max)) {
    throw new ParamError(`${name}: ${v} is out of range [${range.min ?? '-inf'}, ${range.max ?? '+inf'}]${range.what ? ` (${range.what})` : ''}`);
  }
  return v;
}

/** MAXREC: a non-negative integer, default `dflt`, at most `limit` (larger asks get the limit, as DALI allows). */
export function parseMaxrec(raw: string | undefined, dflt: number, limit: number): number {
  if (raw === undefined) return Math.min(dflt, limit);
  if (!/^\+?\d{1,15}$/.test(raw.trim())) throw new ParamError(`MAXREC: ${JSON.stringify(raw)} is not a non-negative integer`);
  return Math.min(Number(raw.trim()), limit);
}

/** A closed interval; null ends are open. */
export interface Interval {
  min: number | null;
  max: number | null;
}

/** RA into [0, 360). */
export function normalizeRa(ra: number): number {
  const r = ra % 360;
  return r < 0 ? r + 360 : r;
}

const MJD_UNIX_EPOCH = 40587;

/**
 * An ISO 8601 date or date-time in UTC (DALI: `YYYY-MM-DD['T'hh:mm[:ss[.sss]]][Z]`) as MJD.
 * No leap-second smearing: MJD here is UTC days, as the records' t_min/t_max are.
 */
export function isoToMjd(name: string, raw: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}(?:\.\d+)?))?)?Z?$/.exec(raw.trim());
  if (!m) throw new ParamError(`${name}: ${JSON.stringify(raw)} is not an ISO 8601 time (YYYY-MM-DD or YYYY-MM-DDThh:mm:ss, UTC)`);
  const [, y, mo, d, h = '0', mi = '0', s = '0'] = m;
  const month = Number(mo);
  const day = Number(d);
  const ms = Date.UTC(Number(y), month - 1, day, Number(h), Number(mi), 0) + Number(s) * 1000;
  const check = new Date(Date.UTC(Number(y), month - 1, day));
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || Number(h) > 23 || Number(mi) > 59 || Number(s) >= 61) {
    throw new ParamError(`${name}: ${JSON.stringify(raw)} is not a valid date`);
  }
  return ms / 86_400_000 + MJD_UNIX_EPOCH;
}

/**
 * SSA range list (SSA 1.1 §8.7.2): comma-separated values or ranges `a/b`, `a/`, `/b`; a
 * single value `a` is the degenerate range [a, a] (the data must contain it). A trailing
 * `;qualifier` (e.g. `;source`) is ignored. Each element is parsed with `value`.
 */
export function parseSsaRangeList(name: string, raw: string, value: (text: string) => number): Interval[] {
  const body = raw.split(';')[0];
  const parts = body.split(',').map((p) => p.trim());
  if (parts.some((p) => p === '')) throw new ParamError(`${name}: empty element in ${JSON.stringify(raw)}`);
  return parts.map((part) => {
    const slash = part.split('/');
    if (slash.length > 2) throw new ParamError(`${name}: ${JSON.stringify(part)} is not a value or a range a/b`);
    if (slash.length === 1) {
      const v = value(part);
      return { min: v, max: v };
    }
    const [a, b] = slash.map((s) => s.trim());
    if (a === '' && b === '') throw new ParamError(`${name}: a range needs at least one end`);
    const min = a === '' ? null : value(a);
    const max = b === '' ? null : value(b);
    if (min !== null && max !== null && min > max) throw new ParamError(`${name}: range ${JSON.stringify(part)} is reversed`);
    return { min, max };
  });
}

const INFINITIES: Record<string, number> = { '-inf': -Infinity, '+inf': Infinity, inf: Infinity };

/** DALI interval `lo hi` (either may be -Inf/+Inf); one value v is [v, v]. */
export function parseDaliInterval(name: string, raw: string, range: { min?: number; max?: number } = {}): Interval {
  const words = raw.trim().split(/\s+/);
  if (words.length > 2) throw new ParamError(`${name}: ${JSON.stringify(raw)} is not an interval "lower upper"`);
  const num = (w: string) => {
    const inf = INFINITIES[w.toLowerCase()];
    if (inf !== undefined) return inf;
    return parseNumber(name, w, range);
  };
  const lo = num(words[0]);
  const hi = words.length === 2 ? num(words[1]) : lo;
  if (lo > hi) throw new ParamError(`${name}: interval ${JSON.stringify(raw)} is reversed`);
  return { min: Number.isFinite(lo) ? lo : null, max: Number.isFinite(hi) ? hi : null };
}

/** A sky region of SIA 2.0's POS, or of a cone. Degrees, ICRS. */
export type SkyRegion =
  | { kind: 'circle'; ra: number; dec: number; radius: number }
  | { kind: 'range'; ra1: number; ra2: number; dec1: number; dec2: number }
  | { kind: 'polygon'; vertices: { ra: number; dec: number }[] };

/**
 * SIA 2.0 POS (§2.2.1, DALI shapes): `CIRCLE ra dec radius`, `RANGE ra1 ra2 dec1 dec2` (bounds
 * may be -Inf/+Inf), `POLYGON ra1 dec1 ra2 dec2 ra3 dec3 ...` (>= 3 vertices, convex).
 */
export function parseSiaPos(raw: string): SkyRegion {
  const words = raw.trim().split(/\s+/);
  const shape = words.shift()!.toUpperCase();
  const nums = (min: number, max: number, what: string) =>
    words.map((w) => {
      const inf = INFINITIES[w.toLowerCase()];
      return inf !== undefined ? Math.max(min, Math.min(max, inf)) : parseNumber('POS', w, { what });
    });
  if (shape === 'CIRCLE') {
    if (words.length !== 3) throw new ParamError(`POS: CIRCLE takes 3 numbers "CIRCLE ra dec radius", got ${words.length}`);
    const [ra, dec, radius] = words.map((w) => parseNumber('POS', w, { what: 'CIRCLE ra dec radius in degrees' }));
    checkDec(dec);
    if (!(radius > 0 && radius <= 180)) throw new ParamError(`POS: CIRCLE radius ${radius} must be in (0, 180] degrees`);
    return { kind: 'circle', ra: normalizeRa(ra), dec, radius };
  }
  if (shape === 'RANGE') {
    if (words.length !== 4) throw new ParamError(`POS: RANGE takes 4 numbers "RANGE ra1 ra2 dec1 dec2", got ${words.length}`);
    const [ra1, ra2] = nums(0, 360, 'RANGE ra1 ra2 dec1 dec2 in degrees').slice(0, 2);
    const [dec1, dec2] = nums(-90, 90, 'RANGE ra1 ra2 dec1 dec2 in degrees').slice(2);
    checkDec(dec1);
    checkDec(dec2);
    if (dec1 > dec2) throw new ParamError('POS: RANGE declinations must be in increasing order (dec1 <= dec2)');
    // ra1 > ra2: the range crosses RA = 0 (RANGE 359 1 ...), as the sky does.
    return { kind: 'range', ra1: normalizeRa(ra1), ra2: ra2 === 360 && ra1 === 0 ? 360 : normalizeRa(ra2), dec1, dec2 };
  }
  if (shape === 'POLYGON') {
    if (words.length < 6 || words.length % 2 !== 0) throw new ParamError('POS: POLYGON takes 3 or more vertices "POLYGON ra1 dec1 ra2 dec2 ra3 dec3 ..."');
    const v = words.map((w) => parseNumber('POS', w, { what: 'POLYGON vertices in degrees' }));
    const vertices = [];
    for (let i = 0; i < v.length; i += 2) {
      checkDec(v[i + 1]);
      vertices.push({ ra: normalizeRa(v[i]), dec: v[i + 1] });
    }
    try {
      convexPolygon(vertices);
    } catch (err) {
      throw new ParamError(`POS: POLYGON ${(err as Error).message}`);
    }
    return { kind: 'polygon', vertices };
  }
  throw new ParamError(`POS: ${JSON.stringify(raw)} is not CIRCLE ra dec r, RANGE ra1 ra2 dec1 dec2 or POLYGON ra1 dec1 ...`);
}

function checkDec(dec: number): void {
  if (!(dec >= -90 && dec <= 90)) throw new ParamError(`POS: declination ${dec} is out of range [-90, 90]`);
}

/**
 * The region's pixel ranges at the storage order (a superset: never misses a pixel that
 * overlaps it), for `coverage && ...` on the records' footprint MOCs. A RANGE box's edges of
 * constant declination are not great circles, so it is covered through the smallest circle
 * around points along its boundary, widened by the largest gap between those points.
 */
export function regionRanges(region: SkyRegion): PixelRange[] {
  if (region.kind === 'circle') return coneRanges(region.ra, region.dec, region.radius);
  if (region.kind === 'polygon') return polygonMoc(region.vertices);
  const { ra1, dec1, dec2 } = region;
  const ra2 = region.ra2 < ra1 ? region.ra2 + 360 : region.ra2;
  // Half the sky in RA or more: no enclosing circle is much tighter than the whole sky.
  if (ra2 - ra1 >= 180) return coneRanges(0, 0, 180);
  const steps = 16;
  const points = [];
  for (let i = 0; i <= steps; i++) {
    const ra = ra1 + ((ra2 - ra1) * i) / steps;
    const dec = dec1 + ((dec2 - dec1) * i) / steps;
    points.push({ ra, dec: dec1 }, { ra, dec: dec2 }, { ra: ra1, dec }, { ra: ra2, dec });
  }
  const cap = smallestEnclosingCircle(points);
  // Between two boundary points a small circle strays from the chord by less than the step.
  const pad = Math.max(ra2 - ra1, dec2 - dec1) / steps;
  return coneRanges(cap.ra, cap.dec, Math.min(180, cap.radius + pad));
}

/** `{[a,b),[c,d)}`: ranges as an int8multirange literal, for a bound parameter. */
export function multirangeLiteral(ranges: readonly PixelRange[]): string {
  return `{${ranges.map(([a, b]) => `[${a},${b})`).join(',')}}`;
}

/** `(col >= a AND col < b) OR ...` with literal integers (computed here, never client text): a BitmapOr on the btree. */
export function pixelRangesSql(column: string, ranges: readonly PixelRange[]): string {
  return `(${ranges.map(([a, b]) => (b === a + 1 ? `${column} = ${a}` : `(${column} >= ${a} AND ${column} < ${b})`)).join(' OR ')})`;
}
