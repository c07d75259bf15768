/**
 * Loaded catalogue tables (src/catalogue): Catalogue.tables, catalogueTable(id), and a table's
 * rows(first, after, cone, where). A table is visible when its release is (drafts' tables are
 * invisible to anonymous callers, like their records). `where` is checked against the
 * registry's columns and types before any SQL is built: an unknown column, an operator the
 * column's type has no meaning for, or a value of the wrong type is BAD_USER_INPUT naming it.
 */
import DataLoader from 'dataloader';
import type { GqlColumnCondition, GqlResolvers as Resolvers } from '../../__generated__/resolvers-types.js';
import { badInput } from '../../errors.js';
import { catalogueTablesById, catalogueTablesByRecord } from '../../db/queries/catalogue-tables.js';
import { catalogueRowPage, type RowCondition } from '../../db/queries/catalogue-rows.js';
import type { GraphQLContext } from '../context.js';
import { decodeCursor, encodeCursor, parseId } from '../ids.js';
import type { RecordModel } from '../models.js';
import { ifVisible } from '../visibility.js';
import type { CatalogueTableModel } from './catalogue-model.js';
import { cone as coneInput } from './search-input.js';

export const MAX_ROW_PAGE = 1000;
const DEFAULT_ROW_PAGE = 100;

interface Loaders {
  byId: DataLoader<number, CatalogueTableModel | null>;
  byRecord: DataLoader<number, CatalogueTableModel[]>;
}

// Per-request loaders, kept with the request's context (no entry in the shared loader set).
const perRequest = new WeakMap<GraphQLContext, Loaders>();
function loaders(ctx: GraphQLContext): Loaders {
  let l = perRequest.get(ctx);
  if (!l) {
    const pool = ctx.database.pool;
    l = {
      byId: new DataLoader((ids) => catalogueTablesById(pool, ids)),
      byRecord: new DataLoader((ids) => catalogueTablesByRecord(pool, ids)),
    };
    perRequest.set(ctx, l);
  }
  return l;
}

const NUMERIC = new Set(['smallint', 'integer', 'bigint', 'numeric', 'real', 'double precision']);

/**
 * A wrong value, named in its error briefly: `value` is a JSON scalar, and a list or an object
 * there may be nested 100,000 deep (JSON.stringify overflowed the stack: a 500) or megabytes long.
 */
function shown(v: unknown): string {
  if (Array.isArray(v)) return 'a list';
  if (v !== null && typeof v === 'object') return 'an object';
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 80 ? `${text.slice(0, 80)}...` : text;
}

/** The registry-checked form of a `where` list. */
export function checkConditions(table: CatalogueTableModel, where: readonly GqlColumnCondition[]): RowCondition[] {
  return where.map((w, i) => {
    const arg = `where[${i}]`;
    const col = table.columns.find((c) => c.sqlName === w.column) ?? table.columns.find((c) => c.sqlName === w.column.toLowerCase());
    if (!col) throw badInput(`${arg}.column: the table has no column "${w.column}" (its columns: ${table.columns.slice(0, 20).map((c) => c.sqlName).join(', ')}${table.columns.length > 20 ? ', ...' : ''})`, `${arg}.column`);
    const type = col.type;
    const v = w.value;
    if (w.op === 'IS_NULL') {
      if (typeof v !== 'boolean') throw badInput(`${arg}.value: IS_NULL takes true (is null) or false (is not null), got ${shown(v)}`, `${arg}.value`);
      return { column: col.sqlName, type, op: w.op, value: v };
    }
    if (type.endsWith('[]')) throw badInput(`${arg}: column "${col.sqlName}" is an array (${type}); only IS_NULL applies to it`, `${arg}.op`);
    const mismatch = (what: string) => badInput(`${arg}.value: column "${col.sqlName}" is ${type}; ${w.op} needs ${what}, got ${shown(v)}`, `${arg}.value`);
    if (w.op === 'LIKE') {
      if (type !== 'text') throw badInput(`${arg}: LIKE applies to text columns; "${col.sqlName}" is ${type}`, `${arg}.op`);
      if (typeof v !== 'string') throw mismatch('a string pattern');
      return { column: col.sqlName, type, op: w.op, value: v };
    }
    if (type === 'boolean') {
      if (w.op !== 'EQ' && w.op !== 'NE') throw badInput(`${arg}: ${w.op} does not apply to boolean column "${col.sqlName}" (EQ, NE, IS_NULL do)`, `${arg}.op`);
      if (typeof v !== 'boolean') throw mismatch('true or false');
      return { column: col.sqlName, type, op: w.op, value: v };
    }
    if (NUMERIC.has(type)) {
      const integer = type === 'smallint' || type === 'integer' || type === 'bigint' || type === 'numeric';
      const ok = (typeof v === 'number' && Number.isFinite(v) && (!integer || Number.isInteger(v))) || (integer && typeof v === 'string' && /^[+-]?\d{1,30}$/.test(v));
      if (!ok) throw mismatch(integer ? 'an integer (a number, or a decimal string for 64-bit values)' : 'a number');
      // A value outside the column's range is no error: it matches nothing (or everything), so compare in a wider type.
      const wide = type === 'real' ? 'double precision' : integer ? 'numeric' : type;
      return { column: col.sqlName, type: wide, op: w.op, value: typeof v === 'number' ? String(v) : v };
    }
    if (typeof v !== 'string') throw mismatch('a string');
    return { column: col.sqlName, type, op: w.op, value: v };
  });
}

export const catalogueResolvers: Resolvers = {
  Query: {
    catalogueTable: async (_root, { id }, ctx) => ifVisible(ctx, await loaders(ctx).byId.load(parseId(id, 'id'))),
  },
  Catalogue: {
    // The catalogue hangs from a visible record: its tables are visible too.
    tables: (catalogue, _args, ctx) => loaders(ctx).byRecord.load(catalogue.recordId),
  },
  CatalogueTable: {
    record: async (table, _args, ctx) => (await ctx.loaders.recordById.load(table.recordId)) as RecordModel,
    qualifiedName: (table) => `${table.schemaName}.${table.tableName}`,
    columns: (table) =>
      table.columns.map((c) => ({ name: c.sqlName, type: c.type, unit: c.unit, ucd: c.ucd, description: c.description, nullCount: c.nullCount ?? 0, min: c.min ?? null, max: c.max ?? null })),
    rows: async (table, args, ctx) => {
      const first = args.first ?? DEFAULT_ROW_PAGE;
      if (first < 0) throw badInput('first must be 0 or more', 'first');
      if (first > MAX_ROW_PAGE) throw badInput(`first may be at most ${MAX_ROW_PAGE}; page with after: pageInfo.endCursor`, 'first');
      const after = args.after ? decodeCursor(args.after) : 0;
      const conditions = checkConditions(table, args.where ?? []);
      const c = coneInput(args.cone, 'cone');
      if (c && (table.raColumn === null || table.decColumn === null)) {
        throw badInput(`cone: table ${table.schemaName}.${table.tableName} has no RA/Dec columns (name them with the product rule's "raColumn" and "decColumn")`, 'cone');
      }
      const rows = await catalogueRowPage(ctx.database.pool, {
        schema: table.schemaName,
        table: table.tableName,
        wideIntegers: table.columns.filter((col) => col.type === 'bigint' || col.type === 'numeric').map((col) => col.sqlName),
        after,
        limit: first + 1,
        conditions,
        cone: c ? { ...c, raColumn: table.raColumn!, decColumn: table.decColumn! } : null,
      });
      const page = rows.slice(0, first);
      const edges = page.map((r) => ({ cursor: encodeCursor(r.rowId), row: r.row, distance: r.distance }));
      return { edges, pageInfo: { hasNextPage: rows.length > first, endCursor: edges.length ? edges[edges.length - 1].cursor : null } };
    },
  },
};
