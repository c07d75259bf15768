/**
 * A column of numbers (nulls allowed) as a PostgreSQL binary-format array parameter
 * (array_recv: header, then each element's length, or -1 for NULL, and its big-endian value).
 * node-postgres sends a Buffer parameter in binary format; the statement's cast
 * (`$n::float8[]`, `::bigint[]`, `::int[]`) must name the same element type.
 *
 * Why: the records of an ingest batch carry a dozen number columns (centre, spectral and em
 * ranges, times, fov, hpx, ids). As text parameters, node-postgres turned every double into its
 * shortest round-trip digits on the main thread and PostgreSQL parsed them back (float8in,
 * int8in) in the backend; the binary value is the double itself, the same one exactly.
 */

import { ARRAY_HEADER_BYTES, emptyArrayParam, writeArrayHeader } from './array-header.js';

/** Element types (pg_type oids and byte sizes). */
export const FLOAT8 = { oid: 701, size: 8 } as const;
export const INT8 = { oid: 20, size: 8 } as const;
export const INT4 = { oid: 23, size: 4 } as const;
export type NumberElement = typeof FLOAT8 | typeof INT8 | typeof INT4;

const TWO_32 = 4294967296;

export function numberArrayParam(type: NumberElement, values: ArrayLike<number | null | undefined>): Buffer {
  const n = values.length;
  if (n === 0) return emptyArrayParam(type.oid);
  let nulls = 0;
  for (let i = 0; i < n; i++) if (values[i] == null) nulls++;
  const b = Buffer.allocUnsafe(ARRAY_HEADER_BYTES + n * 4 + (n - nulls) * type.size);
  writeArrayHeader(b, type.oid, n, nulls > 0);
  let o = ARRAY_HEADER_BYTES;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v == null) {
      b.writeInt32BE(-1, o);
      o += 4;
      continue;
    }
    b.writeInt32BE(type.size, o);
    if (type === FLOAT8) b.writeDoubleBE(v, o + 4);
    else if (type === INT8) {
      if (!Number.isSafeInteger(v)) throw new RangeError(`not a safe integer for a bigint column: ${v}`);
      // Two 32-bit halves (a BigInt per value costs several times more).
      const high = Math.floor(v / TWO_32);
      b.writeInt32BE(high, o + 4);
      b.writeUInt32BE(v - high * TWO_32, o + 8);
    } else b.writeInt32BE(v, o + 4);
    o += 4 + type.size;
  }
  return b;
}
