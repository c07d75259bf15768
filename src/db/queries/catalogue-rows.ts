/**
 * One page of a loaded catalogue table's rows, one statement: keyset on `_row` (the row's
 * number in the file, the primary key), conditions on columns, and a cone through the table's
 * `_hpx` btree (the cone's HEALPix ranges as literal integers, src/sky coneRanges, as the
 * records search does) plus the exact great-circle distance on the RA/Dec columns.
 *
 * Identifiers come from the registry only (the caller has validated every condition's column
 * against it); values are always bound parameters with an explicit cast to the column's type.
 */
import type pg from 'pg';
import { HPX_COLUMN, quoteIdent, ROW_COLUMN } from '../../catalogue/names.js';
import { coneRanges } from '../../sky/index.js';

export type RowOp = 'EQ' | 'NE' | 'LT' | 'LE' | 'GT' | 'GE' | 'LIKE' | 'IS_NULL';

export interface RowCondition {
  /** SQL name from the registry. */
  column: string;
  /** Scalar type from the registry (the cast of the bound value). */
  type: string;
  op: RowOp;
  value: unknown;
}

export interface RowPageQuery {
  schema: string;
  table: string;
  /** Column SQL names with type bigint or numeric: sent as text in JSON past 2^53. */
  wideIntegers: string[];
  after: number;
  limit: number;
  conditions: RowCondition[];
  cone: { ra: number; dec: number; radius: number; raColumn: string; decColumn: string } | null;
}

export interface RowPageRow {
  rowId: number;
  row: Record<string, unknown>;
  distance: number | null;
}

const OPS: Record<Exclude<RowOp, 'IS_NULL'>, string> = { EQ: '=', NE: '<>', LT: '<', LE: '<=', GT: '>', GE: '>=', LIKE: 'LIKE' };

export async function catalogueRowPage(pool: pg.Pool, q: RowPageQuery): Promise<RowPageRow[]> {
  const values: unknown[] = [];
  const bind = (v: unknown, type: string) => {
    values.push(v);
    return `$${values.length}::${type}`;
  };
  const where = [`t.${quoteIdent(ROW_COLUMN)} > ${bind(q.after, 'bigint')}`];
  for (const c of q.conditions) {
    const col = `t.${quoteIdent(c.column)}`;
    if (c.op === 'IS_NULL') where.push(`${col} IS ${c.value ? '' : 'NOT '}NULL`);
    else where.push(`${col} ${OPS[c.op]} ${bind(c.value, c.op === 'LIKE' ? 'text' : c.type)}`);
  }
  let distance = 'NULL::float8';
  if (q.cone) {
    const ranges = coneRanges(q.cone.ra, q.cone.dec, q.cone.radius);
    const hpx = `t.${quoteIdent(HPX_COLUMN)}`;
    where.push(`(${ranges.map(([a, b]) => (b === a + 1 ? `${hpx} = ${a}` : `(${hpx} >= ${a} AND ${hpx} < ${b})`)).join(' OR ')})`);
    distance = greatCircle(`t.${quoteIdent(q.cone.raColumn)}`, `t.${quoteIdent(q.cone.decColumn)}`, q.cone, bind);
    where.push(`${distance} <= ${bind(q.cone.radius, 'float8')}`);
  }
  // Integers past 2^53 would lose digits as JSON numbers: those (only) become strings.
  const wide = q.wideIntegers.map((c) => {
    const col = `t.${quoteIdent(c)}`;
    return `${bind(c, 'text')}, CASE WHEN abs(${col}) > 9007199254740991 THEN to_jsonb(${col}::text) ELSE to_jsonb(${col}) END`;
  });
  let row = `to_jsonb(t) - ${bind(HPX_COLUMN, 'text')}`;
  for (let i = 0; i < wide.length; i += 50) row += ` || jsonb_build_object(${wide.slice(i, i + 50).join(', ')})`;
  const { rows } = await pool.query(
    `SELECT t.${quoteIdent(ROW_COLUMN)} AS row_id, (${row})::text AS row, ${distance} AS distance
     FROM ${quoteIdent(q.schema)}.${quoteIdent(q.table)} t
     WHERE ${where.join(' AND ')}
     ORDER BY t.${quoteIdent(ROW_COLUMN)}
     LIMIT ${bind(q.limit, 'int')}`,
    values,
  );
  return rows.map((r) => ({ rowId: Number(r.row_id), row: JSON.parse(r.row), distance: r.distance === null ? null : Number(r.distance) }));
}

/**
 * Great-circle distance in degrees (Vincenty's formula, as src/sky/vector.ts writes it; the
 * centre's sine and cosine bound once) from the cone's centre to the row's RA/Dec columns.
 */
export function greatCircle(raCol: string, decCol: string, c: { ra: number; dec: number }, bind: (v: unknown, t: string) => string): string {
  const d1 = (c.dec * Math.PI) / 180;
  const s1 = bind(Math.sin(d1), 'float8');
  const c1 = bind(Math.cos(d1), 'float8');
  const ra = bind(c.ra, 'float8');
  const dec = bind(c.dec, 'float8');
  const c2 = `cos(radians(${decCol}))`;
  const dra = `radians(${raCol} - ${ra})`;
  const ddec = `radians(${decCol} - ${dec})`;
  const versin = `(2 * power(sin(${dra} / 2), 2))`;
  const a = `(${c2} * sin(${dra}))`;
  const b = `(sin(${ddec}) + ${s1} * ${c2} * ${versin})`;
  const cc = `(cos(${ddec}) - ${c1} * ${c2} * ${versin})`;
  return `degrees(atan2(sqrt(${a} * ${a} + ${b} * ${b}), ${cc}))`;
}
