/**
 * DataLink 1.1 `{links}` for ObsCore datasets: `ID=<obs_publisher_did>` (repeatable). Pure: the
 * request, the statements and the rows; src/vo/services/routes.ts runs them.
 *
 * Visibility is the database's: the datasets are read from ivoa.obscore in the caller's TAP
 * session, so an ID the caller may not see is exactly an unknown one: both get one row whose
 * error_message is the same NotFoundFault, and nothing tells that a draft exists. Details of the
 * datasets found (exact file size, catalogue tables) are then read by their record ids only.
 *
 * Rows per dataset: `#this` (the file), `#preview` (the quicklook PNG of an image or cube) and
 * one `#derivation` per catalogue table loaded from the file (a TAP query of the table).
 */
import type { VoField } from '../votable/fields.js';
import { ParamError, type ServiceParams } from './params.js';

/** Most IDs in one request (each costs nothing per ID in SQL, but the answer grows). */
export const DATALINK_MAX_IDS = 1000;
export const DATALINK_CONTENT_TYPE = 'application/x-votable+xml;content=datalink';

export function parseDatalink(params: ServiceParams): { ids: string[] } {
  const ids = params.all('ID');
  if (ids.length === 0) throw new ParamError('ID is required: the obs_publisher_did of a dataset (ivo://...), repeatable');
  if (ids.length > DATALINK_MAX_IDS) throw new ParamError(`at most ${DATALINK_MAX_IDS} ID values per request, got ${ids.length}`);
  return { ids };
}

/** The record id an ID names, when it has this archive's shape (`ivo://<authority>/astroarchive?<id>`). */
export function recordIdOf(id: string): number | null {
  const m = /^ivo:\/\/[^/?#\s]+\/astroarchive\?([1-9][0-9]{0,15})$/.exec(id);
  if (!m) return null;
  const n = Number(m[1]);
  return Number.isSafeInteger(n) ? n : null;
}

const char = (name: string, ucd: string, description: string): VoField => ({ name, datatype: 'char', arraysize: '*', ucd, description });

/** DataLink 1.1 §3.2, in the standard's order. */
export const LINK_FIELDS: VoField[] = [
  char('ID', 'meta.id;meta.main', 'Input identifier'),
  char('access_url', 'meta.ref.url', 'Link to the data or service'),
  char('service_def', 'meta.ref', 'Reference to a service descriptor resource'),
  char('error_message', 'meta.code.error', 'Error if the link could not be made'),
  char('semantics', 'meta.code', 'What the link is, from the DataLink vocabulary'),
  char('description', 'meta.note', 'Human-readable description of the link'),
  char('content_type', 'meta.code.mime', 'MIME type of the linked content'),
  { name: 'content_length', datatype: 'long', unit: 'byte', ucd: 'phys.size;meta.file', description: 'Size of the linked content' },
  char('content_qualifier', 'meta.code.class', 'What kind of product the linked content is'),
  char('local_semantics', 'meta.code', 'Semantics local to this service'),
  char('link_auth', 'meta.code', 'Whether the link needs authentication: false, optional, true'),
  { name: 'link_authorized', datatype: 'boolean', ucd: 'meta.code', description: 'Whether this caller may follow the link' },
];

/** A visible dataset, from ivoa.obscore under the caller's role. */
export interface DatasetRow {
  record_id: string | number;
  obs_publisher_did: string;
  access_url: string;
  access_format: string;
  access_estsize: string | number | null;
  dataproduct_type: string;
  preview: string | null;
  obs_id: string;
  /** Published releases' datasets need no token. */
  obs_release_date: Date | string | null;
}

/** The caller's datasets among `recordIds`: one statement in the TAP session. */
export function datasetsSql(recordIds: number[]): { sql: string; params: unknown[] } {
  return {
    sql: `SELECT o.record_id, o.obs_publisher_did, o.access_url, o.access_format, o.access_estsize, o.dataproduct_type, o.preview, o.obs_id, o.obs_release_date
  FROM ivoa.obscore o WHERE o.record_id = ANY ($1::int8[])`,
    params: [recordIds],
  };
}

/** Exact file sizes and the catalogue tables of records already known visible: one statement on the archive's own tables. */
export function detailsSql(recordIds: number[]): { sql: string; params: unknown[] } {
  return {
    sql: `SELECT r.id AS record_id, f.size_bytes,
       coalesce((SELECT json_agg(json_build_object('schema', ct.schema_name, 'table', ct.table_name, 'rows', ct.row_count, 'hdu', ct.hdu) ORDER BY ct.hdu)
                   FROM catalogue_tables ct WHERE ct.record_id = r.id), '[]'::json) AS tables
  FROM records r JOIN files f ON f.id = r.file_id
 WHERE r.id = ANY ($1::int8[])`,
    params: [recordIds],
  };
}

export interface DatasetDetails {
  sizeBytes: number | null;
  tables: { schema: string; table: string; rows: number; hdu: number }[];
}

/** The `{links}` rows, in the order of the IDs asked for (an ID given twice is answered twice). */
export function linkRows(ids: string[], found: Map<string, DatasetRow>, details: Map<number, DatasetDetails>, base: string): unknown[][] {
  const rows: unknown[][] = [];
  const row = (o: { id: string; url?: string; error?: string; semantics: string; description?: string; type?: string; length?: number | null; qualifier?: string; auth?: string }) =>
    rows.push([o.id, o.url ?? null, null, o.error ?? null, o.semantics, o.description ?? null, o.type ?? null, o.length ?? null, o.qualifier ?? null, null, o.auth ?? null, o.error ? null : true]);
  for (const id of ids) {
    const ds = found.get(id);
    if (!ds) {
      row({ id, error: `NotFoundFault: no dataset ${id} here, or none this caller may see`, semantics: '#this' });
      continue;
    }
    const recordId = Number(ds.record_id);
    const det = details.get(recordId);
    const auth = ds.obs_release_date === null ? 'true' : 'false';
    const qualifier = ds.dataproduct_type;
    row({ id, url: ds.access_url, semantics: '#this', description: `The file ${ds.obs_id}`, type: ds.access_format, length: det?.sizeBytes ?? null, qualifier, auth });
    if (ds.preview) row({ id, url: ds.preview, semantics: '#preview', description: `Quicklook image of ${ds.obs_id}`, type: 'image/png', auth });
    for (const t of det?.tables ?? []) {
      const name = `${t.schema}.${t.table}`;
      const query = `SELECT * FROM ${name}`;
      const url = `${base}/tap/sync?REQUEST=doQuery&LANG=ADQL&QUERY=${encodeURIComponent(query)}`;
      row({
        id,
        url,
        semantics: '#derivation',
        description: `Catalogue table ${name} loaded from ${t.hdu === 0 ? 'the file' : `HDU ${t.hdu}`} (${t.rows} rows), through TAP (cone search: ${base}/scs/${name})`,
        type: 'application/x-votable+xml',
        qualifier: 'measurements',
        auth,
      });
    }
  }
  return rows;
}
