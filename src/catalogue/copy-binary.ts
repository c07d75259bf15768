/**
 * PostgreSQL's binary COPY format (https://www.postgresql.org/docs/current/sql-copy.html,
 * "Binary Format"), written into ~1 MiB chunks: a header, then per row a 16-bit field count and
 * per field a 32-bit length (-1 for NULL) and the value in the type's binary send format
 * (big-endian, like FITS). Arrays are one-dimensional, lower bound 1.
 *
 * A value that does not fit its column's type (an integer past bigint in a CSV, a number in a
 * smallint column past 32767) throws a LoadProblem naming the column and row: the load stops
 * and the table is not swapped in.
 */
import type { ColumnSource, PgScalar } from './plan.js';

export class LoadProblem extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** The column's name in the file, when one is concerned. */
    readonly column: string | null,
  ) {
    super(message);
  }
}

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');

/** Element type OIDs for array headers. */
const OID: Record<PgScalar, number> = { boolean: 16, smallint: 21, integer: 23, bigint: 20, numeric: 1700, real: 700, 'double precision': 701, text: 25 };

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

export class CopyWriter {
  buf: Buffer;
  /** `buf` as a DataView (big-endian by default, as COPY wants): V8 compiles its accessors inline. */
  view: DataView;
  pos = 0;

  constructor(private readonly chunkBytes = 1 << 20) {
    this.buf = Buffer.allocUnsafeSlow(chunkBytes + 65536);
    this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
  }

  /**
   * Bytes written since the last take(), in a buffer of their own (transferable to another
   * thread): the one written, handed over whole, and a fresh one for what follows, rather
   * than a copy of each chunk (2 GB of copying for a GALAH-shaped table).
   */
  take(): Uint8Array {
    const out = new Uint8Array(this.buf.buffer, this.buf.byteOffset, this.pos);
    this.buf = Buffer.allocUnsafeSlow(this.chunkBytes + 65536);
    this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
    this.pos = 0;
    return out;
  }

  get full(): boolean {
    return this.pos >= this.chunkBytes;
  }

  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.allocUnsafeSlow(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
    this.view = new DataView(next.buffer, next.byteOffset, next.byteLength);
  }

  header(): void {
    this.ensure(19);
    SIGNATURE.copy(this.buf, this.pos);
    this.pos += 11;
    this.buf.writeInt32BE(0, this.pos);
    this.buf.writeInt32BE(0, this.pos + 4);
    this.pos += 8;
  }

  trailer(): void {
    this.int16(-1);
  }

  int16(v: number): void {
    this.ensure(2);
    this.buf.writeInt16BE(v, this.pos);
    this.pos += 2;
  }

  int32(v: number): void {
    this.ensure(4);
    this.buf.writeInt32BE(v, this.pos);
    this.pos += 4;
  }

  nullField(): void {
    this.int32(-1);
  }
}

/** Writes one value of `scalar` with its length prefix; false when the value is not of the type. */
export type ValueWriter = (w: CopyWriter, v: unknown) => boolean;

function int8(w: CopyWriter, v: unknown): boolean {
  if (typeof v === 'number') {
    if (!Number.isInteger(v) || Math.abs(v) > Number.MAX_SAFE_INTEGER) {
      if (!Number.isInteger(v) || v < -9223372036854775808 || v >= 9223372036854775808) return false;
      v = BigInt(v);
    } else {
      w.ensure(12);
      w.buf.writeInt32BE(8, w.pos);
      const hi = Math.floor(v / 4294967296);
      w.buf.writeInt32BE(hi, w.pos + 4);
      w.buf.writeUInt32BE(v - hi * 4294967296, w.pos + 8);
      w.pos += 12;
      return true;
    }
  }
  if (typeof v !== 'bigint' || v < INT64_MIN || v > INT64_MAX) return false;
  w.ensure(12);
  w.buf.writeInt32BE(8, w.pos);
  w.buf.writeBigInt64BE(v, w.pos + 4);
  w.pos += 12;
  return true;
}

/** numeric send format for a whole number (the uint64 columns): base-10000 digits. */
function numeric(w: CopyWriter, v: unknown): boolean {
  if (typeof v !== 'number' && typeof v !== 'bigint') return false;
  if (typeof v === 'number' && !Number.isInteger(v)) return false;
  let n = BigInt(v);
  const negative = n < 0n;
  if (negative) n = -n;
  const digits: number[] = [];
  while (n > 0n) {
    digits.unshift(Number(n % 10000n));
    n /= 10000n;
  }
  // Trailing zero digits are left out (the weight keeps the magnitude).
  const weight = digits.length - 1;
  while (digits.length && digits[digits.length - 1] === 0) digits.pop();
  w.ensure(12 + 2 * digits.length);
  w.int32(8 + 2 * digits.length);
  w.int16(digits.length);
  w.int16(digits.length ? weight : 0);
  w.int16(negative ? 0x4000 : 0);
  w.int16(0);
  for (const d of digits) w.int16(d);
  return true;
}

export const VALUE_WRITERS: Record<PgScalar, ValueWriter> = {
  boolean: (w, v) => {
    if (typeof v !== 'boolean') return false;
    w.ensure(5);
    w.buf.writeInt32BE(1, w.pos);
    w.buf[w.pos + 4] = v ? 1 : 0;
    w.pos += 5;
    return true;
  },
  smallint: (w, v) => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < -32768 || v > 32767) return false;
    w.ensure(6);
    w.buf.writeInt32BE(2, w.pos);
    w.buf.writeInt16BE(v, w.pos + 4);
    w.pos += 6;
    return true;
  },
  integer: (w, v) => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < -2147483648 || v > 2147483647) return false;
    w.ensure(8);
    w.buf.writeInt32BE(4, w.pos);
    w.buf.writeInt32BE(v, w.pos + 4);
    w.pos += 8;
    return true;
  },
  bigint: int8,
  numeric,
  real: (w, v) => {
    if (typeof v !== 'number') return false;
    w.ensure(8);
    w.buf.writeInt32BE(4, w.pos);
    w.buf.writeFloatBE(v, w.pos + 4);
    w.pos += 8;
    return true;
  },
  'double precision': (w, v) => {
    if (typeof v !== 'number') return false;
    w.ensure(12);
    w.buf.writeInt32BE(8, w.pos);
    w.buf.writeDoubleBE(v, w.pos + 4);
    w.pos += 12;
    return true;
  },
  text: (w, v) => {
    const s = typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'bigint' ? String(v) : null;
    if (s === null || s.includes('\0')) return false;
    const max = s.length * 3;
    w.ensure(4 + max);
    const n = w.buf.write(s, w.pos + 4, 'utf8');
    w.buf.writeInt32BE(n, w.pos);
    w.pos += 4 + n;
    return true;
  },
};

/** Writes an array field: header, then each element (null elements as -1). */
function writeArray(w: CopyWriter, scalar: PgScalar, values: readonly unknown[], pick: (v: unknown) => unknown): boolean {
  const lengthAt = w.pos;
  w.int32(0); // the field's length, filled in below
  const start = w.pos;
  const hasNull = values.some((v) => pick(v) === null || pick(v) === undefined);
  if (values.length === 0) {
    w.int32(0);
    w.int32(0);
    w.int32(OID[scalar]);
  } else {
    w.int32(1);
    w.int32(hasNull ? 1 : 0);
    w.int32(OID[scalar]);
    w.int32(values.length);
    w.int32(1);
    const write = VALUE_WRITERS[scalar];
    for (const raw of values) {
      const v = pick(raw);
      if (v === null || v === undefined) w.nullField();
      else if (!write(w, v)) return false;
    }
  }
  w.buf.writeInt32BE(w.pos - start, lengthAt);
  return true;
}

const whole = (v: unknown) => v;
const re = (v: unknown) => (v === null || v === undefined ? null : (v as { re: number }).re);
const im = (v: unknown) => (v === null || v === undefined ? null : (v as { im: number }).im);

/** Writes the field of one column from its cell; false when a value does not fit the column's type. */
export function writeField(w: CopyWriter, src: ColumnSource, cell: unknown): boolean {
  if (cell === null || cell === undefined) {
    w.nullField();
    return true;
  }
  const pick = src.part === 're' ? re : src.part === 'im' ? im : whole;
  if (src.array) return Array.isArray(cell) ? writeArray(w, src.scalar, cell, pick) : writeArray(w, src.scalar, [cell], pick);
  const v = pick(cell);
  if (v === null || v === undefined) {
    w.nullField();
    return true;
  }
  return VALUE_WRITERS[src.scalar](w, v);
}
