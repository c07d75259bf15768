/**
 * The search arguments checked at the API's edge: a bad value is the caller's mistake
 * (BAD_USER_INPUT naming the argument and the allowed range), never a database error or a
 * silently empty answer. RA is not normalised: a value outside [0, 360) is refused, so a
 * mistaken unit (hours, radians) does not pass unnoticed.
 *
 * Cursors are opaque (base64 of a small JSON array) and carry the order they belong to: a
 * cursor of one order passed with another is refused rather than misread.
 */
import type { GqlFileKind, GqlRecordFilter, GqlRecordOrder, GqlSourceFilter } from '../../__generated__/resolvers-types.js';
import type { Cone, Interval, Keyset, RecordSearch, SkyPoint } from '../../db/queries/record-search.js';
import type { SourceSearch } from '../../db/queries/source-search.js';
import { badInput } from '../../errors.js';
import { DATAPRODUCT_TYPE } from '../../ingest/analyze/obscore.js';
import { parseId } from '../ids.js';
import { DEFAULT_PAGE, MAX_PAGE } from './release.js';

export function pageSize(first: number | null | undefined): number {
  const n = first ?? DEFAULT_PAGE;
  if (n < 0 || n > MAX_PAGE) throw badInput(`first must be between 0 and ${MAX_PAGE}, got ${n}; page with after: pageInfo.endCursor`, 'first');
  return n;
}

function position(p: { ra: number; dec: number }, arg: string): SkyPoint {
  if (!(p.ra >= 0 && p.ra < 360)) throw badInput(`${arg}.ra must be in [0, 360) degrees, got ${p.ra}`, `${arg}.ra`);
  if (!(p.dec >= -90 && p.dec <= 90)) throw badInput(`${arg}.dec must be in [-90, 90] degrees, got ${p.dec}`, `${arg}.dec`);
  return { ra: p.ra, dec: p.dec };
}

export function cone(c: { ra: number; dec: number; radius: number } | null | undefined, arg: string): Cone | null {
  if (!c) return null;
  const p = position(c, arg);
  if (!(c.radius > 0 && c.radius <= 180)) throw badInput(`${arg}.radius must be in (0, 180] degrees, got ${c.radius}`, `${arg}.radius`);
  return { ...p, radius: c.radius };
}

function interval(r: { min?: number | null; max?: number | null } | null | undefined, arg: string): Interval | null {
  if (!r) return null;
  const min = r.min ?? null;
  const max = r.max ?? null;
  if (min !== null && max !== null && min > max) throw badInput(`${arg}.min must be <= ${arg}.max, got min ${min} > max ${max}`, arg);
  return { min, max };
}

export function recordSearch(filter: GqlRecordFilter | null | undefined, publishedOnly: boolean): RecordSearch {
  const f = filter ?? {};
  return {
    cone: cone(f.cone, 'filter.cone'),
    covers: f.covers ? position(f.covers, 'filter.covers') : null,
    survey: f.survey ?? null,
    releaseId: f.release == null ? null : parseId(f.release, 'filter.release'),
    dataproductTypes: f.kind ? f.kind.map((k: GqlFileKind) => DATAPRODUCT_TYPE[k]) : null,
    productTypes: f.productType ?? null,
    targetName: f.targetName ?? null,
    wavelength: interval(f.wavelength, 'filter.wavelength'),
    time: interval(f.time, 'filter.time'),
    facility: f.facility ?? null,
    instrument: f.instrument ?? null,
    includeInvalid: f.includeInvalid ?? false,
    publishedOnly,
  };
}

export function sourceSearch(filter: GqlSourceFilter | null | undefined, publishedOnly: boolean): SourceSearch {
  const f = filter ?? {};
  return { name: f.name ?? null, namePrefix: f.namePrefix ?? null, cone: cone(f.cone, 'filter.cone'), publishedOnly };
}

const TAGS: Record<GqlRecordOrder, string> = { ID: 'i', DISTANCE: 'd', T_MIN: 't' };

/** The cursor of a row in `order`: its sort key. */
export function encodeSearchCursor(order: GqlRecordOrder, key: Keyset): string {
  const body = order === 'DISTANCE' ? [key.distance, key.id] : order === 'T_MIN' ? [key.tMin ?? null, key.id] : [key.id];
  return Buffer.from(JSON.stringify([TAGS[order], ...body]), 'utf8').toString('base64');
}

export function decodeSearchCursor(order: GqlRecordOrder, cursor: string | null | undefined, arg = 'after'): Keyset | null {
  if (cursor == null) return null;
  const wrong = () => badInput(`${arg} is not a cursor of this search's order (${order}): pass a pageInfo.endCursor or edges.cursor value as is`, arg);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64').toString('utf8'));
  } catch {
    throw wrong();
  }
  if (!Array.isArray(parsed) || parsed[0] !== TAGS[order]) throw wrong();
  const id = parsed[parsed.length - 1];
  if (!Number.isSafeInteger(id) || id < 0) throw wrong();
  if (order === 'ID' && parsed.length === 2) return { id };
  if (order === 'DISTANCE' && parsed.length === 3 && Number.isFinite(parsed[1])) return { id, distance: parsed[1] };
  if (order === 'T_MIN' && parsed.length === 3 && (parsed[1] === null || Number.isFinite(parsed[1]))) return { id, tMin: parsed[1] };
  throw wrong();
}
