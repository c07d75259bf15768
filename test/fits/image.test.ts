/** Pixel values for all six BITPIX and BZERO/BSCALE/BLANK, against astropy's reading. */
import { describe, expect, it } from 'vitest';
import { bufferSource, readPixels, readStructure } from '../../src/fits/index.js';
import { loadFixture } from './fixtures.js';

function pixelsOf(name: string, chunk?: number): Record<string, (number | null)[]> {
  const fx = loadFixture(name);
  const src = bufferSource(fx.bytes);
  const out: Record<string, (number | null)[]> = {};
  for (const hdu of readStructure(src).hdus) {
    const values: (number | null)[] = [];
    for (const c of readPixels(src, hdu, chunk)) for (const v of c) values.push(Number.isNaN(v) ? null : v);
    if (values.length) out[String(hdu.index)] = values;
  }
  return out;
}

describe('readPixels', () => {
  for (const name of ['bitpix_all', 'bzero_scaled']) {
    it(`${name} matches astropy`, () => {
      const want = loadFixture(name).pixels!;
      expect(Object.keys(want).length).toBeGreaterThanOrEqual(4);
      expect(pixelsOf(name)).toEqual(want);
    });
    it(`${name} is the same in chunks of 5 pixels`, () => {
      expect(pixelsOf(name, 5)).toEqual(loadFixture(name).pixels);
    });
  }
  it('stops at the end of a truncated data unit', () => {
    const fx = loadFixture('truncated');
    const src = bufferSource(fx.bytes);
    const [hdu] = readStructure(src).hdus;
    let n = 0;
    for (const c of readPixels(src, hdu)) n += c.length;
    expect(n).toBe(Math.floor((fx.bytes.length - hdu.dataStart) / 4));
  });
});
