/**
 * parseFitsDate reads the common ISO forms character by character (src/fits/time.ts): every
 * answer must be the very double the general RegExp + Date.UTC reading gives, and every
 * non-date must still be refused.
 */
import { describe, expect, it } from 'vitest';
import { parseFitsDate } from '../../src/fits/time.js';

const pad = (n: number, w: number): string => String(n).padStart(w, '0');

/** The general reading, written independently: Date.UTC, its roll-over check, MJD epoch 40587. */
function reference(year: number, month: number, day: number, seconds: number): number | null {
  if (month < 1 || month > 12 || day < 1) return null;
  const ms = Date.UTC(year, month - 1, day);
  if (new Date(ms).getUTCDate() !== day) return null;
  return ms / 86_400_000 + 40587 + seconds / 86400;
}

/** A small deterministic generator (no flaky seeds). */
function lcg(seed: number): () => number {
  let x = seed;
  return () => (x = (x * 1103515245 + 12345) % 2147483648) / 2147483648;
}

describe('parseFitsDate, ISO forms', () => {
  it('gives the same double as Date.UTC for 20,000 dates and times, valid or not', () => {
    const r = lcg(7);
    for (let k = 0; k < 20000; k++) {
      const year = 100 + Math.floor(r() * 9900);
      const month = Math.floor(r() * 14);
      const day = Math.floor(r() * 33);
      const date = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
      const form = k % 4;
      if (form === 0) {
        expect(parseFitsDate(date), date).toBe(reference(year, month, day, 0));
        continue;
      }
      const hour = Math.floor(r() * 26), minute = Math.floor(r() * 61), second = Math.floor(r() * 62);
      const digits = form === 1 ? '' : form === 2 ? '.' : '.' + String(Math.floor(r() * 1e9)).slice(0, 1 + Math.floor(r() * 9));
      const s = `${date}T${pad(hour, 2)}:${pad(minute, 2)}:${pad(second, 2)}${digits}${k % 3 === 0 ? 'Z' : ''}`;
      const valid = hour <= 24 && minute <= 59 && second <= 60;
      const fraction = digits.length > 1 ? Number(digits) : 0;
      expect(parseFitsDate(s), s).toBe(valid ? reference(year, month, day, hour * 3600 + minute * 60 + second + fraction) : null);
    }
  });

  it('keeps leap days, leap seconds, padding and the edges of the calendar', () => {
    expect(parseFitsDate('2000-02-29')).toBe(51603);
    expect(parseFitsDate('1900-02-29')).toBeNull();
    expect(parseFitsDate('2024-02-29T00:00:00')).toBe(60369);
    expect(parseFitsDate('2016-12-31T23:59:60')).toBe(57753 + 86400 / 86400);
    expect(parseFitsDate('  2020-01-01T12:00:00.5Z ')).toBe(58849 + 43200.5 / 86400);
    expect(parseFitsDate('1858-11-17')).toBe(0);
    expect(parseFitsDate('0100-03-01')).toBe(reference(100, 3, 1, 0));
    // Two-digit years are Date.UTC's 19YY, as the general reading always gave.
    expect(parseFitsDate('0050-01-01')).toBe(parseFitsDate('1950-01-01'));
  });

  it('refuses near misses of the form', () => {
    for (const bad of ['2020-01-01T', '2020-01-01T1:00:00', '2020-01-01T10:00:0a', '2020-01-01T10:00:00.5x', '2020/01/01',
      '2020-1-01', '20200101', '2020-01-01T10-00-00', '2020-01-01 10:00:00', '2020-01-01ZZ', '+2020-01-01'])
      expect(parseFitsDate(bad), bad).toBeNull();
    // Hours and minutes only: the general reading's form, still read.
    expect(parseFitsDate('2020-01-01T06:00')).toBe(58849.25);
  });
});
