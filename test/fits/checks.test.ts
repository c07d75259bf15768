/**
 * Every check code has a fixture that triggers it (expectCodes, written by hand in
 * make_fixtures.py) and the valid fixtures trigger none. Cross-checked with fitsverify's
 * verdict on the same file.
 */
import { describe, expect, it } from 'vitest';
import { bufferSource, onesComplementSum, addSums, verifyFits } from '../../src/fits/index.js';
import { ALL_FIXTURES, loadFixture } from './fixtures.js';

const ALL_CODES = [
  'FITS_MISSING_END', 'FITS_END_NOT_BLANK', 'FITS_BAD_BITPIX', 'FITS_MISSING_KEYWORD', 'FITS_KEYWORD_ORDER',
  'FITS_BAD_VALUE', 'FITS_KEYWORD_NOT_ALLOWED', 'FITS_ILLEGAL_CHARACTER', 'FITS_BAD_KEYWORD_NAME', 'FITS_BAD_CARD',
  'FITS_TRUNCATED_DATA', 'FITS_TRAILING_BYTES', 'FITS_INDEX_ABOVE_TFIELDS', 'FITS_INDEX_ABOVE_WCSAXES',
  'FITS_CHECKSUM_MISMATCH', 'FITS_DATASUM_MISMATCH', 'FITS_ALL_NAN', 'FITS_ALL_BLANK',
];
const WARNINGS = new Set(['FITS_ALL_NAN', 'FITS_ALL_BLANK']);

describe('each fixture reports exactly the codes it was made for', () => {
  for (const fx of ALL_FIXTURES) {
    it(`${fx.name}: ${fx.expectCodes.join(', ') || 'clean'}`, () => {
      const { issues } = verifyFits(bufferSource(fx.bytes));
      expect([...new Set(issues.map((i) => i.code))].sort()).toEqual(fx.expectCodes);
      for (const i of issues) {
        expect(i.severity).toBe(WARNINGS.has(i.code) ? 'WARNING' : 'ERROR');
        if (i.hdu !== null) expect(i.message).toMatch(new RegExp(`^HDU ${i.hdu} \\([A-Z0-9]+\\)`));
        if (i.keyword !== null) expect(i.message).toContain(i.keyword);
      }
    });
  }
  it('every code is triggered by some fixture and absent from the valid ones', () => {
    const triggered = new Set(ALL_FIXTURES.flatMap((f) => f.expectCodes));
    expect([...triggered].sort()).toEqual([...ALL_CODES].sort());
    const valid = ALL_FIXTURES.filter((f) => f.name.startsWith('valid_'));
    expect(valid.length).toBeGreaterThanOrEqual(5);
    for (const f of valid) expect(f.expectCodes).toEqual([]);
  });
});

describe('agreement with fitsverify', () => {
  // fitsverify reports checksum problems as warnings and has no all-NaN check; the rest of
  // our ERRORs correspond to fitsverify errors, and files it passes we pass, except where the
  // fixture records why fitsverify contradicts the standard (fitsverifyWrong).
  for (const fx of ALL_FIXTURES) {
    const fv = fx.fitsverify;
    const fvErrors = !fx.fitsverifyWrong && (fv.errors === null ? fv.messages.some((m) => m.startsWith('*** Error')) : fv.errors > 0);
    it(`${fx.name}: fitsverify ${fvErrors ? 'errors' : 'no errors'}`, () => {
      const errors = verifyFits(bufferSource(fx.bytes)).issues.filter(
        (i) => i.severity === 'ERROR' && i.code !== 'FITS_CHECKSUM_MISMATCH' && i.code !== 'FITS_DATASUM_MISMATCH',
      );
      expect(errors.length > 0).toBe(fvErrors);
    });
  }
});

describe('DATASUM as CFITSIO reads it', () => {
  // astropy's memtest.fits: a primary without data whose DATASUM is blank; fitsverify passes it.
  const header = (datasum: string) =>
    new TextEncoder().encode(
      ['SIMPLE  =                    T', 'BITPIX  =                    8', 'NAXIS   =                    0', `DATASUM = '${datasum}'`, 'END']
        .map((c) => c.padEnd(80, ' '))
        .join('')
        .padEnd(2880, ' '),
    );
  it('a blank DATASUM is 0: right for an HDU without data', () => {
    expect(verifyFits(bufferSource(header('        '))).issues).toEqual([]);
    expect(verifyFits(bufferSource(header('0'))).issues).toEqual([]);
  });
  it('a DATASUM that is not a number is still a mismatch', () => {
    expect(verifyFits(bufferSource(header('x'))).issues.map((i) => i.code)).toEqual(['FITS_DATASUM_MISMATCH']);
  });
  it('an unquoted DATASUM beyond 2^53 (a bigint) is a mismatch named in the message, not a throw', () => {
    const bytes = new TextEncoder().encode(
      ['SIMPLE  =                    T', 'BITPIX  =                    8', 'NAXIS   =                    0', 'DATASUM = 99999999999999999999', 'END']
        .map((c) => c.padEnd(80, ' '))
        .join('')
        .padEnd(2880, ' '),
    );
    const issues = verifyFits(bufferSource(bytes)).issues;
    expect(issues.map((i) => i.code)).toEqual(['FITS_DATASUM_MISMATCH']);
    expect(issues[0].message).toContain('is 99999999999999999999 but the data unit sums to 0');
  });
});

describe('checksum arithmetic', () => {
  it('1s complement sum wraps carries around', () => {
    expect(onesComplementSum(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 2]))).toBe(2);
    expect(addSums(0xffffffff, 0)).toBe(0xffffffff);
    expect(addSums(0x80000000, 0x80000000)).toBe(1);
  });
  it('aligned (word) and unaligned (byte) views of the same bytes sum alike', () => {
    // 40,000 pseudo-random bytes, mostly 0xff so that both halves carry often.
    const bytes = new Uint8Array(40_001);
    let x = 12345;
    for (let i = 0; i < bytes.length; i++) {
      x = (Math.imul(x, 1103515245) + 12345) | 0;
      bytes[i] = i % 5 === 0 ? (x >>> 16) & 0xff : 0xff;
    }
    const shifted = new Uint8Array(bytes.length + 1);
    shifted.set(bytes, 1);
    for (const length of [0, 4, 8, 508, 512, 516, 40_000]) {
      for (const start of [0, 0xffffffff, 0x12345678]) {
        const aligned = bytes.subarray(0, length);
        const unaligned = shifted.subarray(1, 1 + length);
        expect(unaligned.byteOffset % 4).not.toBe(0);
        expect(onesComplementSum(aligned, start)).toBe(onesComplementSum(unaligned, start));
      }
    }
  });
  it('astropy-written CHECKSUM makes each HDU sum to -0', () => {
    const { issues, hdus } = verifyFits(bufferSource(loadFixture('checksum_good').bytes));
    expect(hdus.every((h) => h.keywords.has('CHECKSUM') && h.keywords.has('DATASUM'))).toBe(true);
    expect(issues).toEqual([]);
  });
  it('a damaged header breaks CHECKSUM only; damaged data breaks both', () => {
    const { issues } = verifyFits(bufferSource(loadFixture('checksum_bad').bytes));
    expect(issues.map((i) => [i.hdu, i.code]).sort()).toEqual([
      [0, 'FITS_CHECKSUM_MISMATCH'],
      [1, 'FITS_CHECKSUM_MISMATCH'],
      [1, 'FITS_DATASUM_MISMATCH'],
    ]);
  });
});
