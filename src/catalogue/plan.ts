/**
 * How each column of a catalogue table becomes a PostgreSQL column (the table's plan), from a
 * FITS header or a CSV's inferred types. Pure: no I/O.
 *
 * FITS BINTABLE (TFORM element code -> type; repeat > 1 and P/Q variable-length arrays -> a
 * one-dimensional array of that type, TDIM shapes flattened in FITS order):
 *   L -> boolean; X -> boolean[] (the bits, most significant first: queryable element by element,
 *   unlike bit varying, and the same in JSON); B, I -> smallint; J -> integer; K -> bigint;
 *   E -> real; D -> double precision; A -> text (text[] with TDIM (w,n,...));
 *   C, M -> two columns `<name>_re`, `<name>_im` (real / double precision): plain numbers that
 *   ADQL and any client can use, where a composite type would need casts.
 * Scaling: TZERO = 2^15 (I), 2^31 (J) with TSCAL = 1 are unsigned integers, widened losslessly
 * to integer / bigint; K with TZERO = 2^63 to numeric; B with TZERO = -128 (signed byte) stays
 * smallint; any other TSCAL/TZERO makes the column double precision (the physical value).
 * TNULL and NaN are NULL (the row iterator's conventions, src/fits/table/rows.ts).
 * ASCII TABLE: Aw -> text; Iw -> integer (w <= 9) or bigint; F/E/D -> double precision.
 * CSV (types as src/catalogue/csv.ts infers them): bool -> boolean, int64 -> bigint,
 * float64 -> double precision, string -> text.
 */
import type { TableColumn } from '../fits/table/columns.js';
import type { HduInfo } from '../fits/types.js';
import { HPX_COLUMN, uniqueColumnNames } from './names.js';

export type PgScalar = 'boolean' | 'smallint' | 'integer' | 'bigint' | 'numeric' | 'real' | 'double precision' | 'text';

/** A column of the loaded table, as the registry lists it (and GraphQL shows it). */
export interface LoadColumn {
  /** The name in the file (TTYPEn, CSV header; `<name>_re`/`_im` for complex parts). */
  name: string;
  /** The column's identifier in SQL (src/catalogue/names.ts). */
  sqlName: string;
  /** PostgreSQL type, e.g. `double precision` or `real[]`. */
  type: string;
  unit: string | null;
  ucd: string | null;
  description: string | null;
}

/** How the encoder fills a column from a decoded row. */
export interface ColumnSource {
  /** Index of the cell in the decoded row. */
  cell: number;
  /** For complex columns: which part. */
  part: 're' | 'im' | null;
  scalar: PgScalar;
  array: boolean;
}

export interface TablePlan {
  /** HDU index; 0 for a CSV. */
  hdu: number;
  /** The name asked for (rule `table`, EXTNAME, or the file's name), before making it safe. */
  baseName: string;
  rowCount: number;
  columns: LoadColumn[];
  sources: ColumnSource[];
  /** Cells holding RA / Dec (degrees) when the table has a sky position, else null. */
  raCell: number | null;
  decCell: number | null;
  raColumn: string | null;
  decColumn: string | null;
  idColumn: string | null;
  /** Findings about the plan (renamed columns, positions not found as asked, ...). */
  notes: PlanNote[];
  /** Set when the table cannot be loaded: why, and the column concerned. */
  rejected: PlanNote | null;
}

export interface PlanNote {
  severity: 'ERROR' | 'WARNING' | 'INFO';
  code: string;
  message: string;
  /** The FITS keyword or CSV column name concerned. */
  keyword: string | null;
}

export interface CatalogueRules {
  table?: string;
  raColumn?: string;
  decColumn?: string;
  idColumn?: string;
}

/**
 * PostgreSQL allows 1,600 columns in a table (fewer when the row does not fit a page). Wider
 * tables are rejected with an issue rather than split: a split table is a join every query
 * has to know about, and no survey table we know of is that wide.
 */
export const MAX_COLUMNS = 1600 - 2; // _row and _hpx

export const LOAD_ISSUE = {
  NOT_LOADED: 'CATALOGUE_NOT_LOADED',
  TOO_MANY_COLUMNS: 'CATALOGUE_TOO_MANY_COLUMNS',
  UNMAPPED_TFORM: 'CATALOGUE_UNMAPPED_TFORM',
  RAGGED: 'CATALOGUE_RAGGED_CSV',
  VALUE_OVERFLOW: 'CATALOGUE_VALUE_OVERFLOW',
  RENAMED_COLUMN: 'CATALOGUE_RENAMED_COLUMN',
  POSITION_COLUMN: 'CATALOGUE_POSITION_COLUMN',
  ID_COLUMN: 'CATALOGUE_ID_COLUMN',
  LOADED: 'CATALOGUE_LOADED',
} as const;

interface RawColumn {
  name: string;
  sources: Array<Omit<ColumnSource, 'cell'>>;
  unit: string | null;
  ucd: string | null;
  description: string | null;
}

const TWO_15 = 32768;
const TWO_31 = 2147483648;
const TWO_63 = 9223372036854775808n;

/** Scalar type of a FITS column's elements, or null (with the reason) when there is none. */
export function fitsScalar(col: TableColumn): PgScalar | 'complex32' | 'complex64' {
  if (col.kind === 'ascii') {
    const plain = col.scale === 1 && Number(col.zero) === 0;
    if (col.code === 'A') return 'text';
    if (col.code === 'I') return plain ? (col.width <= 9 ? 'integer' : 'bigint') : 'double precision';
    return 'double precision';
  }
  const scale = col.scale;
  const zero = col.zero;
  const plain = scale === 1 && Number(zero) === 0;
  switch (col.element) {
    case 'L':
    case 'X':
      return 'boolean';
    case 'A':
      return 'text';
    case 'B':
      return plain || (scale === 1 && zero === -128) ? 'smallint' : 'double precision';
    case 'I':
      return plain ? 'smallint' : scale === 1 && zero === TWO_15 ? 'integer' : 'double precision';
    case 'J':
      return plain ? 'integer' : scale === 1 && zero === TWO_31 ? 'bigint' : 'double precision';
    case 'K':
      if (plain) return 'bigint';
      return scale === 1 && (zero === TWO_63 || (typeof zero === 'number' && zero === Number(TWO_63))) ? 'numeric' : 'double precision';
    case 'E':
      return plain ? 'real' : 'double precision';
    case 'D':
      return 'double precision';
    case 'C':
      return 'complex32';
    case 'M':
      return 'complex64';
  }
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : null;
}

/** The plan of a BINTABLE / TABLE HDU. `columns` are the layout's (readTableLayout). */
export function planFitsTable(hdu: HduInfo, layoutColumns: TableColumn[], tfields: number, rowCount: number, fileBase: string, tableCount: number, rules: CatalogueRules): TablePlan {
  const kw = hdu.keywords;
  const extname = str(kw.get('EXTNAME'));
  const baseName = rules.table ? (tableCount > 1 ? `${rules.table}_${extname ?? hdu.index}` : rules.table) : (extname ?? (tableCount > 1 ? `${fileBase}_${hdu.index}` : fileBase));
  const raw: RawColumn[] = [];
  const notes: PlanNote[] = [];
  let rejected: PlanNote | null = null;
  if (layoutColumns.length < tfields) {
    // readTableLayout stops at the first TFORM it cannot parse (a BINTABLE's later offsets are unknown).
    const missing = Array.from({ length: tfields }, (_, i) => i + 1).find((n) => !layoutColumns.some((c) => c.index === n)) ?? tfields;
    const tform = str(kw.get(`TFORM${missing}`));
    rejected = {
      severity: 'ERROR',
      code: LOAD_ISSUE.UNMAPPED_TFORM,
      message: `column ${missing} (${str(kw.get(`TTYPE${missing}`)) ?? `col${missing}`}): TFORM${missing} = '${tform ?? ''}' has no column type; the table is not loaded`,
      keyword: `TFORM${missing}`,
    };
  }
  for (const col of layoutColumns) {
    const n = col.index;
    const meta = {
      unit: col.unit,
      ucd: str(kw.get(`TUCD${n}`)),
      description: str(kw.get(`TCOMM${n}`)) ?? str(kw.get(`TDESC${n}`)),
    };
    const scalar = fitsScalar(col);
    const array = col.kind === 'binary' && (col.code === 'P' || col.code === 'Q' || col.element === 'X' || (col.element === 'A' ? (col.dims?.length ?? 0) >= 2 : col.repeat !== 1));
    if (scalar === 'complex32' || scalar === 'complex64') {
      const part: PgScalar = scalar === 'complex32' ? 'real' : 'double precision';
      raw.push({ name: `${col.name}_re`, sources: [{ part: 're', scalar: part, array }], ...meta });
      raw.push({ name: `${col.name}_im`, sources: [{ part: 'im', scalar: part, array }], ...meta });
    } else raw.push({ name: col.name, sources: [{ part: null, scalar, array }], ...meta });
  }
  return finishPlan(hdu.index, baseName, rowCount, raw, layoutColumns.map((_c, i) => i), notes, rejected, rules, (name) => `TTYPE${layoutColumns.find((c) => c.name === name)?.index ?? ''}`);
}

/** The plan of a CSV catalogue, from the types csv.ts inferred. */
export function planCsvTable(names: string[], types: string[], rowCount: number, fileBase: string, rules: CatalogueRules): TablePlan {
  const scalarOf: Record<string, PgScalar> = { bool: 'boolean', int64: 'bigint', float64: 'double precision', string: 'text' };
  const raw: RawColumn[] = names.map((name, i) => ({ name, sources: [{ part: null, scalar: scalarOf[types[i]] ?? 'text', array: false }], unit: null, ucd: null, description: null }));
  return finishPlan(0, rules.table ?? fileBase, rowCount, raw, names.map((_, i) => i), [], null, rules, (name) => name);
}

function finishPlan(
  hdu: number,
  baseName: string,
  rowCount: number,
  raw: RawColumn[],
  cellOf: number[],
  notes: PlanNote[],
  rejected: PlanNote | null,
  rules: CatalogueRules,
  keywordOf: (name: string) => string,
): TablePlan {
  if (!rejected && raw.length > MAX_COLUMNS) {
    rejected = {
      severity: 'ERROR',
      code: LOAD_ISSUE.TOO_MANY_COLUMNS,
      message: `the table has ${raw.length} columns; PostgreSQL allows at most ${MAX_COLUMNS} (besides the archive's own) and the archive does not split tables; the table is not loaded`,
      keyword: null,
    };
  }
  const { names, renamed } = uniqueColumnNames(raw.map((c) => c.name));
  for (const r of renamed) {
    notes.push({ severity: 'WARNING', code: LOAD_ISSUE.RENAMED_COLUMN, message: `column ${r.index + 1} '${r.from}' is loaded as "${r.to}" (its name is taken by another column)`, keyword: keywordOf(r.from) });
  }
  const columns: LoadColumn[] = [];
  const sources: ColumnSource[] = [];
  // Complex columns are two raw columns from one cell: walk cells alongside.
  let cellIndex = 0;
  raw.forEach((c, i) => {
    const s = c.sources[0];
    if (s.part === 'im') cellIndex--; // same cell as the _re just before it
    const cell = cellOf[cellIndex++];
    columns.push({ name: c.name, sqlName: names[i], type: `${s.scalar}${s.array ? '[]' : ''}`, unit: c.unit, ucd: c.ucd, description: c.description });
    sources.push({ cell, ...s });
  });
  const ra = findPosition(columns, sources, rules.raColumn, 'pos.eq.ra;meta.main', ['ra', 'raj2000', 'ra_j2000', 'ra_icrs'], 'raColumn', notes);
  const dec = findPosition(columns, sources, rules.decColumn, 'pos.eq.dec;meta.main', ['dec', 'dej2000', 'decj2000', 'dec_j2000', 'de_icrs', 'dec_icrs'], 'decColumn', notes);
  const both = ra !== null && dec !== null;
  let idColumn: string | null = null;
  if (rules.idColumn) {
    const i = columns.findIndex((c) => c.name.toLowerCase() === rules.idColumn!.toLowerCase());
    if (i >= 0 && !sources[i].array) idColumn = columns[i].sqlName;
    else notes.push({ severity: 'WARNING', code: LOAD_ISSUE.ID_COLUMN, message: `idColumn '${rules.idColumn}' is not a scalar column of this table: rows are not linked to sources`, keyword: null });
  }
  if (columns.some((c) => c.sqlName === HPX_COLUMN)) throw new Error('unreachable: reserved column name');
  return {
    hdu,
    baseName,
    rowCount,
    columns,
    sources,
    raCell: both ? sources[ra].cell : null,
    decCell: both ? sources[dec].cell : null,
    raColumn: both ? columns[ra].sqlName : null,
    decColumn: both ? columns[dec].sqlName : null,
    idColumn,
    notes,
    rejected,
  };
}

const NUMERIC: ReadonlySet<PgScalar> = new Set(['smallint', 'integer', 'bigint', 'real', 'double precision']);

/** The column holding RA (or Dec): by rule, else by UCD, else by a usual name; numeric scalars only. */
function findPosition(columns: LoadColumn[], sources: ColumnSource[], rule: string | undefined, ucd: string, names: string[], ruleKey: string, notes: PlanNote[]): number | null {
  const usable = (i: number) => i >= 0 && !sources[i].array && NUMERIC.has(sources[i].scalar);
  if (rule) {
    const i = columns.findIndex((c) => c.name.toLowerCase() === rule.toLowerCase());
    if (usable(i)) return i;
    notes.push({ severity: 'WARNING', code: LOAD_ISSUE.POSITION_COLUMN, message: `${ruleKey} '${rule}' is not a numeric scalar column of this table`, keyword: null });
    return null;
  }
  const byUcd = columns.findIndex((c, i) => c.ucd?.toLowerCase() === ucd && usable(i));
  if (byUcd >= 0) return byUcd;
  for (const n of names) {
    const i = columns.findIndex((c, k) => c.name.toLowerCase() === n && usable(k));
    if (i >= 0) return i;
  }
  return null;
}
