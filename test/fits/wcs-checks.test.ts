/**
 * Every WCS check code: triggered by a header built to show the problem, absent from a clean one.
 */
import { describe, expect, it } from 'vitest';
import { WCS_CODES, describeWcs, type WcsCode } from '../../src/fits/wcs/index.js';
import type { CardValue } from '../../src/fits/types.js';

const HDU = 2;

function image(extra: Record<string, CardValue> = {}, drop: string[] = []): Map<string, CardValue> {
  const m = new Map<string, CardValue>(Object.entries({
    NAXIS: 2, NAXIS1: 100, NAXIS2: 80,
    CTYPE1: 'RA---TAN', CTYPE2: 'DEC--TAN', CUNIT1: 'deg', CUNIT2: 'deg',
    CRVAL1: 150.1, CRVAL2: 2.2, CRPIX1: 50.5, CRPIX2: 40.5,
    CDELT1: -0.001, CDELT2: 0.001, PC1_1: 1, PC1_2: 0, PC2_1: 0, PC2_2: 1,
    RADESYS: 'ICRS',
  }));
  for (const k of drop) m.delete(k);
  for (const [k, v] of Object.entries(extra)) m.set(k, v);
  return m;
}

function codes(keywords: Map<string, CardValue>, naxis: number[] = [100, 80]): string[] {
  return describeWcs(keywords, naxis, HDU).issues.map((i) => i.code);
}

/** The issue with `code`, checked for severity, HDU and keyword naming. */
function issue(keywords: Map<string, CardValue>, naxis: number[], code: WcsCode, keyword: string) {
  const s = describeWcs(keywords, naxis, HDU);
  const found = s.issues.find((i) => i.code === code);
  expect(found, `${code} in ${JSON.stringify(s.issues)}`).toBeDefined();
  expect(found!.severity).toBe(WCS_CODES[code]);
  expect(found!.hdu).toBe(HDU);
  expect(found!.keyword).toBe(keyword);
  expect(found!.message).toContain(`HDU ${HDU}`);
  expect(found!.message).toContain(keyword);
  return s;
}

describe('WCS checks', () => {
  it('a clean header has no findings and a centre', () => {
    const s = describeWcs(image(), [100, 80], HDU);
    expect(s.issues).toEqual([]);
    expect(s.celestial).toBe(true);
    expect(s.center).not.toBeNull();
    expect(s.footprint).toHaveLength(4);
  });

  it('a clean spectrum has no findings', () => {
    const s = describeWcs(new Map<string, CardValue>([['NAXIS', 1], ['NAXIS1', 500], ['CTYPE1', 'WAVE'], ['CUNIT1', 'Angstrom'],
      ['CRVAL1', 4000], ['CRPIX1', 1], ['CDELT1', 2]]), [500], HDU);
    expect(s.issues).toEqual([]);
    expect(s.spectralRange).toEqual({ min: 4000, max: 4998, unit: 'Angstrom' });
  });

  it('no data array (NAXIS = 0): the WCS is parsed but nothing is placed on the sky', () => {
    const s = describeWcs(image({ NAXIS: 0 }, ['NAXIS1', 'NAXIS2']), [], HDU);
    expect(s.celestial).toBe(true);
    expect(s.center).toBeNull();
    expect(s.footprint).toBeNull();
    expect(s.issues).toEqual([]);
  });

  it('WCS_SINGULAR_MATRIX: CDELT2 = 0; no coordinates', () => {
    const s = issue(image({ CDELT2: 0 }), [100, 80], 'WCS_SINGULAR_MATRIX', 'PC1_1');
    expect(s.center).toBeNull();
    expect(s.footprint).toBeNull();
  });

  it('WCS_SINGULAR_MATRIX: dependent CD rows', () => {
    const kw = image({ CD1_1: 0.001, CD1_2: 0.002, CD2_1: 0.002, CD2_2: 0.004 }, ['PC1_1', 'PC1_2', 'PC2_1', 'PC2_2', 'CDELT1', 'CDELT2']);
    issue(kw, [100, 80], 'WCS_SINGULAR_MATRIX', 'CD1_1');
  });

  it('WCS_CD_WITH_PC: CD and PC both present', () => {
    issue(image({ CD1_1: -0.001, CD2_2: 0.001 }), [100, 80], 'WCS_CD_WITH_PC', 'CD1_1');
  });

  it('WCS_CD_WITH_PC: CD with a non-unit CDELT', () => {
    const kw = image({ CD1_1: -0.001, CD2_2: 0.001 }, ['PC1_1', 'PC1_2', 'PC2_1', 'PC2_2']);
    issue(kw, [100, 80], 'WCS_CD_WITH_PC', 'CDELT1');
  });

  it('WCS_UNKNOWN_PROJECTION', () => {
    const s = issue(image({ CTYPE1: 'RA---XYZ', CTYPE2: 'DEC--XYZ' }), [100, 80], 'WCS_UNKNOWN_PROJECTION', 'CTYPE1');
    expect(s.celestial).toBe(false);
    expect(s.center).toBeNull();
  });

  it('WCS_UNPAIRED_CELESTIAL: RA with GLAT', () => {
    const s = issue(image({ CTYPE2: 'GLAT-TAN' }), [100, 80], 'WCS_UNPAIRED_CELESTIAL', 'CTYPE1');
    expect(s.celestial).toBe(false);
  });

  it('WCS_UNPAIRED_CELESTIAL: RA alone', () => {
    issue(image({ CTYPE2: 'LINEAR' }), [100, 80], 'WCS_UNPAIRED_CELESTIAL', 'CTYPE1');
  });

  it('WCS_UNPAIRED_CELESTIAL: different projections', () => {
    issue(image({ CTYPE2: 'DEC--SIN' }), [100, 80], 'WCS_UNPAIRED_CELESTIAL', 'CTYPE2');
  });

  it('WCS_CELESTIAL_UNIT: arcsec', () => {
    issue(image({ CUNIT2: 'arcsec', CDELT2: 3.6 }), [100, 80], 'WCS_CELESTIAL_UNIT', 'CUNIT2');
  });

  it('WCS_TOO_MANY_AXES: WCSAXES = 3 on a 2-D image', () => {
    issue(image({ WCSAXES: 3, CTYPE3: 'STOKES' }), [100, 80], 'WCS_TOO_MANY_AXES', 'WCSAXES');
  });

  it('WCS_2D_ON_SPECTRUM: RA/DEC left on a 1-D array', () => {
    const kw = image({ NAXIS: 1, NAXIS1: 2048 }, ['NAXIS2']);
    const s = issue(kw, [2048], 'WCS_2D_ON_SPECTRUM', 'CTYPE1');
    expect(s.issues.map((i) => i.code)).not.toContain('WCS_TOO_MANY_AXES');
  });

  it('WCS_RADESYS_EQUINOX: FK4 with EQUINOX 2000', () => {
    issue(image({ RADESYS: 'FK4', EQUINOX: 2000 }), [100, 80], 'WCS_RADESYS_EQUINOX', 'EQUINOX');
  });

  it('WCS_RADESYS_EQUINOX: ICRS with EQUINOX 1950', () => {
    issue(image({ EQUINOX: 1950 }), [100, 80], 'WCS_RADESYS_EQUINOX', 'EQUINOX');
  });

  it('WCS_RADESYS_EQUINOX: FK5 with EPOCH 1950', () => {
    issue(image({ RADESYS: 'FK5', EPOCH: 1950 }), [100, 80], 'WCS_RADESYS_EQUINOX', 'EPOCH');
  });

  it('no WCS_RADESYS_EQUINOX for FK5 J2000 and FK4 B1950', () => {
    expect(codes(image({ RADESYS: 'FK5', EQUINOX: 2000 }))).toEqual([]);
    expect(codes(image({ RADESYS: 'FK4', EQUINOX: 1950 }))).toEqual([]);
  });

  it('WCS_OUTSIDE_VALID_REGION: all-sky SIN image corners are beyond the horizon', () => {
    const kw = image({ CTYPE1: 'RA---SIN', CTYPE2: 'DEC--SIN', CDELT1: -1, CDELT2: 1 });
    const s = issue(kw, [100, 80], 'WCS_OUTSIDE_VALID_REGION', 'CTYPE1');
    expect(s.footprint).toBeNull();
    expect(s.center).not.toBeNull();
  });

  it('WCS_SPECTRAL_UNSUPPORTED: -TAB and WAVE-F2W give no range', () => {
    for (const ctype of ['WAVE-TAB', 'WAVE-F2W']) {
      const kw = new Map<string, CardValue>([['CTYPE1', ctype], ['CRVAL1', 5e-7], ['CDELT1', 1e-10], ['CRPIX1', 1]]);
      const s = issue(kw, [100], 'WCS_SPECTRAL_UNSUPPORTED', 'CTYPE1');
      expect(s.spectralAxis).toBe(0);
      expect(s.spectralRange).toBeNull();
    }
  });

  it('WCS_BAD_VALUE: non-numeric CRVAL gives no coordinates', () => {
    const s = issue(image({ CRVAL1: '10:00:24' }), [100, 80], 'WCS_BAD_VALUE', 'CRVAL1');
    expect(s.center).toBeNull();
  });

  it('WCS_PROJECTION_PARAMETERS: COP without PV2_1', () => {
    const s = issue(image({ CTYPE1: 'RA---COP', CTYPE2: 'DEC--COP' }), [100, 80], 'WCS_PROJECTION_PARAMETERS', 'PV2_1');
    expect(s.center).toBeNull();
  });

  it('every check code is exercised above', () => {
    // Guards against adding a code without a test: keep this list in step with the cases above.
    expect(Object.keys(WCS_CODES).sort()).toEqual([
      'WCS_2D_ON_SPECTRUM', 'WCS_BAD_VALUE', 'WCS_CD_WITH_PC', 'WCS_CELESTIAL_UNIT', 'WCS_OUTSIDE_VALID_REGION',
      'WCS_PROJECTION_PARAMETERS', 'WCS_RADESYS_EQUINOX', 'WCS_SINGULAR_MATRIX', 'WCS_SPECTRAL_UNSUPPORTED',
      'WCS_TOO_MANY_AXES', 'WCS_UNKNOWN_PROJECTION', 'WCS_UNPAIRED_CELESTIAL',
    ]);
  });
});
