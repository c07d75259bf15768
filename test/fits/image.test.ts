/** Pixel values for all six BITPIX and BZERO/BSCALE/BLANK, against astropy's reading. */
import { describe, expect, it } from 'vitest';
import { bufferSource, hasDefinedPixel, readPixels, readStructure } from '../../src/fits/index.js';
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

describe('hasDefinedPixel', () => {
  /** What readPixels says: some physical value is not NaN. */
  function viaReadPixels(src: ReturnType<typeof bufferSource>, hdu: Parameters<typeof readPixels>[1]): boolean {
    for (const c of readPixels(src, hdu)) for (const v of c) if (!Number.isNaN(v)) return true;
    return false;
  }

  it('agrees with readPixels on every fixture HDU', () => {
    let checked = 0;
    for (const name of ['bitpix_all', 'bzero_scaled', 'all_nan', 'all_blank', 'truncated', 'valid_spectrum', 'valid_image']) {
      const src = bufferSource(loadFixture(name).bytes);
      for (const hdu of readStructure(src).hdus) {
        expect(hasDefinedPixel(src, hdu), `${name} HDU ${hdu.index}`).toBe(viaReadPixels(src, hdu));
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(10);
  });

  it('finds a single real value after thousands of NaNs', () => {
    const n = 5000;
    const header = ['SIMPLE  =                    T', 'BITPIX  =                  -32', 'NAXIS   =                    1', `NAXIS1  = ${String(n).padStart(20)}`, 'END']
      .map((c) => c.padEnd(80))
      .join('')
      .padEnd(2880);
    const bytes = new Uint8Array(2880 + Math.ceil((n * 4) / 2880) * 2880);
    bytes.set(Buffer.from(header, 'latin1'));
    const view = new DataView(bytes.buffer, 2880);
    for (let i = 0; i < n; i++) view.setFloat32(i * 4, NaN);
    const src = bufferSource(bytes);
    const [hdu] = readStructure(src).hdus;
    expect(hasDefinedPixel(src, hdu)).toBe(false);
    for (const at of [n - 1, 4127, 31]) {
      view.setFloat32(at * 4, 1.5);
      expect(hasDefinedPixel(src, hdu)).toBe(true);
      view.setFloat32(at * 4, NaN);
    }
  });
});
