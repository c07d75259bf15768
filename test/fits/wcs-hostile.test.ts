/**
 * Axis counts a header can ask for but no WCS has: the WCS keywords number axes 1 to 99. Trusting
 * WCSAXES = 10^20 ran an analysis thread out of memory (found by fuzzing astropy's test files);
 * 999 axes cost seconds of matrix work per file.
 */
import { describe, expect, it } from 'vitest';
import type { CardValue } from '../../src/fits/index.js';
import { describeWcs } from '../../src/fits/wcs/index.js';

const IMAGE: [string, CardValue][] = [
  ['CTYPE1', 'RA---TAN'], ['CTYPE2', 'DEC--TAN'], ['CRVAL1', 150], ['CRVAL2', 2], ['CRPIX1', 10], ['CRPIX2', 10],
  ['CDELT1', -0.001], ['CDELT2', 0.001],
];

function timed(extra: [string, CardValue][]) {
  const t = performance.now();
  const summary = describeWcs(new Map([...IMAGE, ...extra]), [20, 20], 0);
  return { summary, ms: performance.now() - t };
}

describe('hostile axis counts', () => {
  it.each([
    ['10^20 (bigint)', 100000000000000000000n as CardValue],
    ['999', 999],
    ['0', 0],
    ['2.5', 2.5],
  ])('WCSAXES = %s is WCS_BAD_VALUE and no coordinates, at once', (_label, value) => {
    const { summary, ms } = timed([['WCSAXES', value]]);
    expect(summary.issues.map((i) => [i.severity, i.code, i.keyword])).toEqual([['ERROR', 'WCS_BAD_VALUE', 'WCSAXES']]);
    expect(summary.center).toBeNull();
    expect(ms).toBeLessThan(200);
  });

  it('axis numbers above 99 (CTYPE999, PC999_1) are not WCS axes: the image keeps its sky position', () => {
    const { summary, ms } = timed([['CTYPE999', 'FREQ'], ['PC999_1', 1]]);
    expect(summary.center).not.toBeNull();
    expect(summary.issues).toEqual([]);
    expect(ms).toBeLessThan(200);
  });

  it('WCSAXES = 99 is legal', () => {
    const { summary, ms } = timed([['WCSAXES', 99]]);
    expect(summary.issues.map((i) => i.code)).toEqual(['WCS_TOO_MANY_AXES']);
    expect(ms).toBeLessThan(500);
  });
});
