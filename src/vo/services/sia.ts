/**
 * SIA 2.0 query (`/sia/query`) over the images and cubes of ivoa.obscore. Pure: parsing and the
 * one SQL statement; the answer's columns are ObsCore's (SIA 2.0 §3), described from TAP_SCHEMA
 * by the caller. Values of one parameter OR together, different parameters AND (§2.1).
 *
 * POS: CIRCLE / RANGE / POLYGON against the footprints' coverage (a record without a footprint
 * cannot match a POS); BAND (metres), TIME (MJD), FOV, SPATRES, EXPTIME, TIMERES, SPECRP: DALI
 * intervals (`lo hi`, -Inf/+Inf open; one number: the data must contain it for BAND and TIME,
 * equal it for the others); POL, ID, COLLECTION, FACILITY, INSTRUMENT, DPTYPE, CALIB, TARGET
 * (case-insensitive), FORMAT: equality; MAXREC; RESPONSEFORMAT is the caller's (DALI formats).
 */
import { anyOf, overlapSql, Params, regionSql, withinSql } from './obscore-sql.js';
import { ParamError, parseDaliInterval, parseMaxrec, parseSiaPos, type Interval, type ServiceParams, type SkyRegion } from './params.js';

export const SIA_MAXREC_LIMIT = 100_000;

/** The ObsCore 1.1 columns of an answer, in ObsCore's order. */
export const SIA_COLUMNS = [
  'dataproduct_type', 'calib_level', 'obs_collection', 'obs_id', 'obs_publisher_did',
  'access_url', 'access_format', 'access_estsize', 'target_name',
  's_ra', 's_dec', 's_fov', 's_region', 's_resolution', 's_xel1', 's_xel2',
  't_min', 't_max', 't_exptime', 't_resolution', 't_xel',
  'em_min', 'em_max', 'em_res_power', 'em_xel', 'o_ucd', 'pol_states', 'pol_xel',
  'facility_name', 'instrument_name', 'obs_release_date',
] as const;

const SIA_TYPES = ['image', 'cube'];

export interface SiaRequest {
  pos: SkyRegion[];
  band: Interval[];
  time: Interval[];
  /** Numeric constraints: ObsCore column -> intervals (OR). */
  ranges: { column: string; intervals: Interval[] }[];
  /** Equality constraints: SQL expression over o -> values (OR). */
  equals: { column: string; values: unknown[]; type: string; lower?: boolean }[];
  maxrec: number;
}

/** Numeric parameters and their columns (the interval the value must lie in). */
const NUMERIC: [string, string][] = [
  ['FOV', 's_fov'],
  ['SPATRES', 's_resolution'],
  ['EXPTIME', 't_exptime'],
  ['TIMERES', 't_resolution'],
  ['SPECRP', 'em_res_power'],
];

export function parseSia(params: ServiceParams, maxrecDefault: number): SiaRequest {
  const pos = params.all('POS').map(parseSiaPos);
  const band = params.all('BAND').map((v) => parseDaliInterval('BAND', v, { min: 0 }));
  const time = params.all('TIME').map((v) => parseDaliInterval('TIME', v));
  const ranges = NUMERIC.filter(([name]) => params.all(name).length).map(([name, column]) => ({
    column,
    intervals: params.all(name).map((v) => parseDaliInterval(name, v)),
  }));
  const equals: SiaRequest['equals'] = [];
  const eq = (name: string, column: string, o: { lower?: boolean } = {}) => {
    const values = params.all(name);
    if (values.length) equals.push({ column, values: o.lower ? values.map((v) => v.toLowerCase()) : values, type: 'text', lower: o.lower });
  };
  eq('ID', 'obs_publisher_did');
  eq('COLLECTION', 'obs_collection');
  eq('FACILITY', 'facility_name');
  eq('INSTRUMENT', 'instrument_name');
  eq('TARGET', 'target_name', { lower: true });
  eq('FORMAT', 'access_format', { lower: true });
  const dptypes = params.all('DPTYPE');
  for (const d of dptypes) if (!SIA_TYPES.includes(d)) throw new ParamError(`DPTYPE: ${JSON.stringify(d)} is not image or cube (this service finds images and cubes)`);
  if (dptypes.length) equals.push({ column: 'dataproduct_type', values: dptypes, type: 'text' });
  const calib = params.all('CALIB').map((v) => {
    if (!/^[0-4]$/.test(v)) throw new ParamError(`CALIB: ${JSON.stringify(v)} is not a calibration level 0, 1, 2, 3 or 4`);
    return Number(v);
  });
  if (calib.length) equals.push({ column: 'calib_level', values: calib, type: 'int4' });
  const pol = params.all('POL');
  const maxrec = parseMaxrec(params.one('MAXREC'), maxrecDefault, SIA_MAXREC_LIMIT);
  const req: SiaRequest = { pos, band, time, ranges, equals, maxrec };
  if (pol.length) req.equals.push({ column: 'pol_states', values: pol, type: 'pol' });
  return req;
}

export function siaQuerySql(q: SiaRequest): { sql: string; params: unknown[] } {
  const p = new Params();
  const where = [`o.dataproduct_type = ANY (${p.add(SIA_TYPES, 'text[]')})`];
  if (q.pos.length) where.push(anyOf(q.pos.map((r) => regionSql(r, p))));
  if (q.band.length) where.push(anyOf(q.band.map((b) => overlapSql('em_min', 'em_max', b, p))));
  if (q.time.length) where.push(anyOf(q.time.map((t) => overlapSql('t_min', 't_max', t, p))));
  for (const r of q.ranges) where.push(anyOf(r.intervals.map((i) => withinSql(r.column, i, p))));
  for (const e of q.equals) {
    if (e.type === 'pol') {
      // pol_states is "/I/Q/U/" (ObsCore): a state matches between slashes.
      where.push(anyOf(e.values.map((v) => `position(${p.add(`/${v}/`, 'text')} in o.pol_states) > 0`)));
    } else {
      const col = e.lower ? `lower(o.${e.column})` : `o.${e.column}`;
      where.push(`${col} = ANY (${p.add(e.values, `${e.type}[]`)})`);
    }
  }
  const sql = `SELECT ${SIA_COLUMNS.map((c) => `o.${c}`).join(', ')}
  FROM ivoa.obscore o
 WHERE ${where.join('\n   AND ')}
 LIMIT ${p.add(q.maxrec + 1, 'int8')}`;
  return { sql, params: p.values };
}
