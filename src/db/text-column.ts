/**
 * A column of strings kept as the body of a PostgreSQL binary-format text[] (array_recv):
 * each row a 4-byte big-endian length, then its UTF-8 bytes. For the HDU headers, which are
 * most of a spectrum's bytes (~2 kB an HDU):
 * - An analysis thread encodes each header once, into one growing buffer, and the buffer
 *   moves to the main thread without a copy (transfer). As strings, they were cloned into the
 *   main thread's heap, and its garbage collector copied them again while the batch waited.
 * - node-postgres sends a Buffer parameter in binary format, so PostgreSQL receives the
 *   column with array_recv: a length and a copy per row. As a text parameter, every header
 *   was escaped on the main thread (node-postgres's arrayString) and parsed back, a
 *   character at a time, by array_in. Measured on the hdus insert of bench spectra: ~22
 *   instead of ~29 us of server CPU per file (seven paired runs; this VM's noise is +-30%).
 * Plain data (no class), so that it survives structured clone.
 */

import { ARRAY_HEADER_BYTES, emptyArrayParam, writeArrayHeader } from './array-header.js';

/** PostgreSQL's type OID for `text`, which the array's header names as its element type. */
const TEXT_OID = 25;

export interface TextColumn {
  rows: number;
  /** Rows as length + bytes, valid up to `used`; may have spare room after it. */
  bytes: Uint8Array;
  used: number;
}

export function emptyTextColumn(): TextColumn {
  return { rows: 0, bytes: new Uint8Array(0), used: 0 };
}

export function pushText(c: TextColumn, s: string): void {
  // A UTF-16 code unit never takes more than 3 bytes of UTF-8.
  const room = 4 + s.length * 3;
  if (c.used + room > c.bytes.length) grow(c, c.used + room);
  const buf = view(c.bytes);
  const written = buf.write(s, c.used + 4, 'utf8');
  buf.writeUInt32BE(written, c.used);
  c.used += 4 + written;
  c.rows++;
}

/** All parts' rows, in order, in one new buffer. */
export function concatText(parts: TextColumn[]): TextColumn {
  const used = parts.reduce((n, p) => n + p.used, 0);
  const bytes = new Uint8Array(used);
  let at = 0;
  for (const p of parts) {
    bytes.set(p.bytes.subarray(0, p.used), at);
    at += p.used;
  }
  return { rows: parts.reduce((n, p) => n + p.rows, 0), bytes, used };
}

/** Only the rows whose `keep[i]` is true. */
export function pickText(c: TextColumn, keep: boolean[]): TextColumn {
  const out = emptyTextColumn();
  const buf = view(c.bytes);
  let at = 0;
  for (let i = 0; i < c.rows; i++) {
    const end = at + 4 + buf.readUInt32BE(at);
    if (keep[i]) {
      if (out.used + end - at > out.bytes.length) grow(out, out.used + end - at);
      out.bytes.set(c.bytes.subarray(at, end), out.used);
      out.used += end - at;
      out.rows++;
    }
    at = end;
  }
  return out;
}

/** The rows as strings (tests, diagnostics). */
export function readText(c: TextColumn): string[] {
  const buf = view(c.bytes);
  const out: string[] = [];
  for (let at = 0; out.length < c.rows; ) {
    const n = buf.readUInt32BE(at);
    out.push(buf.toString('utf8', at + 4, at + 4 + n));
    at += 4 + n;
  }
  return out;
}

/**
 * The column as a query parameter for `$n::text[]`: the binary array header (one dimension,
 * no NULLs, element type text, lower bound 1) followed by the rows.
 */
export function textArrayParam(c: TextColumn): Buffer {
  if (c.rows === 0) return emptyArrayParam(TEXT_OID);
  const out = Buffer.allocUnsafe(ARRAY_HEADER_BYTES + c.used);
  writeArrayHeader(out, TEXT_OID, c.rows, false);
  out.set(c.bytes.subarray(0, c.used), ARRAY_HEADER_BYTES);
  return out;
}

/**
 * An array of strings (NULLs allowed) as the same binary text[] parameter, for the statements'
 * other text columns (paths, statuses, kinds, checksums, codes, messages, names, ...). As text
 * parameters node-postgres escaped and quoted every element on the main thread (arrayString,
 * escapeElement) and PostgreSQL's array_in parsed them back a character at a time; here each
 * is its length and UTF-8 bytes, which array_recv copies.
 */
export function stringArrayParam(values: ArrayLike<string | null | undefined>): Buffer {
  const n = values.length;
  if (n === 0) return emptyArrayParam(TEXT_OID);
  // Room for the worst case (3 bytes of UTF-8 per UTF-16 code unit); the unused tail is cut.
  let room = ARRAY_HEADER_BYTES;
  let nulls = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v == null) nulls++;
    else room += v.length * 3;
    room += 4;
  }
  const out = Buffer.allocUnsafe(room);
  writeArrayHeader(out, TEXT_OID, n, nulls > 0);
  let at = ARRAY_HEADER_BYTES;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v == null) {
      out.writeInt32BE(-1, at);
      at += 4;
      continue;
    }
    const written = out.write(v, at + 4, 'utf8');
    out.writeInt32BE(written, at);
    at += 4 + written;
  }
  return out.subarray(0, at);
}

/** Buffers that a postMessage may transfer rather than copy. */
export function transferables(c: TextColumn): ArrayBuffer[] {
  return c.bytes.byteLength ? [c.bytes.buffer as ArrayBuffer] : [];
}

function grow(c: TextColumn, need: number): void {
  // Its own ArrayBuffer (never Buffer's shared pool), so that it can be transferred.
  const bytes = new Uint8Array(Math.max(need, c.bytes.length * 2, 64 * 1024));
  bytes.set(c.bytes.subarray(0, c.used));
  c.bytes = bytes;
}

function view(u: Uint8Array): Buffer {
  return Buffer.from(u.buffer, u.byteOffset, u.byteLength);
}
