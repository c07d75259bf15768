/**
 * Per-column statistics of a whole FITS table, computed over every row in one streamed pass.
 *
 * What a catalogue user gets in `min` / `max`:
 * - numeric columns (scaled values, arrays flattened): numbers; 64-bit integers beyond
 *   +-(2^53 - 1) as bigint. Nulls (TNULL, NaN) are skipped.
 * - strings: lexicographic by UTF-16 code unit (byte order for FITS ASCII), as numpy's
 *   min/max of a str column; handy for spotting ID ranges and blank entries.
 * - bool: false / true.
 * - bits and complex: null (no useful order).
 * - null when the column has no non-null value.
 * `nullCount` counts null elements: rows for scalar columns, elements for array columns
 * (the flattened numpy count), and P/Q rows whose descriptor was unreadable count once.
 */
import type { ByteSource, FitsIssue, HduInfo } from '../types.js';
import type { TableColumn } from './columns.js';
import { readTableLayout } from './columns.js';
import { checkTableLayout } from './checks.js';
import type { Cell, Scalar } from './rows.js';
import { readRows } from './rows.js';

export type StatValue = number | bigint | string | boolean;

export interface ColumnSummary {
  name: string;
  /**
   * Readable type: int8, uint8, int16, uint16, int32, uint32, int64, uint64, float32, float64,
   * string, bool, bits, complex64, complex128; `array<T>` for array cells (repeat > 1, TDIM,
   * P/Q variable-length arrays).
   */
  type: string;
  unit: string | null;
  nullCount: number;
  min: StatValue | null;
  max: StatValue | null;
  /** TDIM shape of array cells (fastest axis first), when the header gives one. */
  dims?: number[];
  /** True for P/Q (variable-length array) columns. */
  variableLength?: boolean;
}

export interface TableSummary {
  /** Rows decoded: NAXIS2, or fewer when the file is truncated (FITS_TABLE_TRUNCATED). */
  rowCount: number;
  columns: ColumnSummary[];
  issues: FitsIssue[];
}

export interface SummarizeOptions {
  /** Approximate bytes of table data read per chunk; default 1 MiB. */
  chunkBytes?: number;
}

const UNSIGNED_ZERO: Record<string, [number | bigint, string]> = {
  B: [-128, 'int8'],
  I: [32768, 'uint16'],
  J: [2147483648, 'uint32'],
  K: [9223372036854775808n, 'uint64'],
};
const BASE_TYPE: Record<string, string> = {
  L: 'bool', X: 'bits', B: 'uint8', I: 'int16', J: 'int32', K: 'int64', A: 'string',
  E: 'float32', D: 'float64', C: 'complex64', M: 'complex128',
};

/** The readable type of a column's values after scaling (see ColumnSummary.type). */
export function columnType(col: TableColumn): string {
  if (col.kind === 'ascii') {
    if (col.code === 'A') return 'string';
    const scaled = col.scale !== 1 || Number(col.zero) !== 0;
    return col.code === 'I' && !scaled ? 'int64' : 'float64';
  }
  const el = col.element;
  let base = BASE_TYPE[el];
  const zero = col.zero;
  if ('BIJK'.includes(el) && (col.scale !== 1 || zero !== 0)) {
    const u = UNSIGNED_ZERO[el];
    // Only the exact offset with TSCAL = 1 is an integer reinterpretation; anything else scales.
    base = col.scale === 1 && (typeof zero === 'bigint' || Number.isInteger(zero)) && BigInt(zero) === BigInt(u[0]) ? u[1] : 'float64';
  } else if ('ED'.includes(el) && (col.scale !== 1 || zero !== 0)) {
    base = 'float64';
  }
  const vla = col.code === 'P' || col.code === 'Q';
  if (el === 'X') return 'bits';
  if (el === 'A') return !vla && col.dims && col.dims.length >= 2 ? 'array<string>' : 'string';
  return vla || col.repeat !== 1 ? `array<${base}>` : base;
}

/** Running null count and min/max of one column. */
class ColumnStats {
  nullCount = 0;
  min: StatValue | null = null;
  max: StatValue | null = null;
  constructor(private readonly ordered: boolean) {}

  addScalar(v: Scalar): void {
    if (v === null) {
      this.nullCount++;
      return;
    }
    if (!this.ordered || typeof v === 'object') return;
    // number and bigint compare correctly with each other in JS.
    if (this.min === null || v < this.min) this.min = v;
    if (this.max === null || v > this.max) this.max = v;
  }

  add(cell: Cell): void {
    if (Array.isArray(cell)) for (const v of cell) this.addScalar(v);
    else this.addScalar(cell);
  }
}

/** Decodes every row of a BINTABLE/TABLE HDU and summarizes its columns. */
export function summarizeTable(src: ByteSource, hdu: HduInfo, opts: SummarizeOptions = {}): TableSummary {
  const { layout, issues } = readTableLayout(hdu);
  issues.push(...checkTableLayout(hdu, layout));
  const types = layout.columns.map(columnType);
  const stats = types.map((t) => new ColumnStats(!(t === 'bits' || t.includes('complex'))));
  let rowCount = 0;
  // Rows of zero bytes are all alike (every field is empty): decode one and count it NAXIS2
  // times, instead of looping over a NAXIS2 that a header can set to 10^15 for free.
  const alike = layout.rowBytes === 0 && layout.rowCount > 1;
  const readLayout = alike ? { ...layout, rowCount: 1 } : layout;
  for (const batch of readRows(src, hdu, { layout: readLayout, chunkBytes: opts.chunkBytes, onIssue: (i) => issues.push(i) })) {
    for (const row of batch.rows) {
      for (let c = 0; c < row.length; c++) stats[c].add(row[c]);
    }
    rowCount += batch.rows.length;
  }
  if (alike) {
    for (const s of stats) s.nullCount *= layout.rowCount;
    rowCount = layout.rowCount;
  }
  const columns = layout.columns.map((col, i): ColumnSummary => {
    const s: ColumnSummary = {
      name: col.name,
      type: types[i],
      unit: col.unit,
      nullCount: stats[i].nullCount,
      min: stats[i].min,
      max: stats[i].max,
    };
    if (col.kind === 'binary') {
      if (col.dims) s.dims = col.dims;
      if (col.code === 'P' || col.code === 'Q') s.variableLength = true;
    }
    return s;
  });
  return { rowCount, columns, issues };
}
