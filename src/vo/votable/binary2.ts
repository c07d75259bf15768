/**
 * VOTable BINARY2 (VOTable 1.4 §5.5): per row a NULL bitmask (one bit per column, most
 * significant bit of the first byte = first column) then each cell big-endian; variable-length
 * arrays and strings start with their int32 element count. The bytes are base64 in one STREAM
 * element that spans every batch: base64 works on 3-byte groups, so the 0-2 bytes left after a
 * batch are carried into the next one and flushed by the tail.
 *
 * Rows are written into one reused, growing Buffer through per-column writers chosen once from
 * the FIELDs, so a cell costs a few DataView stores, not an allocation.
 */
import type { VoField } from './fields.js';
import { isArrayField } from './cells.js';
import { textOf, timestampText, toArray, toBoolean, toBytes, toNumber } from './values.js';

class Out {
  buf = Buffer.allocUnsafe(1 << 16);
  dv = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
  pos = 0;
  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
    this.dv = new DataView(next.buffer, next.byteOffset, next.byteLength);
  }
}

type Writer = (o: Out, v: unknown) => void;

const TWO32 = 4294967296;
const EMPTY = Buffer.alloc(0);

function writeLong(o: Out, v: unknown): void {
  o.ensure(8);
  // int8 arrives as text from PostgreSQL: up to 15 characters it is exact as a double, so it
  // is split into two int32 without a BigInt; longer ones go through BigInt.
  if (typeof v === 'string' ? v.length <= 15 : typeof v === 'number' && Number.isSafeInteger(v)) {
    const n = typeof v === 'string' ? +v : (v as number);
    const hi = Math.floor(n / TWO32);
    o.dv.setInt32(o.pos, hi);
    o.dv.setUint32(o.pos + 4, n - hi * TWO32);
  } else {
    o.dv.setBigInt64(o.pos, typeof v === 'bigint' ? v : BigInt(typeof v === 'number' ? Math.trunc(v) : String(v)));
  }
  o.pos += 8;
}

const SCALAR: Record<string, { size: number; write: Writer }> = {
  boolean: {
    size: 1,
    write: (o, v) => {
      o.ensure(1);
      o.buf[o.pos++] = toBoolean(v) ? 84 : 70; // 'T' : 'F'
    },
  },
  unsignedByte: {
    size: 1,
    write: (o, v) => {
      o.ensure(1);
      o.buf[o.pos++] = toNumber(v) & 0xff;
    },
  },
  short: {
    size: 2,
    write: (o, v) => {
      o.ensure(2);
      o.dv.setInt16(o.pos, toNumber(v));
      o.pos += 2;
    },
  },
  int: {
    size: 4,
    write: (o, v) => {
      o.ensure(4);
      o.dv.setInt32(o.pos, toNumber(v));
      o.pos += 4;
    },
  },
  long: { size: 8, write: writeLong },
  float: {
    size: 4,
    write: (o, v) => {
      o.ensure(4);
      o.dv.setFloat32(o.pos, toNumber(v));
      o.pos += 4;
    },
  },
  double: {
    size: 8,
    write: (o, v) => {
      o.ensure(8);
      o.dv.setFloat64(o.pos, toNumber(v));
      o.pos += 8;
    },
  },
};

/** What a NULL scalar's bytes are (the mask says NULL; the bytes only keep the layout). */
function nullScalar(datatype: string, size: number): (o: Out) => void {
  const isFloat = datatype === 'float' || datatype === 'double';
  return (o) => {
    o.ensure(size);
    if (datatype === 'float') o.dv.setFloat32(o.pos, NaN);
    else if (isFloat) o.dv.setFloat64(o.pos, NaN);
    else if (datatype === 'boolean') o.buf[o.pos] = 63; // '?'
    else o.buf.fill(0, o.pos, o.pos + size);
    o.pos += size;
  };
}

/** arraysize → fixed element count, or variable with an optional limit. */
function parseArraysize(arraysize: string): { variable: boolean; count: number } {
  const dims = arraysize.split('x');
  const last = dims[dims.length - 1]!;
  const variable = last.endsWith('*');
  let count = 1;
  for (const d of dims) {
    const n = parseInt(d, 10);
    if (Number.isFinite(n)) count *= n;
    else if (d === '*') count = Infinity;
  }
  return { variable, count };
}

function stringWriter(f: VoField, variable: boolean, count: number): { write: Writer; nul: (o: Out) => void } {
  const wide = f.datatype === 'unicodeChar';
  const unit = wide ? 2 : 1;
  const timestamps = f.xtype === 'timestamp';
  const text = timestamps ? (v: unknown) => timestampText(v) ?? '' : textOf;
  // Each returns the number of characters written (unicodeChar: UTF-16 code units; char:
  // bytes); the caller has made room for 3 bytes per code unit.
  const putWide = (o: Out, s: string): number => {
    // A loop of byte stores beats Buffer.write('utf16le') + swap16 for the short strings of a
    // table (two native calls and a subarray per cell).
    const len = s.length;
    const buf = o.buf;
    let p = o.pos;
    for (let i = 0; i < len; i++) {
      const c = s.charCodeAt(i);
      buf[p++] = c >>> 8;
      buf[p++] = c & 0xff;
    }
    o.pos = p;
    return len;
  };
  const putNarrow = (o: Out, s: string): number => {
    const len = s.length;
    const buf = o.buf;
    let p = o.pos;
    for (let i = 0; i < len; i++) {
      const c = s.charCodeAt(i);
      if (c > 127) {
        // char is ASCII in VOTable 1.4; other text is written as UTF-8 (VOTable 1.5) rather than lost.
        const n = buf.write(s, o.pos, 'utf8');
        o.pos += n;
        return n;
      }
      buf[p++] = c;
    }
    o.pos = p;
    return len;
  };
  const put = wide ? putWide : putNarrow;
  if (variable) {
    const limit = count;
    return {
      write: (o, v) => {
        let s = typeof v === 'string' && !timestamps ? v : text(v);
        if (s.length > limit) s = s.slice(0, limit);
        o.ensure(4 + s.length * 3);
        const at = o.pos;
        o.pos += 4;
        const n = put(o, s);
        o.dv.setInt32(at, n);
      },
      nul: (o) => {
        o.ensure(4);
        o.dv.setInt32(o.pos, 0);
        o.pos += 4;
      },
    };
  }
  const bytes = count * unit;
  return {
    // Fixed length: cut or padded with NULs to exactly `count` characters.
    write: (o, v) => {
      const s = text(v);
      o.ensure(s.length * 3);
      const at = o.pos;
      const n = put(o, s);
      const used = n * unit;
      if (used < bytes) {
        o.ensure(bytes - used);
        o.buf.fill(0, o.pos, at + bytes);
      }
      o.pos = at + bytes;
    },
    nul: (o) => {
      o.ensure(bytes);
      o.buf.fill(0, o.pos, o.pos + bytes);
      o.pos += bytes;
    },
  };
}

function arrayWriter(f: VoField, variable: boolean, count: number): { write: Writer; nul: (o: Out) => void } {
  const el = SCALAR[f.datatype]!;
  const elNull = nullScalar(f.datatype, el.size);
  // A NULL element of a PostgreSQL array: NaN for floating point, 0 (or '?') otherwise.
  const writeElement = (o: Out, e: unknown) => (e == null ? elNull(o) : el.write(o, e));
  const elements = f.datatype === 'unsignedByte' ? (v: unknown) => toBytes(v) : toArray;
  if (variable) {
    return {
      write: (o, v) => {
        const a = elements(v) as ArrayLike<unknown>;
        const n = Math.min(a.length, count);
        o.ensure(4);
        o.dv.setInt32(o.pos, n);
        o.pos += 4;
        for (let i = 0; i < n; i++) writeElement(o, a[i]);
      },
      nul: (o) => {
        o.ensure(4);
        o.dv.setInt32(o.pos, 0);
        o.pos += 4;
      },
    };
  }
  return {
    write: (o, v) => {
      const a = elements(v) as ArrayLike<unknown>;
      for (let i = 0; i < count; i++) writeElement(o, i < a.length ? a[i] : null);
    },
    nul: (o) => {
      for (let i = 0; i < count; i++) elNull(o);
    },
  };
}

function columnWriter(f: VoField): { write: Writer; nul: (o: Out) => void } {
  const text = f.datatype === 'char' || f.datatype === 'unicodeChar';
  if (f.arraysize === undefined) {
    if (text) return stringWriter(f, false, 1);
    const s = SCALAR[f.datatype]!;
    return { write: s.write, nul: nullScalar(f.datatype, s.size) };
  }
  const { variable, count } = parseArraysize(f.arraysize);
  if (text) return stringWriter(f, variable, count);
  if (!isArrayField(f)) throw new Error(`unexpected FIELD ${f.name}`);
  return arrayWriter(f, variable, count);
}

export function binary2Encoder(fields: VoField[]) {
  const columns = fields.map(columnWriter);
  const writers = columns.map((c) => c.write);
  const nulls = columns.map((c) => c.nul);
  const n = fields.length;
  const maskBytes = (n + 7) >> 3;
  const out = new Out();
  let carry = Buffer.alloc(0);
  return {
    rows(rows: unknown[][]): Buffer {
      const o = out;
      o.pos = 0;
      o.ensure(carry.length);
      carry.copy(o.buf, 0);
      o.pos = carry.length;
      for (let r = 0; r < rows.length; r++) {
        const row = rows[r]!;
        o.ensure(maskBytes);
        const mask = o.pos;
        for (let i = 0; i < maskBytes; i++) o.buf[mask + i] = 0; // not fill(): a native call per row
        o.pos += maskBytes;
        for (let c = 0; c < n; c++) {
          const v = row[c];
          if (v == null) {
            o.buf[mask + (c >> 3)]! |= 0x80 >> (c & 7);
            nulls[c]!(o);
          } else writers[c]!(o, v);
        }
      }
      const whole = o.pos - (o.pos % 3);
      carry = Buffer.from(o.buf.subarray(whole, o.pos));
      // Handed over as bytes: a consumer given the string would encode it as UTF-8, which is
      // several times slower than this latin1 copy of pure ASCII.
      return whole ? Buffer.from(o.buf.toString('base64', 0, whole) + '\n', 'latin1') : EMPTY;
    },
    /** The last 0-2 bytes, padded with '='. */
    flush(): string {
      const s = carry.length ? carry.toString('base64') + '\n' : '';
      carry = Buffer.alloc(0);
      return s;
    },
  };
}
