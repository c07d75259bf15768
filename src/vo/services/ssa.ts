/**
 * Simple Spectral Access 1.1, query interface over the spectra of ivoa.obscore
 * (dataproduct_type 'spectrum'). Pure: parsing, the one SQL statement and the response's fields;
 * src/vo/services/routes.ts runs it in the viewer's TAP session.
 *
 * Parameters (SSA 1.1 §8): REQUEST=queryData (getData: a redirect to the file, with PUBDID);
 * POS=ra,dec[;ICRS] and SIZE (diameter, degrees; default SSA_DEFAULT_SIZE); BAND in metres and
 * TIME in ISO 8601 UTC as range lists (`a/b`, `a/`, `/b`, or a value the data must contain;
 * comma-separated elements OR); FORMAT (all, native, fits, compliant, votable, graphic, a MIME
 * type, or METADATA for the description of the interface); TARGETNAME, PUBDID, COLLECTION;
 * MAXREC and TOP. Different parameters AND.
 *
 * Every column is cast in SQL to the type its field declares, so the fields are known before
 * any row (the METADATA answer needs no query at all).
 */
import type { VoField } from '../votable/fields.js';
import { escapeXml } from '../votable/xml.js';
import { anyOf, coneSql, distanceSql, overlapSql, Params } from './obscore-sql.js';
import { isoToMjd, normalizeRa, ParamError, parseMaxrec, parseNumber, parseSsaRangeList, type Interval, type ServiceParams } from './params.js';

/** Diameter (degrees) of the search region when POS comes without SIZE. */
export const SSA_DEFAULT_SIZE = 0.05;
/** Largest SIZE (diameter, degrees) accepted; the capabilities' maxSearchRadius is half of it. */
export const SSA_MAX_SIZE = 20;
export const SSA_MAXREC_LIMIT = 100_000;

export interface SsaRequest {
  request: 'queryData' | 'getData';
  metadata: boolean;
  pos: { ra: number; dec: number } | null;
  /** Diameter, degrees. */
  size: number;
  /** Metres; elements OR. */
  band: Interval[];
  /** MJD; elements OR. */
  time: Interval[];
  /** access_format values accepted; null: any. */
  formats: string[] | null;
  targetNames: string[];
  pubDids: string[];
  collections: string[];
  maxrec: number;
}

const FITS_TYPES = ['application/fits', 'image/fits'];

/** FORMAT's values → the access formats they accept (null: all); METADATA is reported apart. */
function parseFormats(values: string[]): { formats: string[] | null; metadata: boolean } {
  // No FORMAT is FORMAT=ALL.
  let formats: string[] | null = values.length ? [] : null;
  let metadata = false;
  for (const list of values) {
    for (const raw of list.split(',').map((v) => v.trim()).filter(Boolean)) {
      const v = raw.toLowerCase();
      if (v === 'metadata') metadata = true;
      else if (v === 'all' || v === 'native') formats = null;
      else if (v === 'fits') formats?.push(...FITS_TYPES);
      // No Spectrum-DM-compliant serialisation and no graphics are offered: those match nothing.
      else if (v === 'compliant' || v === 'votable' || v === 'xml' || v === 'graphic') formats?.push();
      else if (/^[a-z]+\/[a-z0-9.+-]+$/.test(v)) formats?.push(v);
      else throw new ParamError(`FORMAT: ${JSON.stringify(raw)} is not one of all, native, fits, compliant, votable, graphic, metadata or a MIME type`);
    }
  }
  return { formats, metadata };
}

export function parseSsa(params: ServiceParams, maxrecDefault: number): SsaRequest {
  const reqRaw = params.one('REQUEST') ?? 'queryData';
  const request = reqRaw.toLowerCase() === 'querydata' ? 'queryData' : reqRaw.toLowerCase() === 'getdata' ? 'getData' : null;
  if (!request) throw new ParamError(`REQUEST: ${JSON.stringify(reqRaw)} is not supported: use queryData (or getData with PUBDID)`);
  let pos: SsaRequest['pos'] = null;
  const posRaw = params.one('POS');
  if (posRaw !== undefined) {
    const [coords, frame] = posRaw.split(';');
    if (frame !== undefined && frame.trim().toUpperCase() !== 'ICRS') throw new ParamError(`POS: frame ${JSON.stringify(frame.trim())} is not supported: positions are ICRS`);
    const parts = coords.split(',');
    if (parts.length !== 2) throw new ParamError(`POS: ${JSON.stringify(posRaw)} must be "ra,dec" in decimal degrees (ICRS)`);
    const ra = parseNumber('POS', parts[0], { min: -360, max: 360, what: 'right ascension in degrees' });
    const dec = parseNumber('POS', parts[1], { min: -90, max: 90, what: 'declination in degrees' });
    pos = { ra: normalizeRa(ra), dec };
  }
  const sizeRaw = params.one('SIZE');
  const size = sizeRaw === undefined ? SSA_DEFAULT_SIZE : parseNumber('SIZE', sizeRaw, { min: 0, max: SSA_MAX_SIZE, what: 'diameter in degrees' });
  if (sizeRaw !== undefined && !pos) throw new ParamError('SIZE needs POS');
  const band = params.all('BAND').flatMap((v) =>
    parseSsaRangeList('BAND', v, (t) => {
      if (/^[a-z]/i.test(t)) throw new ParamError(`BAND: ${JSON.stringify(t)}: only wavelengths in metres are supported (e.g. 4e-7/7e-7)`);
      return parseNumber('BAND', t, { min: 0, what: 'wavelength in metres' });
    }),
  );
  const time = params.all('TIME').flatMap((v) => parseSsaRangeList('TIME', v, (t) => isoToMjd('TIME', t)));
  const { formats, metadata } = parseFormats(params.all('FORMAT'));
  let maxrec = parseMaxrec(params.one('MAXREC'), maxrecDefault, SSA_MAXREC_LIMIT);
  const top = params.one('TOP');
  if (top !== undefined) maxrec = Math.min(maxrec, parseMaxrec(top, maxrec, maxrec));
  const split = (name: string) => params.all(name).flatMap((v) => v.split(',').map((s) => s.trim()).filter(Boolean));
  const pubDids = split('PUBDID');
  if (request === 'getData' && pubDids.length !== 1) throw new ParamError('REQUEST=getData needs exactly one PUBDID');
  return { request, metadata, pos, size, band, time, formats, targetNames: params.all('TARGETNAME'), pubDids, collections: split('COLLECTION'), maxrec };
}

/** One output column: its name, the SQL that makes it (cast to the field's type) and the field. */
interface SsaColumn {
  sql: string;
  field: VoField;
}

const text = (name: string, sql: string, utype: string, ucd?: string, description?: string): SsaColumn => ({
  sql: `(${sql})::text`,
  field: { name, datatype: 'unicodeChar', arraysize: '*', utype, ucd, description },
});
const double = (name: string, sql: string, utype: string | undefined, ucd: string, unit: string, description: string): SsaColumn => ({
  sql: `(${sql})::float8`,
  field: { name, datatype: 'double', utype, ucd, unit, description },
});

/** The response's columns (SSA 1.1 §4.2: the mandatory ones and the useful recommended ones), in order. */
export function ssaColumns(publisher: string, p: Params, distance: string | null): SsaColumn[] {
  const cols: SsaColumn[] = [
    text('ssa_pubdid', 'o.obs_publisher_did', 'ssa:Curation.PublisherDID', 'meta.ref.uri;meta.dataset', 'Dataset identifier assigned by the publisher (DataLink takes it)'),
    text('ssa_title', 'o.obs_id', 'ssa:DataID.Title', 'meta.title;meta.dataset', 'survey/release/path of the file'),
    text('ssa_collection', 'o.obs_collection', 'ssa:DataID.Collection', 'meta.id', 'Survey and release'),
    text('ssa_targname', 'o.target_name', 'ssa:Target.Name', 'meta.id;src', 'Target name'),
    {
      sql: 'CASE WHEN o.s_ra IS NULL OR o.s_dec IS NULL THEN NULL ELSE ARRAY[o.s_ra, o.s_dec]::float8[] END',
      field: { name: 'ssa_location', datatype: 'double', arraysize: '2', utype: 'ssa:Char.SpatialAxis.Coverage.Location.Value', ucd: 'pos;meta.main', unit: 'deg', description: 'Position (ICRS RA, Dec)' },
    },
    double('ssa_ra', 'o.s_ra', undefined, 'pos.eq.ra;meta.main', 'deg', 'Right ascension (ICRS)'),
    double('ssa_dec', 'o.s_dec', undefined, 'pos.eq.dec;meta.main', 'deg', 'Declination (ICRS)'),
    double('ssa_aperture', 'o.s_fov', 'ssa:Char.SpatialAxis.Coverage.Bounds.Extent', 'phys.angSize;instr.fov', 'deg', 'Angular diameter of the aperture'),
    double('ssa_specmid', '(o.em_min + o.em_max) / 2', 'ssa:Char.SpectralAxis.Coverage.Location.Value', 'em.wl;instr.bandpass', 'm', 'Middle of the spectral coverage'),
    double('ssa_specext', 'o.em_max - o.em_min', 'ssa:Char.SpectralAxis.Coverage.Bounds.Extent', 'em.wl;instr.bandwidth', 'm', 'Width of the spectral coverage'),
    double('ssa_specstart', 'o.em_min', 'ssa:Char.SpectralAxis.Coverage.Bounds.Start', 'em.wl;stat.min', 'm', 'Shortest wavelength'),
    double('ssa_specend', 'o.em_max', 'ssa:Char.SpectralAxis.Coverage.Bounds.Stop', 'em.wl;stat.max', 'm', 'Longest wavelength'),
    double('ssa_dateobs', '(o.t_min + o.t_max) / 2', 'ssa:Char.TimeAxis.Coverage.Location.Value', 'time.epoch', 'd', 'Middle of the observation (MJD, UTC)'),
    double('ssa_timeext', 'o.t_exptime', 'ssa:Char.TimeAxis.Coverage.Bounds.Extent', 'time.duration', 's', 'Exposure time'),
    double('ssa_tstart', 'o.t_min', 'ssa:Char.TimeAxis.Coverage.Bounds.Start', 'time.start', 'd', 'Start of the observation (MJD, UTC)'),
    double('ssa_tstop', 'o.t_max', 'ssa:Char.TimeAxis.Coverage.Bounds.Stop', 'time.end', 'd', 'End of the observation (MJD, UTC)'),
    {
      sql: 'o.em_xel::int8',
      field: { name: 'ssa_length', datatype: 'long', utype: 'ssa:Dataset.Length', ucd: 'meta.number', description: 'Number of points in the spectrum' },
    },
    text('ssa_instrument', 'o.instrument_name', 'ssa:DataID.Instrument', 'meta.id;instr', 'Instrument'),
    text('ssa_fluxucd', 'o.o_ucd', 'ssa:Char.FluxAxis.Ucd', 'meta.ucd', 'UCD of the flux values'),
    text('accref', 'o.access_url', 'ssa:Access.Reference', 'meta.ref.url;meta.dataset', "URL of the spectrum's file"),
    text('mime', 'o.access_format', 'ssa:Access.Format', 'meta.code.mime', 'MIME type of the file'),
    double('accsize', 'o.access_estsize', 'ssa:Access.Size', 'phys.size;meta.file', 'kbyte', 'Estimated size of the file'),
    // Constant for every spectrum here; fields rather than PARAMs so every row says them.
    text('ssa_model', "'Spectrum-1.0'", 'ssa:Dataset.DataModel', 'meta.id;meta.dataset', 'Data model'),
    text('ssa_dstype', "'Spectrum'", 'ssa:Dataset.Type', 'meta.code.class', 'Type of data'),
    text('ssa_csysname', "'ICRS'", 'ssa:CoordSys.SpaceFrame.Name', 'meta.code', 'Frame of the positions'),
    text('ssa_spectralucd', "'em.wl'", 'ssa:Char.SpectralAxis.Ucd', 'meta.ucd', 'UCD of the spectral coordinate'),
    text('ssa_publisher', p.add(publisher, 'text'), 'ssa:Curation.Publisher', 'meta.curation', 'Publisher of the data'),
  ];
  if (distance) cols.push(double('ssa_distance', distance, undefined, 'pos.angDistance', 'deg', 'Distance from POS'));
  return cols;
}

export interface SsaStatement {
  sql: string;
  params: unknown[];
  fields: VoField[];
}

/** The queryData statement: spectra matching every given parameter, nearest first with POS; maxrec + 1 rows. */
export function ssaQuerySql(q: SsaRequest, publisher: string): SsaStatement {
  const p = new Params();
  const where = [`o.dataproduct_type = 'spectrum'`];
  let distance: string | null = null;
  if (q.pos) {
    distance = distanceSql(q.pos, p);
    where.push(coneSql({ ...q.pos, radius: q.size / 2 }, distance, p));
  }
  if (q.band.length) where.push(anyOf(q.band.map((b) => overlapSql('em_min', 'em_max', b, p))));
  if (q.time.length) where.push(anyOf(q.time.map((t) => overlapSql('t_min', 't_max', t, p))));
  if (q.formats) where.push(`lower(o.access_format) = ANY (${p.add(q.formats, 'text[]')})`);
  if (q.targetNames.length) where.push(`lower(o.target_name) = ANY (${p.add(q.targetNames.map((t) => t.toLowerCase()), 'text[]')})`);
  if (q.pubDids.length) where.push(`o.obs_publisher_did = ANY (${p.add(q.pubDids, 'text[]')})`);
  if (q.collections.length) where.push(`o.obs_collection = ANY (${p.add(q.collections, 'text[]')})`);
  const cols = ssaColumns(publisher, p, distance);
  const order = distance ? `\n ORDER BY ${distance}` : '';
  const sql = `SELECT ${cols.map((c) => `${c.sql} AS ${c.field.name}`).join(',\n       ')}
  FROM ivoa.obscore o
 WHERE ${where.join('\n   AND ')}${order}
 LIMIT ${p.add(q.maxrec + 1, 'int8')}`;
  return { sql, params: p.values, fields: cols.map((c) => c.field) };
}

/** getData: the file of one spectrum (its access_url), when visible. */
export function ssaGetDataSql(pubDid: string): { sql: string; params: unknown[] } {
  return { sql: `SELECT o.access_url FROM ivoa.obscore o WHERE o.dataproduct_type = 'spectrum' AND o.obs_publisher_did = $1::text`, params: [pubDid] };
}

/** INPUT: PARAMs of the METADATA answer (SSA 1.1 §8.1.2): what the query interface takes. */
export function ssaInputParams(): string {
  const param = (name: string, datatype: string, description: string, unit?: string, value = '') =>
    `<PARAM name="INPUT:${name}" datatype="${datatype}"${datatype === 'char' ? ' arraysize="*"' : ''}${unit ? ` unit="${unit}"` : ''} value="${escapeXml(value)}">` +
    `<DESCRIPTION>${escapeXml(description)}</DESCRIPTION></PARAM>\n`;
  return (
    param('REQUEST', 'char', 'queryData (or getData with PUBDID)', undefined, 'queryData') +
    param('POS', 'char', 'Centre of the search region: ra,dec in decimal degrees (ICRS)', 'deg') +
    param('SIZE', 'double', 'Diameter of the search region', 'deg', String(SSA_DEFAULT_SIZE)) +
    param('BAND', 'char', 'Wavelength ranges in metres: a/b, a/, /b or a value the spectrum must cover; comma-separated ranges OR', 'm') +
    param('TIME', 'char', 'Time ranges, ISO 8601 UTC: t1/t2, t1/, /t2 or an instant; comma-separated ranges OR') +
    param('FORMAT', 'char', 'all, native, fits, compliant, votable, graphic, a MIME type, or metadata', undefined, 'all') +
    param('TARGETNAME', 'char', 'Target name (case-insensitive)') +
    param('PUBDID', 'char', 'Publisher dataset identifier (ivo://...)') +
    param('COLLECTION', 'char', 'Survey and release (obs_collection)') +
    param('MAXREC', 'int', `Most rows to return (at most ${SSA_MAXREC_LIMIT})`) +
    param('TOP', 'int', 'Most rows to return (as MAXREC)')
  );
}
