/**
 * writeFileHeader (the reader thread's in-place header) must write exactly fileHeader's bytes:
 * the archive test compares whole archives with GNU tar, this one covers the edges of the fast
 * path (names at ustar's limits, prefixes, non-ASCII and pax names, huge sizes, odd mtimes).
 */
import { describe, expect, it } from 'vitest';
import { fileHeader, writeFileHeader } from '../../src/http/download/tar-format.js';

const names = [
  'GAMA_DR1/spectra/000/spec_000000.fits',
  'a',
  'x'.repeat(100),
  'x'.repeat(101),
  `${'p'.repeat(155)}/${'n'.repeat(100)}`,
  `${'p'.repeat(156)}/${'n'.repeat(10)}`,
  `top/${'d'.repeat(60)}/${'f'.repeat(70)}.txt`,
  `top/${'x'.repeat(150)}.txt`,
  'top/ünïcødé ✓.csv',
  'top/line\nbreak.dat',
  'top/it\'s "quoted".txt',
  'top/tab\there',
];
const sizes = [0, 1, 511, 512, 8640, 0o77777777777, 0o77777777777 + 1, 10 * 1024 ** 3];
const mtimes = [0, 1_700_000_000, 1_700_000_000.987, -5, 0o77777777777, 0o77777777777 + 10, Number.NaN];

describe('writeFileHeader', () => {
  it('writes the bytes fileHeader makes, at an offset, over a dirty buffer', () => {
    let checked = 0;
    for (const name of names) for (const size of sizes) for (const mtime of mtimes) {
      const want = fileHeader(name, size, mtime);
      const out = Buffer.alloc(want.length + 700, 0xa5);
      const n = writeFileHeader(out, 7, name, size, mtime);
      expect(n, `${name} ${size} ${mtime}`).toBe(want.length);
      expect(out.subarray(7, 7 + n).equals(want), `${name} ${size} ${mtime}`).toBe(true);
      expect(out[6]).toBe(0xa5);
      expect(out[7 + n]).toBe(0xa5);
      checked++;
    }
    expect(checked).toBe(names.length * sizes.length * mtimes.length);
  });
});
