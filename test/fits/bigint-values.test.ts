/**
 * Integer-only keywords written as reals (TZERO, TNULL, BLANK = 1.5): 64-bit columns and pixels
 * compare them as bigints, and BigInt(1.5) throws. Such a value matches no stored integer.
 * (Found by fuzzing the analysis with mutations of the table fixtures.)
 */
import { describe, expect, it } from 'vitest';
import { bufferSource, hasDefinedPixel, pixelScaling, readPixels, type HduInfo } from '../../src/fits/index.js';
import { columnType, iterateRows, readTableLayout, summarizeTable } from '../../src/fits/table/index.js';
import { syntheticHdu } from '../fixtures/tables/load.js';

const K_ROW = new Uint8Array([0, 0, 0, 0, 0, 0, 0, 5]);

describe('non-integer values where an integer is compared', () => {
  it.each([
    ['TZERO1 = 1.5', { TZERO1: 1.5 }, [[6.5]], 'float64'],
    ['TNULL1 = 1.5', { TNULL1: 1.5 }, [[5]], 'int64'],
  ])('a K column with %s decodes and summarises', (_label, cards, rows, type) => {
    const hdu = syntheticHdu('BINTABLE', [8, 1], { TFIELDS: 1, TFORM1: 'K', ...cards });
    expect([...iterateRows(bufferSource(K_ROW), hdu)]).toEqual(rows);
    expect(columnType(readTableLayout(hdu).layout.columns[0])).toBe(type);
    expect(summarizeTable(bufferSource(K_ROW), hdu).rowCount).toBe(1);
  });

  it('a BITPIX 64 image with BLANK = 1.5 has no BLANK pixels', () => {
    const hdu: HduInfo = {
      index: 0, type: 'PRIMARY', headerStart: 0, dataStart: 0, dataSize: 8, cards: [], rawHeader: '', bitpix: 64, naxis: [1],
      keywords: new Map([['BLANK', 1.5]]),
    };
    expect(pixelScaling(hdu).blank).toBeNull();
    expect([...readPixels(bufferSource(K_ROW), hdu)].map((c) => [...c])).toEqual([[5]]);
    expect(hasDefinedPixel(bufferSource(K_ROW), hdu)).toBe(true);
  });
});
