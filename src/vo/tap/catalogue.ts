/**
 * The tables an ADQL query may name, as TAP_SCHEMA lists them to the caller's database role:
 * read from tap_schema inside withTapSession, so which tables exist is decided by the same
 * views and role the query itself runs under (an anonymous caller never sees a draft's
 * catalogue tables; a table missing here is an ADQL error naming it, not a permission error).
 *
 * Cached per pool and viewer, and checked on every call against a stamp of what changes
 * TAP_SCHEMA (catalogue loads and drops, publications): one small statement instead of
 * reading every column of every table again, and never stale across processes (the worker
 * loads, the API serves).
 */
import type pg from 'pg';
import type { TapCatalogue, TapColumnInfo, TapTableInfo } from '../adql/catalogue.js';
import { HPX_COLUMN, quoteIdent } from '../../catalogue/names.js';
import { tapCatalogueStamp, tapSkyColumns } from '../../db/queries/tap-catalogue.js';
import { withTapSession, type TapViewer } from './session.js';

export type LoadedTapCatalogue = TapCatalogue & { tables: TapTableInfo[] };

/** Reading TAP_SCHEMA is small: this bounds it on a stuck server. */
const LOAD_TIMEOUT_MS = 10_000;

/** ivoa.obscore's sky columns (migration 0023): centre, its HEALPix id, the footprint's MOC. */
const OBSCORE_SKY = { position: { ra: 's_ra', dec: 's_dec', hpx: 'hpx' }, coverage: 'coverage' } as const;

interface Cached {
  stamp: string;
  catalogue: LoadedTapCatalogue;
}
const cache = new WeakMap<pg.Pool, Map<TapViewer, Cached>>();

export async function loadTapCatalogue(pool: pg.Pool, viewer: TapViewer): Promise<LoadedTapCatalogue> {
  const stamp = await tapCatalogueStamp(pool);
  let perPool = cache.get(pool);
  if (!perPool) cache.set(pool, (perPool = new Map()));
  const hit = perPool.get(viewer);
  if (hit && hit.stamp === stamp) return hit.catalogue;
  const catalogue = await readTapSchema(pool, viewer);
  perPool.set(viewer, { stamp, catalogue });
  return catalogue;
}

/** Forget what was read (tests that change TAP_SCHEMA's inputs behind the stamp's back). */
export function clearTapCatalogueCache(pool: pg.Pool): void {
  cache.delete(pool);
}

interface TableRow {
  schema_name: string;
  table_name: string;
  description: string | null;
}
interface ColumnRow {
  table_name: string;
  column_name: string;
  datatype: string;
  arraysize: string | null;
  xtype: string | null;
  unit: string | null;
  ucd: string | null;
  utype: string | null;
  description: string | null;
  principal: number;
  indexed: number;
}

async function readTapSchema(pool: pg.Pool, viewer: TapViewer): Promise<LoadedTapCatalogue> {
  // The table list as the role sees it; the sky columns of catalogue tables (not secret once
  // the table is listed) from the registry, beside it.
  const [{ tables, columns }, sky] = await Promise.all([
    withTapSession(pool, viewer, { timeoutMs: LOAD_TIMEOUT_MS }, async (c) => {
      const t = await c.query<TableRow>(`SELECT schema_name, table_name, description FROM tap_schema.tables ORDER BY table_index NULLS LAST, table_name`);
      const k = await c.query<ColumnRow>(
        `SELECT table_name, column_name, datatype, arraysize, xtype, unit, ucd, utype, description, principal, indexed
         FROM tap_schema.columns ORDER BY table_name, column_index`,
      );
      return { tables: t.rows, columns: k.rows };
    }),
    tapSkyColumns(pool),
  ]);
  const byTable = new Map<string, TapColumnInfo[]>();
  for (const c of columns) {
    let list = byTable.get(c.table_name);
    if (!list) byTable.set(c.table_name, (list = []));
    list.push(columnInfo(c));
  }
  const infos = tables.map((t): TapTableInfo => {
    // TAP_SCHEMA gives names as ADQL writes them (a reserved word delimited: "order"), and
    // table_name qualified: <schema>.<table>. The translator resolves names as written, so the
    // catalogue holds them plain.
    const schema = undelimit(t.schema_name);
    const name = undelimit(t.table_name.slice(t.schema_name.length + 1));
    const info: TapTableInfo = { schema, name, sqlName: `${quoteIdent(schema)}.${quoteIdent(name)}`, columns: byTable.get(t.table_name) ?? [] };
    if (t.table_name === 'ivoa.obscore') return { ...info, ...OBSCORE_SKY, position: { ...OBSCORE_SKY.position } };
    const radec = sky.get(`${schema}.${name}`);
    return radec ? { ...info, position: { ra: radec.ra, dec: radec.dec, hpx: HPX_COLUMN } } : info;
  });
  return catalogueOf(infos);
}

function columnInfo(c: ColumnRow): TapColumnInfo {
  const info: TapColumnInfo = { name: undelimit(c.column_name), datatype: c.datatype, principal: c.principal === 1, indexed: c.indexed === 1 };
  if (c.arraysize !== null) info.arraysize = c.arraysize;
  if (c.xtype !== null) info.xtype = c.xtype;
  if (c.unit !== null) info.unit = c.unit;
  if (c.ucd !== null) info.ucd = c.ucd;
  if (c.utype !== null) info.utype = c.utype;
  if (c.description !== null) info.description = c.description;
  return info;
}

/** `"order"` -> `order` (doubled quotes inside undone); a regular identifier as it is. */
export function undelimit(name: string): string {
  return name.length >= 2 && name.startsWith('"') && name.endsWith('"') ? name.slice(1, -1).replace(/""/g, '"') : name;
}

/** Lookup by (schema, name); a bare name only when one schema has a table of that name. */
export function catalogueOf(tables: TapTableInfo[]): LoadedTapCatalogue {
  const qualified = new Map(tables.map((t) => [`${t.schema}.${t.name}`, t]));
  const bare = new Map<string, TapTableInfo | null>();
  for (const t of tables) bare.set(t.name, bare.has(t.name) ? null : t);
  return {
    tables,
    table: (schema, name) => (schema === undefined ? (bare.get(name) ?? undefined) : qualified.get(`${schema}.${name}`)),
  };
}
