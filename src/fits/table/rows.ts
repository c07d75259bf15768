/**
 * Streamed row decoding of BINTABLE and ASCII TABLE data.
 *
 * `readRows` is a generator: it reads the main table a chunk of whole rows at a time (about
 * `chunkBytes`, 1 MiB by default) and yields each chunk's rows decoded, so a catalogue of
 * millions of rows never sits in memory. Variable-length arrays are read from the heap
 * through a small sliding window (HeapReader), also bounded by the chunk size unless a
 * single array is larger than that.
 *
 * Value conventions (what a catalogue user gets; astropy's meaning, JSON-friendly):
 * - integers: TNULL (compared with the stored value) -> null; then TSCAL/TZERO. The usual
 *   unsigned offsets (TZERO = 2^15, 2^31, 2^63 with TSCAL = 1) give exact unsigned values.
 *   64-bit values are numbers when within +-(2^53 - 1), bigints otherwise.
 * - floats: NaN -> null (FITS floating-point null); TSCAL/TZERO applied.
 * - L: 'T' -> true, 'F' -> false, anything else (0 = undefined) -> null.
 * - X: boolean[] of the r bits, most significant bit first.
 * - A: string up to the first NUL, trailing blanks dropped; with TDIM (w,n,...) an array of
 *   strings of width w.
 * - C/M: {re, im}; NaN in either part -> null. TSCAL/TZERO are not applied to complex.
 * - repeat != 1 (and P/Q): a flat array; the column's `dims` gives the shape.
 * - ASCII TABLE: blank numeric field or TNULL text -> null; D exponents; implied decimals.
 */
import type { ByteSource, ComplexValue, FitsIssue, HduInfo } from '../types.js';
import type { AsciiColumn, BinColumn, ElementCode, TableColumn, TableLayout } from './columns.js';
import { ELEMENT_BYTES, readTableLayout } from './columns.js';
import { TABLE_ISSUE, tableIssue } from './checks.js';

export type Scalar = number | bigint | string | boolean | ComplexValue | null;
export type Cell = Scalar | Scalar[];
/** One decoded row: cells in the order of `layout.columns`. */
export type Row = Cell[];

export interface RowBatch {
  /** 0-based index of the batch's first row. */
  firstRow: number;
  rows: Row[];
}

export interface ReadRowsOptions {
  /** Approximate bytes of main-table data read per chunk; default 1 MiB. */
  chunkBytes?: number;
  /** A layout already read with readTableLayout (saves parsing the header again). */
  layout?: TableLayout;
  /**
   * Receives data-level findings (heap bounds, bad ASCII fields, truncation). They are
   * tallied per column and reported once each, with a count, when the generator finishes
   * (or is closed early).
   */
  onIssue?: (issue: FitsIssue) => void;
}

export const DEFAULT_CHUNK_BYTES = 1 << 20;
const TWO_POW_32 = 4294967296;
const UINT64_ZERO = 9223372036854775808n;

/** Counts data-level problems per (code, column) so millions of bad rows make one issue. */
class IssueTally {
  private readonly seen = new Map<string, { count: number; firstRow: number; col: TableColumn; keyword: string; what: string }>();
  constructor(private readonly hdu: HduInfo) {}

  note(code: string, col: TableColumn, keyword: string, row: number, what: string): void {
    const key = `${code}\u0000${col.index}`;
    const entry = this.seen.get(key);
    if (entry) entry.count++;
    else this.seen.set(key, { count: 1, firstRow: row, col, keyword, what });
  }

  flush(onIssue: ((i: FitsIssue) => void) | undefined): void {
    if (!onIssue) return;
    for (const [key, e] of this.seen) {
      const code = key.slice(0, key.indexOf('\u0000'));
      onIssue(
        tableIssue(
          'ERROR',
          code,
          this.hdu,
          e.keyword,
          `column ${e.col.index} (${e.col.name}): ${e.what} in ${e.count} row(s), first at row ${e.firstRow + 1}; read as null`,
        ),
      );
    }
    this.seen.clear();
  }
}

/**
 * A window over the heap. P/Q descriptors of neighbouring rows usually point at neighbouring
 * heap bytes, so one read serves many rows; a miss moves the window to the requested offset.
 */
class HeapReader {
  private start = 0;
  private bytes: Uint8Array = new Uint8Array(0);
  private view: DataView = new DataView(this.bytes.buffer);

  constructor(
    private readonly src: ByteSource,
    /** Absolute file offset of heap byte 0. */
    private readonly base: number,
    private readonly windowBytes: number,
  ) {}

  /** View and position of heap bytes [offset, offset + length); null when the file is short. */
  get(offset: number, length: number): { view: DataView; bytes: Uint8Array; pos: number } | null {
    if (offset < this.start || offset + length > this.start + this.bytes.length) {
      const bytes = this.src.read(this.base + offset, Math.max(length, this.windowBytes));
      if (bytes.length < length) return null;
      this.start = offset;
      this.bytes = bytes;
      this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    }
    return { view: this.view, bytes: this.bytes, pos: offset - this.start };
  }
}

type ElementDecoder = (view: DataView, pos: number) => Scalar;

/** Decoder of one element of `code`, with TNULL, scaling and NaN handling folded in. */
function elementDecoder(col: BinColumn, code: ElementCode): ElementDecoder {
  const scale = col.scale;
  const zeroNum = Number(col.zero);
  const scaled = scale !== 1 || zeroNum !== 0;
  const tnull = col.tnull === null ? null : Number(col.tnull);
  const intValue = (raw: number): Scalar => (raw === tnull ? null : scaled ? raw * scale + zeroNum : raw);
  switch (code) {
    case 'B':
      return (v, p) => intValue(v.getUint8(p));
    case 'I':
      return (v, p) => intValue(v.getInt16(p));
    case 'J':
      return (v, p) => intValue(v.getInt32(p));
    case 'K': {
      // A TNULL or TZERO that is not an integer (1.5) has no exact bigint: it matches no K value.
      const tnullBig = col.tnull === null || !isWhole(col.tnull) ? null : BigInt(col.tnull);
      const unsigned = scale === 1 && isWhole(col.zero) && BigInt(col.zero) === UINT64_ZERO;
      return (v, p) => {
        if (tnullBig !== null && v.getBigInt64(p) === tnullBig) return null;
        if (unsigned) {
          // uint64 convention: adding 2^63 to the signed value is the unsigned reading.
          const hi = (v.getUint32(p) ^ 0x80000000) >>> 0;
          if (hi < 0x200000) return hi * TWO_POW_32 + v.getUint32(p + 4);
          return BigInt.asUintN(64, v.getBigInt64(p) + UINT64_ZERO);
        }
        const hi = v.getInt32(p);
        // |hi| < 2^21 keeps hi * 2^32 + lo within 2^53: exact as a number, no bigint cost.
        const raw = hi >= -0x200000 && hi < 0x200000 ? hi * TWO_POW_32 + v.getUint32(p + 4) : null;
        if (scaled) return (raw ?? Number(v.getBigInt64(p))) * scale + zeroNum;
        if (raw !== null) return raw;
        const big = v.getBigInt64(p);
        return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
      };
    }
    case 'E':
      return (v, p) => {
        const x = v.getFloat32(p);
        return Number.isNaN(x) ? null : scaled ? x * scale + zeroNum : x;
      };
    case 'D':
      return (v, p) => {
        const x = v.getFloat64(p);
        return Number.isNaN(x) ? null : scaled ? x * scale + zeroNum : x;
      };
    case 'C':
      return (v, p) => complex(v.getFloat32(p), v.getFloat32(p + 4));
    case 'M':
      return (v, p) => complex(v.getFloat64(p), v.getFloat64(p + 8));
    case 'L':
      return (v, p) => logical(v.getUint8(p));
    case 'A':
    case 'X':
      // Strings and bits are decoded as whole fields (decodeString / decodeBits).
      return (v, p) => v.getUint8(p);
  }
}

function isWhole(v: number | bigint): boolean {
  return typeof v === 'bigint' || Number.isInteger(v);
}

function complex(re: number, im: number): ComplexValue | null {
  return Number.isNaN(re) || Number.isNaN(im) ? null : { re, im };
}

function logical(b: number): boolean | null {
  return b === 0x54 ? true : b === 0x46 ? false : null;
}

/** Characters up to the first NUL, trailing blanks dropped (FITS 7.3.3.1). */
export function decodeString(bytes: Uint8Array, start: number, length: number): string {
  let end = start;
  const limit = start + length;
  while (end < limit && bytes[end] !== 0) end++;
  while (end > start && bytes[end - 1] === 0x20) end--;
  let s = '';
  for (let i = start; i < end; i++) s += String.fromCharCode(bytes[i]);
  return s;
}

function decodeBits(bytes: Uint8Array, start: number, count: number): boolean[] {
  const out = new Array<boolean>(count);
  for (let i = 0; i < count; i++) out[i] = (bytes[start + (i >> 3)] & (0x80 >> (i & 7))) !== 0;
  return out;
}

type CellDecoder = (view: DataView, bytes: Uint8Array, rowPos: number, row: number) => Cell;

/** Decodes `count` elements of `code` starting at `pos` (shared by fixed fields and the heap). */
function arrayDecoder(col: BinColumn, code: ElementCode): (view: DataView, bytes: Uint8Array, pos: number, count: number) => Cell {
  if (code === 'A') {
    const w = col.dims && col.dims.length >= 2 && col.code !== 'P' && col.code !== 'Q' ? col.dims[0] : 0;
    if (w > 0) {
      return (_v, b, pos, count) => {
        const out: string[] = [];
        for (let i = 0; i + w <= count; i += w) out.push(decodeString(b, pos + i, w));
        return out;
      };
    }
    return (_v, b, pos, count) => decodeString(b, pos, count);
  }
  if (code === 'X') return (_v, b, pos, count) => decodeBits(b, pos, count);
  const el = elementDecoder(col, code);
  const size = ELEMENT_BYTES[code];
  return (v, _b, pos, count) => {
    const out = new Array<Scalar>(count);
    for (let i = 0; i < count; i++) out[i] = el(v, pos + i * size);
    return out;
  };
}

function binCellDecoder(col: BinColumn, heap: HeapReader, heapSize: number, tally: IssueTally): CellDecoder {
  const off = col.offset;
  if (col.code === 'P' || col.code === 'Q') {
    if (col.repeat === 0) return () => null;
    const decode = arrayDecoder(col, col.element);
    const isQ = col.code === 'Q';
    const size = ELEMENT_BYTES[col.element];
    return (view, _b, rowPos, row) => {
      const p = rowPos + off;
      const count = isQ ? Number(view.getBigUint64(p)) : view.getUint32(p);
      const heapPos = isQ ? Number(view.getBigUint64(p + 8)) : view.getUint32(p + 4);
      const nbytes = col.element === 'X' ? Math.ceil(count / 8) : count * size;
      if (heapPos + nbytes > heapSize) {
        tally.note(TABLE_ISSUE.HEAP_BOUNDS, col, `TFORM${col.index}`, row,
          `descriptor (${count} elements at heap offset ${heapPos}) points outside the ${heapSize}-byte heap`);
        return null;
      }
      if (count === 0) return decode(view, _b, 0, 0);
      const at = heap.get(heapPos, nbytes);
      if (!at) {
        tally.note(TABLE_ISSUE.TABLE_TRUNCATED, col, `TFORM${col.index}`, row, 'heap data past the end of the file');
        return null;
      }
      return decode(at.view, at.bytes, at.pos, count);
    };
  }
  if (col.repeat === 0) return col.code === 'A' ? () => '' : () => [];
  if (col.code === 'A' || col.code === 'X' || col.repeat !== 1) {
    const decode = arrayDecoder(col, col.code);
    const count = col.repeat;
    return (view, bytes, rowPos) => decode(view, bytes, rowPos + off, count);
  }
  const el = elementDecoder(col, col.code);
  return (view, _b, rowPos) => el(view, rowPos + off);
}

// Fortran-style numbers: optional sign, digits with an optional point, optional E/D exponent.
const ASCII_INT = /^[+-]?\d+$/;
const ASCII_REAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[EeDd]([+-]?\d+))?$/;

function asciiCellDecoder(col: AsciiColumn, tally: IssueTally): CellDecoder {
  const { offset: off, width, decimals, scale, tnull } = col;
  const zero = Number(col.zero);
  const scaled = scale !== 1 || zero !== 0;
  if (col.code === 'A') {
    return (_v, bytes, rowPos) => {
      const s = decodeString(bytes, rowPos + off, width);
      return tnull !== null && s.trim() === tnull ? null : s;
    };
  }
  const isInt = col.code === 'I';
  return (_v, bytes, rowPos, row) => {
    const text = decodeString(bytes, rowPos + off, width).trim();
    if (text === '' || (tnull !== null && text === tnull)) return null;
    let value: number;
    if (isInt) {
      if (!ASCII_INT.test(text)) return bad(row, text);
      value = Number(text);
    } else {
      const m = ASCII_REAL.exec(text);
      if (!m || (m[2] === '' && (m[3] ?? '') === '')) return bad(row, text);
      if (m[3] === undefined && decimals > 0) {
        // No decimal point: the rightmost `d` digits are the fraction (FITS 7.2.5).
        value = (Number(m[1] + m[2]) / 10 ** decimals) * 10 ** Number(m[4] ?? 0);
      } else {
        value = Number(`${m[1]}${m[2] || '0'}.${m[3] ?? ''}e${m[4] ?? '0'}`);
      }
    }
    return scaled ? value * scale + zero : value;
  };
  function bad(row: number, text: string): null {
    tally.note(TABLE_ISSUE.ASCII_FIELD, col, `TFORM${col.index}`, row,
      `field text '${text}' does not match TFORM${col.index} = '${col.tform}'`);
    return null;
  }
}

const outsideRow: CellDecoder = () => null;

/**
 * Yields the table's rows in batches of whole chunks, in order. The generator holds one
 * chunk of raw rows and its decoded batch at a time; consumers should not keep batches.
 */
export function* readRows(src: ByteSource, hdu: HduInfo, opts: ReadRowsOptions = {}): Generator<RowBatch, void, undefined> {
  const layout = opts.layout ?? readTableLayout(hdu).layout;
  const chunkBytes = Math.max(1, opts.chunkBytes ?? DEFAULT_CHUNK_BYTES);
  const tally = new IssueTally(hdu);
  const heap = new HeapReader(src, hdu.dataStart + layout.heapOffset, Math.min(chunkBytes, DEFAULT_CHUNK_BYTES));
  const heapSize = Math.max(0, layout.heapEnd - layout.heapOffset);
  const { rowBytes, rowCount } = layout;
  // A field that runs past NAXIS1 (FITS_TFORM_WIDTH, reported by checkTableLayout) is read as
  // null: decoding it would read outside the row, past the end of the last one.
  const decoders = layout.columns.map((c) =>
    c.offset + c.width > rowBytes
      ? outsideRow
      : c.kind === 'binary'
        ? binCellDecoder(c, heap, heapSize, tally)
        : asciiCellDecoder(c, tally),
  );
  const ncols = decoders.length;
  const rowsPerChunk = rowBytes > 0 ? Math.max(1, Math.floor(chunkBytes / rowBytes)) : 65536;

  try {
    for (let first = 0; first < rowCount; first += rowsPerChunk) {
      const n = Math.min(rowsPerChunk, rowCount - first);
      let have = n;
      let bytes: Uint8Array = new Uint8Array(0);
      if (rowBytes > 0) {
        bytes = src.read(hdu.dataStart + first * rowBytes, n * rowBytes);
        have = Math.floor(bytes.length / rowBytes);
      }
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const rows: Row[] = new Array(have);
      for (let r = 0; r < have; r++) {
        const row: Row = new Array(ncols);
        const pos = r * rowBytes;
        for (let c = 0; c < ncols; c++) row[c] = decoders[c](view, bytes, pos, first + r);
        rows[r] = row;
      }
      if (have > 0) yield { firstRow: first, rows };
      if (have < n) {
        opts.onIssue?.(
          tableIssue('ERROR', TABLE_ISSUE.TABLE_TRUNCATED, hdu, 'NAXIS2',
            `the file ends after ${first + have} of NAXIS2 = ${rowCount} rows; the rest are not decoded`),
        );
        return;
      }
    }
  } finally {
    tally.flush(opts.onIssue);
  }
}

/** Row-at-a-time convenience over `readRows`. */
export function* iterateRows(src: ByteSource, hdu: HduInfo, opts: ReadRowsOptions = {}): Generator<Row, void, undefined> {
  for (const batch of readRows(src, hdu, opts)) yield* batch.rows;
}
