/**
 * Simple Cone Search 1.03: `RA`, `DEC`, `SR` (decimal degrees, ICRS), optional `VERB` (1, 2, 3)
 * and `MAXREC` (DALI), over ivoa.obscore or one catalogue table with a position. Pure: parsing
 * and the one SQL statement; src/vo/services/routes.ts runs it in the viewer's TAP session.
 *
 * The result must have exactly one field each with the UCD1 (not UCD1+) ucds `ID_MAIN` (a
 * string unique in the table), `POS_EQ_RA_MAIN` and `POS_EQ_DEC_MAIN` (doubles): those three
 * come first, then the distance from the cone's centre (degrees; rows nearest first), then more
 * columns by verbosity. SR=0 is not an error (the standard asks for the fields and no rows, as
 * a metadata query); SR above SCS_MAX_SR is.
 */
import type { TapColumnInfo, TapTableInfo } from '../adql/index.js';
import { quoteIdent, ROW_COLUMN } from '../../catalogue/names.js';
import { coneRanges } from '../../sky/index.js';
import { greatCircle } from '../../db/queries/catalogue-rows.js';
import { escapeXml } from '../votable/xml.js';
import { coneSql, distanceSql, Params } from './obscore-sql.js';
import { normalizeRa, ParamError, parseMaxrec, parseNumber, pixelRangesSql, type ServiceParams } from './params.js';

/** Largest search radius (degrees): the capabilities' maxSR. */
export const SCS_MAX_SR = 10;
/** Most rows one cone returns (the capabilities' maxRecords): a cone's answer is held whole. */
export const SCS_MAXREC_LIMIT = 20_000;

export interface ScsRequest {
  ra: number;
  dec: number;
  sr: number;
  verb: 1 | 2 | 3;
  maxrec: number;
}

export function parseScs(params: ServiceParams, maxrecDefault: number): ScsRequest {
  const need = (name: string) => {
    const v = params.one(name);
    if (v === undefined) throw new ParamError(`${name} is required: RA and DEC (ICRS) and SR, in decimal degrees`);
    return v;
  };
  const ra = parseNumber('RA', need('RA'), { min: -360, max: 360, what: 'decimal degrees' });
  const dec = parseNumber('DEC', need('DEC'), { min: -90, max: 90, what: 'decimal degrees' });
  const sr = parseNumber('SR', need('SR'), { min: 0, what: 'search radius in decimal degrees' });
  if (sr > SCS_MAX_SR) throw new ParamError(`SR: ${sr} is larger than this service's largest search radius, ${SCS_MAX_SR} degrees`);
  const verbRaw = params.one('VERB');
  let verb: 1 | 2 | 3 = 2;
  if (verbRaw !== undefined) {
    if (!/^[123]$/.test(verbRaw)) throw new ParamError(`VERB: ${JSON.stringify(verbRaw)} must be 1, 2 or 3`);
    verb = Number(verbRaw) as 1 | 2 | 3;
  }
  return { ra: normalizeRa(ra), dec, sr, verb, maxrec: parseMaxrec(params.one('MAXREC'), maxrecDefault, SCS_MAXREC_LIMIT) };
}

/** Metadata of one output column (everything but its datatype, which comes from the result). */
export interface ColumnMeta {
  ucd?: string;
  unit?: string;
  description?: string;
  utype?: string;
  xtype?: string;
}

export interface ScsStatement {
  sql: string;
  params: unknown[];
  /** Output column name -> metadata, for the VOTable fields. */
  meta: Map<string, ColumnMeta>;
}

const ID: ColumnMeta = { ucd: 'ID_MAIN', description: 'Identifier of the row (unique in this table)' };
const RA: ColumnMeta = { ucd: 'POS_EQ_RA_MAIN', unit: 'deg', description: 'Right ascension (ICRS)' };
const DEC: ColumnMeta = { ucd: 'POS_EQ_DEC_MAIN', unit: 'deg', description: 'Declination (ICRS)' };
const DISTANCE: ColumnMeta = { ucd: 'POS_ANG_DIST_GENERAL', unit: 'deg', description: "Angular distance from the cone's centre" };

/** ivoa.obscore columns by verbosity (after the id, position and distance). */
const OBSCORE_VERB2: [string, ColumnMeta][] = [
  ['dataproduct_type', { ucd: 'meta.code.class', description: 'Data product type (ObsCore)' }],
  ['obs_collection', { ucd: 'meta.id', description: 'Survey and release' }],
  ['obs_id', { ucd: 'meta.id', description: 'survey/release/path of the file' }],
  ['target_name', { ucd: 'meta.id;src', description: 'Target name' }],
  ['access_url', { ucd: 'meta.ref.url', description: "URL of the file's bytes" }],
  ['access_format', { ucd: 'meta.code.mime', description: 'MIME type of the file' }],
  ['s_fov', { ucd: 'phys.angSize;instr.fov', unit: 'deg', description: 'Diameter of the covered region' }],
  ['t_min', { ucd: 'time.start;obs.exposure', unit: 'd', description: 'Start of the observation (MJD)' }],
  ['t_max', { ucd: 'time.end;obs.exposure', unit: 'd', description: 'End of the observation (MJD)' }],
  ['em_min', { ucd: 'em.wl;stat.min', unit: 'm', description: 'Shortest wavelength' }],
  ['em_max', { ucd: 'em.wl;stat.max', unit: 'm', description: 'Longest wavelength' }],
  ['facility_name', { ucd: 'meta.id;instr.tel', description: 'Telescope' }],
  ['instrument_name', { ucd: 'meta.id;instr', description: 'Instrument' }],
];
const OBSCORE_VERB3: [string, ColumnMeta][] = [
  ['calib_level', { ucd: 'meta.code;obs.calib', description: 'Calibration level (0 raw to 4 analysis products)' }],
  ['access_estsize', { ucd: 'phys.size;meta.file', unit: 'kbyte', description: 'Size of the file' }],
  ['s_region', { ucd: 'pos.outline;obs.field', description: 'Footprint (STC-S)' }],
  ['t_exptime', { ucd: 'time.duration;obs.exposure', unit: 's', description: 'Exposure time' }],
  ['em_xel', { ucd: 'meta.number', description: 'Pixels along the spectral axis' }],
  ['obs_release_date', { ucd: 'time.release', description: 'When the release was published' }],
];

/** The cone over ivoa.obscore: rows with a position within SR, nearest first, at most maxrec + 1. */
export function scsObscoreSql(q: ScsRequest): ScsStatement {
  const p = new Params();
  const cone = { ra: q.ra, dec: q.dec, radius: q.sr };
  const distance = distanceSql(cone, p);
  const extra = q.verb === 1 ? [] : q.verb === 2 ? OBSCORE_VERB2 : [...OBSCORE_VERB2, ...OBSCORE_VERB3];
  const meta = new Map<string, ColumnMeta>([
    ['id', ID],
    ['ra', RA],
    ['dec', DEC],
    ['distance', DISTANCE],
    ...extra,
  ]);
  const select = ['o.obs_publisher_did AS id', 'o.s_ra::float8 AS ra', 'o.s_dec::float8 AS dec', `${distance} AS distance`, ...extra.map(([c]) => `o.${c}`)];
  const sql = `SELECT ${select.join(', ')}
  FROM ivoa.obscore o
 WHERE ${coneSql(cone, distance, p)}
 ORDER BY distance
 LIMIT ${p.add(q.maxrec + 1, 'int8')}`;
  return { sql, params: p.values, meta };
}

/**
 * The cone over one catalogue table (its TAP description: position columns and metadata).
 * ID_MAIN is the row's number in its file (`_row`, the table's key); the table's own RA/Dec
 * columns carry the SCS ucds (as doubles); VERB=1 gives only those, 2 the principal columns
 * (all when none is marked), 3 every column.
 */
export function scsCatalogueSql(q: ScsRequest, table: TapTableInfo): ScsStatement {
  const pos = table.position;
  if (!pos) throw new ParamError(`table ${table.schema}.${table.name} has no position columns: no cone search over it`);
  const p = new Params();
  const bind = (v: unknown, t: string) => p.add(v, t);
  const ra = `t.${quoteIdent(pos.ra)}`;
  const dec = `t.${quoteIdent(pos.dec)}`;
  const distance = greatCircle(ra, dec, q, bind);
  const others = table.columns.filter((c) => c.name !== pos.ra && c.name !== pos.dec && c.name !== ROW_COLUMN);
  const anyPrincipal = others.some((c) => c.principal);
  const chosen: TapColumnInfo[] = q.verb === 1 ? [] : q.verb === 2 && anyPrincipal ? others.filter((c) => c.principal) : others;
  // Output names are the table's own. Ours cannot collide with them: `_row` is reserved by the
  // loader, and the distance gets more leading `_` while a column already has its name.
  const taken = new Set(table.columns.map((c) => c.name));
  let distanceName = '_distance';
  while (taken.has(distanceName)) distanceName = `_${distanceName}`;
  const meta = new Map<string, ColumnMeta>([
    [ROW_COLUMN, ID],
    [pos.ra, { ...RA, description: colOf(table, pos.ra)?.description ?? RA.description }],
    [pos.dec, { ...DEC, description: colOf(table, pos.dec)?.description ?? DEC.description }],
    [distanceName, DISTANCE],
    ...chosen.map((c): [string, ColumnMeta] => [c.name, { ucd: c.ucd, unit: c.unit, description: c.description, utype: c.utype, xtype: c.xtype }]),
  ]);
  const select = [
    `t.${quoteIdent(ROW_COLUMN)}::text AS ${quoteIdent(ROW_COLUMN)}`,
    `${ra}::float8 AS ${quoteIdent(pos.ra)}`,
    `${dec}::float8 AS ${quoteIdent(pos.dec)}`,
    `${distance} AS ${quoteIdent(distanceName)}`,
    ...chosen.map((c) => `t.${quoteIdent(c.name)}`),
  ];
  const sql = `SELECT ${select.join(', ')}
  FROM ${table.sqlName} t
 WHERE ${pixelRangesSql(`t.${quoteIdent(pos.hpx)}`, coneRanges(q.ra, q.dec, q.sr))} AND ${distance} <= ${p.add(q.sr, 'float8')}
 ORDER BY ${quoteIdent(distanceName)}
 LIMIT ${p.add(q.maxrec + 1, 'int8')}`;
  return { sql, params: p.values, meta };
}

function colOf(table: TapTableInfo, name: string): TapColumnInfo | undefined {
  return table.columns.find((c) => c.name === name);
}

const VOTABLE_11 = '<VOTABLE version="1.1" xmlns="http://www.ivoa.net/xml/VOTable/v1.1" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">';

/**
 * A VOTable document's head declared as VOTable 1.1 instead of 1.4: SCS 1.03 asks for 1.0 or
 * 1.1, and its UCD1 words (ID_MAIN ...) are not valid UCDs in VOTable 1.2 and later (astropy
 * refuses them). What src/vo/votable writes for a TABLEDATA table without xtypes is valid 1.1.
 */
export function asVotable11(head: string): string {
  return head.replace(/<VOTABLE\b[^>]*>/, VOTABLE_11);
}

/**
 * SCS 1.03 §2.3 error document: an INFO name="Error" under VOTABLE (the place the standard
 * prefers), and the DALI QUERY_STATUS=ERROR in the results resource for newer clients. HTTP 200.
 */
export function scsErrorDocument(message: string): string {
  const m = escapeXml(message);
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `${VOTABLE_11}\n` +
    `  <INFO ID="Error" name="Error" value="${m}"/>\n` +
    `  <RESOURCE type="results">\n    <INFO name="QUERY_STATUS" value="ERROR">${m}</INFO>\n  </RESOURCE>\n` +
    '</VOTABLE>\n'
  );
}
