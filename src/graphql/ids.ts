/**
 * IDs and cursors at the API edge. IDs are bigint primary keys shown as strings; anything
 * that is not a positive integer is the caller's mistake (BAD_USER_INPUT naming the argument)
 * rather than "not found". Cursors are opaque base64 of the file id: clients must not build
 * them, and we keep the freedom to change what is inside. A page in path order has cursors of
 * the path (prefixed, so that neither kind passes for the other).
 */
import { badInput } from '../errors.js';

const POSITIVE_INT = /^[1-9][0-9]{0,15}$/;

export function parseId(value: string | number, arg: string): number {
  const text = String(value).trim();
  const n = Number(text);
  if (!POSITIVE_INT.test(text) || !Number.isSafeInteger(n)) {
    throw badInput(`${arg} must be a positive integer id, got ${JSON.stringify(value)}`, arg);
  }
  return n;
}

export function encodeCursor(fileId: number): string {
  return Buffer.from(String(fileId), 'utf8').toString('base64');
}

const PATH_PREFIX = 'path:';

/** A cursor of a page in path order: the file's path. */
export function encodePathCursor(path: string): string {
  return Buffer.from(PATH_PREFIX + path, 'utf8').toString('base64');
}

export function decodePathCursor(cursor: string, arg = 'after'): string {
  const text = Buffer.from(cursor, 'base64').toString('utf8');
  if (!text.startsWith(PATH_PREFIX) || encodePathCursor(text.slice(PATH_PREFIX.length)) !== cursor) {
    throw badInput(`${arg} is not a cursor of this order (orderBy: PATH): pass a pageInfo.endCursor or edges.cursor value of a page in the same order, as is`, arg);
  }
  return text.slice(PATH_PREFIX.length);
}

export function decodeCursor(cursor: string, arg = 'after'): number {
  const text = Buffer.from(cursor, 'base64').toString('utf8');
  // Buffer.from ignores junk; a cursor is valid only if it round-trips exactly.
  if (!POSITIVE_INT.test(text) || encodeCursor(Number(text)) !== cursor) {
    throw badInput(`${arg} is not a cursor returned by this API: pass a pageInfo.endCursor or edges.cursor value as is`, arg);
  }
  return Number(text);
}
