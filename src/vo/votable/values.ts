/**
 * The value shapes a cell may arrive in, turned into what the serialisations need. Rows come
 * either from PostgreSQL as its text output (stream-query keeps every value as text: exact
 * int8, shortest round-trip float8, no Date objects) or from JavaScript callers (numbers,
 * bigint, booleans, Date, arrays, Buffers); both are accepted everywhere.
 */
import { parse as parsePgArray } from 'postgres-array';

/** PostgreSQL's float text for the infinities and NaN, and JavaScript's. */
export function floatSpecial(s: string): 'NaN' | '+Inf' | '-Inf' | undefined {
  const c = s.charCodeAt(0);
  // Only strings starting with N, I, i, n, + or - followed by a letter can be special.
  if (c === 78 || c === 110) return 'NaN';
  if (c === 73 || c === 105) return '+Inf';
  if (c === 43 || c === 45) {
    const d = s.charCodeAt(1);
    if (d === 73 || d === 105) return c === 45 ? '-Inf' : '+Inf';
    if (d === 78 || d === 110) return 'NaN';
  }
  return undefined;
}

export function toNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    // Unary + reads PostgreSQL's Infinity, -Infinity and NaN as well as numbers.
    const n = +v;
    if (n === n) return n;
    const special = floatSpecial(v);
    return special === '+Inf' ? Infinity : special === '-Inf' ? -Infinity : NaN;
  }
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  return +(v as number);
}

/** An integer's decimal text without losing int8 precision (a number that is not an integer is truncated). */
export function integerText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : Number.isFinite(v) ? String(Math.trunc(v)) : '';
  if (typeof v === 'boolean') return v ? '1' : '0';
  return String(v);
}

export function toBoolean(v: unknown): boolean {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') {
    const c = v.charCodeAt(0);
    return c === 116 || c === 84 || c === 49 || c === 121 || c === 89; // t T 1 y Y
  }
  return Boolean(v);
}

const TS = /^(\d{4,})-(\d\d)-(\d\d)[ T](\d\d):(\d\d):(\d\d)(\.\d+)?(?:([+-])(\d\d)(?::?(\d\d))?(?::?(\d\d))?)?( BC)?$/;

/**
 * DALI timestamp text (YYYY-MM-DDThh:mm:ss[.fff][Z]): a timestamptz becomes UTC with Z (a civil
 * time), a timestamp without zone keeps no Z, a date stays a date. PostgreSQL's fractional
 * digits (microseconds) are kept. ±infinity has no DALI form: null.
 */
export function timestampText(v: unknown): string | null {
  if (typeof v !== 'string') {
    if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString();
    v = String(v);
  }
  const s = v as string;
  if (s.length === 10) return s; // a date
  // The common case without a regular expression: PostgreSQL's output with TimeZone=UTC
  // (stream-query sets it), "YYYY-MM-DD hh:mm:ss[.ffffff]+00".
  if (s.charCodeAt(10) === 32 && s.charCodeAt(4) === 45 && s.endsWith('+00') && s.length <= 29 && s.charCodeAt(19) !== 32) {
    return s.slice(0, 10) + 'T' + s.slice(11, -3) + 'Z';
  }
  const m = TS.exec(s);
  if (!m) return s === 'infinity' || s === '-infinity' ? null : s;
  const [, y, mo, d, h, mi, sec, frac = '', sign, oh, om, os, bc] = m;
  if (bc) return s; // before year 1: no ISO form that clients agree on; keep PostgreSQL's
  const date = `${y}-${mo}-${d}T${h}:${mi}:${sec}`;
  if (sign === undefined) return date + frac;
  const offset = (+oh! * 3600 + (om ? +om : 0) * 60 + (os ? +os : 0)) * (sign === '-' ? -1 : 1);
  if (offset === 0) return `${date}${frac}Z`;
  const utc = Date.UTC(+y!, +mo! - 1, +d!, +h!, +mi!, +sec!) - offset * 1000;
  const iso = new Date(utc).toISOString(); // ...T..:..:..sssZ; ms are 000 (frac is added back)
  return `${iso.slice(0, 19)}${frac}Z`;
}

/** bytea: PostgreSQL's hex output (\x0a0b...), a Buffer/Uint8Array, or an array of numbers. */
export function toBytes(v: unknown): Uint8Array | number[] {
  if (v instanceof Uint8Array) return v;
  if (Array.isArray(v)) return v as number[];
  const s = String(v);
  if (s.startsWith('\\x')) return Buffer.from(s.slice(2), 'hex');
  return Buffer.from(s, 'latin1');
}

/** An array cell: a JavaScript array, or PostgreSQL's array literal ({1,2,NULL}; nested arrays are flattened). */
export function toArray(v: unknown): unknown[] {
  if (Array.isArray(v)) return v.flat(Infinity);
  if (v instanceof Uint8Array) return Array.from(v);
  const s = String(v);
  if (s.charCodeAt(0) !== 123) return s.split(/\s+/); // not {...}: the TABLEDATA form
  return (parsePgArray(s) as unknown[]).flat(Infinity);
}

export function textOf(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'object' && v !== null && !(v instanceof Uint8Array)) return JSON.stringify(v);
  return String(v);
}
