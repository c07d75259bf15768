/**
 * The header of a PostgreSQL binary-format array (array_recv), which every binary array
 * parameter starts with: number-array.ts (numbers) and text-column.ts (strings).
 */

/** Bytes of a one-dimensional array's header; its elements follow. */
export const ARRAY_HEADER_BYTES = 20;

/** An empty array of the element type `oid`: no dimensions (array_recv still checks the type). */
export function emptyArrayParam(oid: number): Buffer {
  const empty = Buffer.alloc(12);
  empty.writeUInt32BE(oid, 8);
  return empty;
}

/** Writes the header of a one-dimensional array of `length` elements (lower bound 1) at the start of `buf`. */
export function writeArrayHeader(buf: Buffer, oid: number, length: number, hasNulls: boolean): void {
  buf.writeInt32BE(1, 0); // dimensions
  buf.writeInt32BE(hasNulls ? 1 : 0, 4);
  buf.writeUInt32BE(oid, 8);
  buf.writeInt32BE(length, 12);
  buf.writeInt32BE(1, 16); // lower bound
}
