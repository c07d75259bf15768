/**
 * Column descriptions of a FITS table, read from the header keywords (FITS 4.0, sections 7.2
 * and 7.3): TFIELDS, TTYPEn, TFORMn, TUNITn, TSCALn, TZEROn, TNULLn, TDIMn, TDISPn, TBCOLn.
 *
 * Pure header work: nothing here reads data. Problems found while parsing a single keyword
 * (bad TFORM, TDIM not matching the repeat count, TNULL on a float) are returned as issues;
 * checks that need the whole layout (widths, indices above TFIELDS) live in checks.ts.
 */
import type { CardValue, FitsIssue, HduInfo } from '../types.js';
import { TABLE_ISSUE, tableIssue } from './checks.js';

/** BINTABLE data type codes (FITS 4.0 table 18). */
export type BinCode = 'L' | 'X' | 'B' | 'I' | 'J' | 'K' | 'A' | 'E' | 'D' | 'C' | 'M' | 'P' | 'Q';
export type ElementCode = Exclude<BinCode, 'P' | 'Q'>;
/** ASCII TABLE field formats (FITS 4.0 table 15). */
export type AsciiCode = 'A' | 'I' | 'F' | 'E' | 'D';

/** Bytes per element of each BINTABLE code; X is per bit and handled by `binWidth`. */
export const ELEMENT_BYTES: Record<BinCode, number> = {
  L: 1, X: 1, B: 1, I: 2, J: 4, K: 8, A: 1, E: 4, D: 8, C: 8, M: 16, P: 8, Q: 16,
};

interface ColumnCommon {
  /** 1-based column number n, as in TFORMn. */
  index: number;
  /** TTYPEn, or `col<n>` when absent (what astropy shows too). */
  name: string;
  tform: string;
  unit: string | null;
  /** TSCALn, default 1. */
  scale: number;
  /** TZEROn, default 0; a bigint when the header wrote it beyond 2^53 (the uint64 offset). */
  zero: number | bigint;
  disp: string | null;
  /** Byte offset of the field inside a row (ASCII: TBCOLn - 1). */
  offset: number;
  /** Bytes the field takes in a row. */
  width: number;
}

export interface BinColumn extends ColumnCommon {
  kind: 'binary';
  /** Storage code; P/Q for variable-length arrays. */
  code: BinCode;
  /** Element code: same as `code`, or the `t` of `rPt(max)`. */
  element: ElementCode;
  /** Repeat count r (for P/Q: 0 or 1 descriptors). */
  repeat: number;
  /** The `(max)` of a P/Q descriptor, when given. */
  maxLength: number | null;
  /** TNULLn, compared with the stored integer before scaling. */
  tnull: number | bigint | null;
  /** TDIMn shape, fastest axis first; null when absent or unusable. */
  dims: number[] | null;
}

export interface AsciiColumn extends ColumnCommon {
  kind: 'ascii';
  code: AsciiCode;
  /** The `d` of Fw.d / Ew.d / Dw.d (implied decimals when the field has no point). */
  decimals: number;
  /** TNULLn of an ASCII table is the literal field text that means null. */
  tnull: string | null;
}

export type TableColumn = BinColumn | AsciiColumn;

export interface TableLayout {
  type: 'BINTABLE' | 'TABLE';
  /** NAXIS1: bytes per row. */
  rowBytes: number;
  /** NAXIS2: number of rows. */
  rowCount: number;
  tfields: number;
  /** Columns that parsed, in n order (a column with an unusable TFORM is left out). */
  columns: TableColumn[];
  /** Byte offset of the heap from the start of the data (THEAP, default NAXIS1*NAXIS2). */
  heapOffset: number;
  /** End of the heap, from the start of the data: NAXIS1*NAXIS2 + PCOUNT. */
  heapEnd: number;
}

function num(v: CardValue | undefined): number | null {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  return null;
}

function str(v: CardValue | undefined): string | null {
  if (typeof v !== 'string') return null;
  const t = v.trim();
  return t === '' ? null : t;
}

/** Width in bytes of `repeat` elements of `code` in a row. */
export function binWidth(code: BinCode, repeat: number): number {
  return code === 'X' ? Math.ceil(repeat / 8) : repeat * ELEMENT_BYTES[code];
}

export interface ParsedBinForm {
  code: BinCode;
  element: ElementCode;
  repeat: number;
  maxLength: number | null;
}

// rTa: characters after the code are reserved for conventions (e.g. 20A10), so they are allowed.
const BIN_FORM = /^(\d*)([LXBIJKAEDCM])(.*)$/;
const VLA_FORM = /^(\d*)([PQ])([LXBIJKAEDCM])(?:\((\d*)\))?\s*$/;

/** Parses a BINTABLE TFORM value; null when it is not a valid form. */
export function parseBinForm(tform: string): ParsedBinForm | null {
  const t = tform.trim().toUpperCase();
  const v = VLA_FORM.exec(t);
  if (v) {
    const repeat = v[1] === '' ? 1 : Number(v[1]);
    if (repeat > 1) return null; // a P/Q field holds at most one descriptor
    return {
      code: v[2] as BinCode,
      element: v[3] as ElementCode,
      repeat,
      maxLength: v[4] ? Number(v[4]) : null,
    };
  }
  if (/^\d*[PQ]/.test(t)) return null;
  const m = BIN_FORM.exec(t);
  if (!m) return null;
  const code = m[2] as ElementCode;
  return { code, element: code, repeat: m[1] === '' ? 1 : Number(m[1]), maxLength: null };
}

export interface ParsedAsciiForm {
  code: AsciiCode;
  width: number;
  decimals: number;
}

const ASCII_FORM = /^([AIFED])(\d+)(?:\.(\d+))?$/;

/** Parses an ASCII TABLE TFORM (Aw, Iw, Fw.d, Ew.d, Dw.d); null when invalid. */
export function parseAsciiForm(tform: string): ParsedAsciiForm | null {
  const m = ASCII_FORM.exec(tform.trim().toUpperCase());
  if (!m) return null;
  const code = m[1] as AsciiCode;
  const width = Number(m[2]);
  if (width <= 0) return null;
  // A and I have no decimals; F/E/D without `.d` are accepted (d = 0) as astropy does.
  if ((code === 'A' || code === 'I') && m[3] !== undefined) return null;
  return { code, width, decimals: m[3] === undefined ? 0 : Number(m[3]) };
}

/** Parses a TDIM value such as "(3,2)"; null when malformed. */
export function parseTdim(tdim: string): number[] | null {
  const m = /^\(\s*(\d+(?:\s*,\s*\d+)*)\s*\)$/.exec(tdim.trim());
  if (!m) return null;
  return m[1].split(',').map((s) => Number(s.trim()));
}

const INTEGER_ELEMENTS = new Set<ElementCode>(['B', 'I', 'J', 'K']);

export interface LayoutResult {
  layout: TableLayout;
  issues: FitsIssue[];
}

/**
 * TFIELDS when legal (an integer from 0 to 999). An illegal one (FITS_BAD_VALUE, from the
 * mandatory checks) is replaced by the highest TFORMn present: TFIELDS = 2^31 - 1 in an ASCII
 * table, whose columns are laid out independently, was a loop of 2^31 missing-TFORM issues.
 */
function columnCount(kw: ReadonlyMap<string, CardValue>): number {
  const t = kw.get('TFIELDS');
  if (typeof t === 'number' && Number.isInteger(t) && t >= 0 && t <= 999) return t;
  let n = 0;
  for (const key of kw.keys()) {
    const m = /^TFORM(\d+)$/.exec(key);
    if (m && Number(m[1]) <= 999) n = Math.max(n, Number(m[1]));
  }
  return n;
}

/** Reads the column descriptions of a BINTABLE or TABLE HDU. */
export function readTableLayout(hdu: HduInfo): LayoutResult {
  const kw = hdu.keywords;
  const type = hdu.type.trim().toUpperCase() === 'TABLE' ? 'TABLE' : 'BINTABLE';
  const rowBytes = hdu.naxis[0] ?? num(kw.get('NAXIS1')) ?? 0;
  const rowCount = hdu.naxis[1] ?? num(kw.get('NAXIS2')) ?? 0;
  const tfields = columnCount(kw);
  const pcount = num(kw.get('PCOUNT')) ?? 0;
  const issues: FitsIssue[] = [];
  const columns: TableColumn[] = [];

  let offset = 0; // BINTABLE fields are packed in n order
  for (let n = 1; n <= tfields; n++) {
    const tform = str(kw.get(`TFORM${n}`));
    const name = str(kw.get(`TTYPE${n}`)) ?? `col${n}`;
    const label = `column ${n} (${name})`;
    if (tform === null) {
      issues.push(tableIssue('ERROR', TABLE_ISSUE.BAD_TFORM, hdu, `TFORM${n}`, `${label}: TFORM${n} is missing`));
      // BINTABLE fields are packed: without this width the later offsets are unknown.
      if (type === 'BINTABLE') break;
      continue;
    }
    const zeroCard = kw.get(`TZERO${n}`);
    const common = {
      index: n,
      name,
      tform,
      unit: str(kw.get(`TUNIT${n}`)),
      scale: num(kw.get(`TSCAL${n}`)) ?? 1,
      zero: typeof zeroCard === 'bigint' ? zeroCard : (num(zeroCard) ?? 0),
      disp: str(kw.get(`TDISP${n}`)),
    };

    if (type === 'BINTABLE') {
      const form = parseBinForm(tform);
      if (!form) {
        issues.push(
          tableIssue('ERROR', TABLE_ISSUE.BAD_TFORM, hdu, `TFORM${n}`, `${label}: TFORM${n} = '${tform}' is not a valid BINTABLE format`),
        );
        // Without a width every later offset is unknown: stop laying out columns.
        break;
      }
      const width = binWidth(form.code, form.repeat);
      const tnullCard = kw.get(`TNULL${n}`);
      let tnull: number | bigint | null = null;
      if (tnullCard !== undefined && tnullCard !== null) {
        if (INTEGER_ELEMENTS.has(form.element) && (typeof tnullCard === 'number' || typeof tnullCard === 'bigint')) {
          tnull = tnullCard;
        } else {
          issues.push(
            tableIssue(
              'WARNING',
              TABLE_ISSUE.TNULL_NOT_ALLOWED,
              hdu,
              `TNULL${n}`,
              `${label}: TNULL${n} is only allowed on integer columns (B, I, J, K), not TFORM${n} = '${tform}'; ` +
                'floating-point nulls are NaN',
            ),
          );
        }
      }
      let dims: number[] | null = null;
      const tdim = kw.get(`TDIM${n}`);
      if (tdim !== undefined && tdim !== null) {
        const parsed = typeof tdim === 'string' ? parseTdim(tdim) : null;
        const product = parsed ? parsed.reduce((a, b) => a * b, 1) : NaN;
        // For P/Q the shape describes the array in the heap, whose length varies per row.
        if (parsed && (form.code === 'P' || form.code === 'Q' || product === form.repeat)) {
          dims = parsed;
        } else {
          issues.push(
            tableIssue(
              'ERROR',
              TABLE_ISSUE.TDIM_MISMATCH,
              hdu,
              `TDIM${n}`,
              parsed
                ? `${label}: TDIM${n} = '${String(tdim)}' describes ${product} elements but TFORM${n} = '${tform}' holds ${form.repeat}`
                : `${label}: TDIM${n} = '${String(tdim)}' is not of the form (l,m,...)`,
            ),
          );
        }
      }
      columns.push({ kind: 'binary', ...common, ...form, tnull, dims, offset, width });
      offset += width;
    } else {
      const form = parseAsciiForm(tform);
      if (!form) {
        issues.push(
          tableIssue('ERROR', TABLE_ISSUE.BAD_TFORM, hdu, `TFORM${n}`, `${label}: TFORM${n} = '${tform}' is not a valid ASCII table format`),
        );
        continue;
      }
      const tbcol = num(kw.get(`TBCOL${n}`));
      if (tbcol === null || !Number.isInteger(tbcol) || tbcol < 1) {
        issues.push(
          tableIssue('ERROR', TABLE_ISSUE.BAD_TFORM, hdu, `TBCOL${n}`, `${label}: TBCOL${n} is missing or not a positive integer`),
        );
        continue;
      }
      const tnull = kw.get(`TNULL${n}`);
      columns.push({
        kind: 'ascii',
        ...common,
        code: form.code,
        decimals: form.decimals,
        tnull: tnull === undefined || tnull === null ? null : String(tnull).trim(),
        offset: tbcol - 1,
        width: form.width,
      });
    }
  }

  const mainBytes = rowBytes * rowCount;
  const theap = num(kw.get('THEAP'));
  return {
    layout: {
      type,
      rowBytes,
      rowCount,
      tfields,
      columns,
      heapOffset: theap ?? mainBytes,
      heapEnd: mainBytes + pcount,
    },
    issues,
  };
}
