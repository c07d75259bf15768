/**
 * Table headers that lie about their rows: decoding must neither read outside a row nor loop
 * over rows that hold nothing. (Found with astropy's compressed_float_bzero.fits, whose table
 * was read with the image's width, and zerowidth.fits.)
 */
import { describe, expect, it } from 'vitest';
import { bufferSource } from '../../src/fits/index.js';
import { checkTableLayout, iterateRows, readTableLayout, summarizeTable } from '../../src/fits/table/index.js';
import { syntheticHdu } from '../fixtures/tables/load.js';

describe('hostile table layouts', () => {
  it('a field running past NAXIS1 reads as null (and is FITS_TFORM_WIDTH), it does not throw', () => {
    // NAXIS1 = 6 but a J (4 bytes) and a P descriptor (8 bytes) need 12.
    const hdu = syntheticHdu('BINTABLE', [6, 2], { TFIELDS: 2, TFORM1: 'J', TFORM2: '1PB(4)' });
    const bytes = new Uint8Array([0, 0, 0, 7, 0, 1, 0, 0, 0, 9, 0, 1]);
    const rows = [...iterateRows(bufferSource(bytes), hdu)];
    expect(rows).toEqual([[7, null], [9, null]]);
    expect(checkTableLayout(hdu, readTableLayout(hdu).layout).map((i) => [i.code, i.keyword])).toEqual([['FITS_TFORM_WIDTH', 'NAXIS1']]);
    const summary = summarizeTable(bufferSource(bytes), hdu);
    expect(summary.rowCount).toBe(2);
    expect(summary.columns.map((c) => c.nullCount)).toEqual([0, 2]);
  });

  it('an illegal TFIELDS (2^31 - 1) in an ASCII table lays out the TFORMn present, not 2^31 columns', () => {
    const hdu = syntheticHdu('TABLE', [8, 1], { TFIELDS: 2147483647, TFORM2: 'F8.2', TBCOL2: 1 });
    const t = performance.now();
    const { layout, issues } = readTableLayout(hdu);
    expect(performance.now() - t).toBeLessThan(200);
    expect(layout.tfields).toBe(2);
    expect(layout.columns.map((c) => c.index)).toEqual([2]);
    expect(issues.map((i) => [i.code, i.keyword])).toEqual([['FITS_BAD_TFORM', 'TFORM1']]);
    const summary = summarizeTable(bufferSource(new TextEncoder().encode('    1.25')), hdu);
    expect(summary.columns.map((c) => [c.min, c.max])).toEqual([[1.25, 1.25]]);
  });

  it('rows of zero bytes are counted, not looped over: NAXIS2 = 3e7 summarises at once', () => {
    const hdu = syntheticHdu('BINTABLE', [0, 30_000_000], { TFIELDS: 2, TFORM1: '0J', TFORM2: '0PE' });
    const t = performance.now();
    const summary = summarizeTable(bufferSource(new Uint8Array(0)), hdu);
    const ms = performance.now() - t;
    expect(summary.rowCount).toBe(30_000_000);
    // '0J' is an empty array per row (no null element); '0PE' has no descriptor: null per row.
    expect(summary.columns.map((c) => [c.nullCount, c.min, c.max])).toEqual([[0, null, null], [30_000_000, null, null]]);
    expect(summary.issues).toEqual([]);
    expect(ms).toBeLessThan(1000);
  });
});
