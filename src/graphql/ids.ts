/**
 * IDs and cursors at the API edge. IDs are bigint primary keys shown as strings; anything
 * that is not a positive integer is the caller's mistake (BAD_USER_INPUT naming the argument)
 * rather than "not found". Cursors are opaque base64 of the file id: clients must not build
 * them, and we keep the freedom to change what is inside.
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

export function decodeCursor(cursor: string, arg = 'after'): number {
  const text = Buffer.from(cursor, 'base64').toString('utf8');
  // Buffer.from ignores junk; a cursor is valid only if it round-trips exactly.
  if (!POSITIVE_INT.test(text) || encodeCursor(Number(text)) !== cursor) {
    throw badInput(`${arg} is not a cursor returned by this API: pass a pageInfo.endCursor or edges.cursor value as is`, arg);
  }
  return Number(text);
}
