/**
 * VOSI for TAP: /tap/capabilities (VOSI 1.1 with the TAPRegExt 1.0 capability: ADQL 2.0 and its
 * geometry functions, the output formats and their aliases, the limits from the config),
 * /tap/availability, and /tap/tables (a VODataService 1.1 tableset read from TAP_SCHEMA in the
 * caller's own TAP session, so a draft's tables appear to token holders only, exactly as ADQL
 * sees them). Document builders are pure; tableData is the one read.
 */
import type pg from 'pg';
import type { TapLimits } from '../../config.js';
import { GEOMETRY_FUNCTIONS } from '../adql/index.js';
import { escapeXml } from '../votable/xml.js';
import { withTapSession, type TapViewer } from './session.js';

/** TAPRegExt output formats: MIME type, standard id when there is one, aliases RESPONSEFORMAT accepts. */
export const OUTPUT_FORMATS: { mime: string; ivoId?: string; aliases: string[] }[] = [
  { mime: 'application/x-votable+xml', ivoId: 'ivo://ivoa.net/std/TAPRegExt#output-votable-td', aliases: ['votable', 'votable/td'] },
  { mime: 'application/x-votable+xml;serialization=binary2', ivoId: 'ivo://ivoa.net/std/TAPRegExt#output-votable-binary2', aliases: ['votable/b2'] },
  { mime: 'text/csv', aliases: ['csv'] },
  { mime: 'text/tab-separated-values', aliases: ['tsv'] },
];

const NAMESPACES = [
  'xmlns:vosi="http://www.ivoa.net/xml/VOSICapabilities/v1.0"',
  'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"',
  'xmlns:vr="http://www.ivoa.net/xml/VOResource/v1.0"',
  'xmlns:vs="http://www.ivoa.net/xml/VODataService/v1.1"',
  'xmlns:tr="http://www.ivoa.net/xml/TAPRegExt/v1.0"',
].join(' ');

/** `base`: the service's absolute URL, e.g. https://archive.example.org/tap. */
export function tapCapabilities(base: string, limits: TapLimits): string {
  const vosi = (id: string, url: string) =>
    `  <capability standardID="${id}">\n    <interface xsi:type="vs:ParamHTTP" role="std">\n      <accessURL use="full">${escapeXml(url)}</accessURL>\n    </interface>\n  </capability>\n`;
  const features = GEOMETRY_FUNCTIONS.map((f) => `        <feature><form>${f}</form></feature>\n`).join('');
  const formats = OUTPUT_FORMATS.map(
    (f) =>
      `    <outputFormat${f.ivoId ? ` ivo-id="${f.ivoId}"` : ''}>\n      <mime>${escapeXml(f.mime)}</mime>\n` +
      f.aliases.map((a) => `      <alias>${escapeXml(a)}</alias>\n`).join('') +
      '    </outputFormat>\n',
  ).join('');
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<vosi:capabilities ${NAMESPACES}>\n` +
    `  <capability standardID="ivo://ivoa.net/std/TAP" xsi:type="tr:TableAccess">\n` +
    `    <interface xsi:type="vs:ParamHTTP" role="std" version="1.1">\n      <accessURL use="base">${escapeXml(base)}</accessURL>\n    </interface>\n` +
    `    <dataModel ivo-id="ivo://ivoa.net/std/ObsCore#core-1.1">ObsCore-1.1</dataModel>\n` +
    `    <language>\n      <name>ADQL</name>\n      <version ivo-id="ivo://ivoa.net/std/ADQL#v2.0">2.0</version>\n` +
    `      <description>ADQL 2.0, translated to PostgreSQL; CONTAINS/INTERSECTS/DISTANCE use the sky index</description>\n` +
    `      <languageFeatures type="ivo://ivoa.net/std/TAPRegExt#features-adqlgeo">\n${features}      </languageFeatures>\n    </language>\n` +
    formats +
    `    <retentionPeriod>\n      <default>${limits.retentionS}</default>\n      <hard>${limits.retentionS}</hard>\n    </retentionPeriod>\n` +
    `    <executionDuration>\n      <default>${limits.asyncDurationDefaultS}</default>\n      <hard>${limits.asyncDurationLimitS}</hard>\n    </executionDuration>\n` +
    `    <outputLimit>\n      <default unit="row">${limits.maxrecDefault}</default>\n      <hard unit="row">${limits.maxrecLimit}</hard>\n    </outputLimit>\n` +
    `  </capability>\n` +
    vosi('ivo://ivoa.net/std/VOSI#capabilities', `${base}/capabilities`) +
    vosi('ivo://ivoa.net/std/VOSI#availability', `${base}/availability`) +
    vosi('ivo://ivoa.net/std/VOSI#tables-1.1', `${base}/tables`) +
    '</vosi:capabilities>\n'
  );
}

interface SchemaRow {
  schema_name: string;
  description: string | null;
  utype: string | null;
}
interface TableRow {
  schema_name: string;
  table_name: string;
  table_type: string | null;
  description: string | null;
  utype: string | null;
}
interface ColumnRow {
  table_name: string;
  column_name: string;
  description: string | null;
  unit: string | null;
  ucd: string | null;
  utype: string | null;
  datatype: string;
  arraysize: string | null;
  xtype: string | null;
  principal: number | null;
  indexed: number | null;
  std: number | null;
}
interface KeyRow {
  from_table: string;
  target_table: string;
  description: string | null;
  columns: { from: string; target: string }[];
}

export interface TableData {
  schemas: SchemaRow[];
  tables: TableRow[];
  columns: ColumnRow[];
  keys: KeyRow[];
}

/** TAP_SCHEMA as the viewer sees it (one transaction, four reads); `table`: one table only (qualified name). */
export async function tableData(pool: pg.Pool, viewer: TapViewer, timeoutMs: number, table?: string): Promise<TableData> {
  return withTapSession(pool, viewer, { timeoutMs }, async (c) => {
    const only = table === undefined ? [] : [table];
    const where = (col: string) => (table === undefined ? '' : `WHERE ${col} = $1`);
    const tables = (await c.query<TableRow>(`SELECT schema_name, table_name, table_type, description, utype FROM tap_schema.tables ${where('table_name')} ORDER BY table_index, schema_name, table_name`, only)).rows;
    const schemas = (await c.query<SchemaRow>(`SELECT schema_name, description, utype FROM tap_schema.schemas ORDER BY schema_index, schema_name`)).rows;
    const columns = (
      await c.query<ColumnRow>(
        `SELECT table_name, column_name, description, unit, ucd, utype, datatype, arraysize, xtype, principal, indexed, std
           FROM tap_schema.columns ${where('table_name')} ORDER BY table_name, column_index, column_name`,
        only,
      )
    ).rows;
    const keys = (
      await c.query<KeyRow>(
        `SELECT k.from_table, k.target_table, k.description,
                coalesce(json_agg(json_build_object('from', kc.from_column, 'target', kc.target_column)) FILTER (WHERE kc.key_id IS NOT NULL), '[]') AS columns
           FROM tap_schema.keys k LEFT JOIN tap_schema.key_columns kc ON kc.key_id = k.key_id ${where('k.from_table')}
          GROUP BY k.key_id, k.from_table, k.target_table, k.description ORDER BY k.key_id`,
        only,
      )
    ).rows;
    return { schemas, tables, columns, keys };
  });
}

const opt = (name: string, v: string | null, indent: string) => (v === null || v === '' ? '' : `${indent}<${name}>${escapeXml(v)}</${name}>\n`);

function tableElement(t: TableRow, d: TableData, indent: string, ns = ''): string {
  const i2 = `${indent}  `;
  let xml = `${indent}<table${ns}${t.table_type ? ` type="${escapeXml(t.table_type)}"` : ''}>\n${i2}<name>${escapeXml(t.table_name)}</name>\n`;
  xml += opt('description', t.description, i2) + opt('utype', t.utype, i2);
  for (const c of d.columns) {
    if (c.table_name !== t.table_name) continue;
    const i3 = `${i2}  `;
    xml += `${i2}<column${c.std ? ' std="true"' : ''}>\n${i3}<name>${escapeXml(c.column_name)}</name>\n`;
    xml += opt('description', c.description, i3) + opt('unit', c.unit, i3) + opt('ucd', c.ucd, i3) + opt('utype', c.utype, i3);
    const arraysize = c.arraysize ? ` arraysize="${escapeXml(c.arraysize)}"` : '';
    const xtype = c.xtype ? ` extendedType="${escapeXml(c.xtype)}"` : '';
    xml += `${i3}<dataType xsi:type="vs:VOTableType"${arraysize}${xtype}>${escapeXml(c.datatype)}</dataType>\n`;
    if (c.indexed) xml += `${i3}<flag>indexed</flag>\n`;
    if (c.principal) xml += `${i3}<flag>principal</flag>\n`;
    xml += `${i2}</column>\n`;
  }
  for (const k of d.keys) {
    if (k.from_table !== t.table_name) continue;
    xml += `${i2}<foreignKey>\n${i2}  <targetTable>${escapeXml(k.target_table)}</targetTable>\n`;
    for (const kc of k.columns) xml += `${i2}  <fkColumn>\n${i2}    <fromColumn>${escapeXml(kc.from)}</fromColumn>\n${i2}    <targetColumn>${escapeXml(kc.target)}</targetColumn>\n${i2}  </fkColumn>\n`;
    xml += opt('description', k.description, `${i2}  `) + `${i2}</foreignKey>\n`;
  }
  return `${xml}${indent}</table>\n`;
}

const TABLES_NS = 'xmlns:vosi="http://www.ivoa.net/xml/VOSITables/v1.0" xmlns:vs="http://www.ivoa.net/xml/VODataService/v1.1" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"';

/** The whole tableset: every schema with its tables (a schema without visible tables is still listed). */
export function tablesetDocument(d: TableData): string {
  let xml = `<?xml version="1.0" encoding="UTF-8"?>\n<vosi:tableset ${TABLES_NS}>\n`;
  for (const s of d.schemas) {
    xml += `  <schema>\n    <name>${escapeXml(s.schema_name)}</name>\n` + opt('description', s.description, '    ') + opt('utype', s.utype, '    ');
    for (const t of d.tables) if (t.schema_name === s.schema_name) xml += tableElement(t, d, '    ');
    xml += '  </schema>\n';
  }
  return `${xml}</vosi:tableset>\n`;
}

/** One table (VOSI 1.1 /tables/<name>), as a vosi:table document. */
export function tableDocument(d: TableData): string {
  const body = tableElement(d.tables[0], d, '', ` ${TABLES_NS}`);
  return `<?xml version="1.0" encoding="UTF-8"?>\n${body.replace(/^<table /, '<vosi:table ').replace(/<\/table>\n$/, '</vosi:table>\n')}`;
}
