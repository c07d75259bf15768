/**
 * ObsCore's time and spectral columns against astropy (test/fixtures/obscore/obscore.json, made
 * by make_obscore_fixtures.py): FITS dates and MJDs in UTC/TT/TAI/GPS as MJD (UTC), and spectral
 * values in every unit the WCS layer reads as wavelengths in metres.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mjdToUtc, observationTime, parseFitsDate, taiMinusUtc } from '../../src/fits/time.js';
import { spectralRangeMetres, spectralToMetres } from '../../src/fits/wcs/units.js';
import { describeWcs } from '../../src/fits/wcs/index.js';
import type { CardValue } from '../../src/fits/types.js';

interface Fixture {
  dates: { date: string; timesys: string; mjdUtc: number }[];
  mjds: { mjd: number; timesys: string; mjdUtc: number }[];
  spectral: { ctype: string; unit: string; value: number; metres: number }[];
}
const fixture = JSON.parse(fs.readFileSync(new URL('../fixtures/obscore/obscore.json', import.meta.url), 'utf8')) as Fixture;
/** 1 microsecond, in days. */
const US = 1e-6 / 86400;

describe('FITS times as MJD (UTC), as astropy.time computes them', () => {
  it.each(fixture.dates)('DATE-OBS $date in $timesys', ({ date, timesys, mjdUtc }) => {
    const local = parseFitsDate(date);
    expect(local).not.toBeNull();
    expect(Math.abs((mjdToUtc(local as number, timesys) as number) - mjdUtc)).toBeLessThan(5 * US);
    const t = observationTime(new Map<string, CardValue>([['DATE-OBS', date], ['TIMESYS', timesys]]));
    expect(Math.abs((t.tMin as number) - mjdUtc)).toBeLessThan(5 * US);
  });

  it.each(fixture.mjds)('MJD-OBS $mjd in $timesys', ({ mjd, timesys, mjdUtc }) => {
    expect(Math.abs((mjdToUtc(mjd, timesys) as number) - mjdUtc)).toBeLessThan(5 * US);
  });

  it('reads the pre-2000 DD/MM/YY form and refuses what is not a date', () => {
    expect(parseFitsDate('04/03/97')).toBe(parseFitsDate('1997-03-04'));
    for (const bad of ['2023-02-30', '2023-13-01', 'yesterday', '2023-01-01T25:00:00', '']) expect(parseFitsDate(bad)).toBeNull();
  });

  it('knows TAI - UTC from 1972 (10 s) to 2017 (37 s)', () => {
    expect(taiMinusUtc(41317)).toBe(10);
    expect(taiMinusUtc(57753.9)).toBe(36);
    expect(taiMinusUtc(57754)).toBe(37);
    expect(taiMinusUtc(61000)).toBe(37);
  });

  it('ends an observation at MJD-END / DATE-END, else start + TELAPSE, else + EXPTIME, else at its start', () => {
    const start = parseFitsDate('2020-01-01T00:00:00') as number;
    const t = (cards: [string, CardValue][]) => observationTime(new Map<string, CardValue>([['DATE-OBS', '2020-01-01T00:00:00'], ...cards]));
    expect(t([['EXPTIME', 1200]])).toEqual({ tMin: start, tMax: start + 1200 / 86400, tExptime: 1200 });
    expect(t([['EXPTIME', 1200], ['TELAPSE', 3600]]).tMax).toBeCloseTo(start + 3600 / 86400, 12);
    expect(t([['EXPTIME', 1200], ['DATE-END', '2020-01-01T02:00:00']]).tMax).toBeCloseTo(start + 2 / 24, 12);
    expect(t([['MJD-END', start + 0.5]]).tMax).toBe(start + 0.5);
    expect(t([])).toEqual({ tMin: start, tMax: start, tExptime: null });
    // MJD-OBS wins over DATE-OBS (more digits), and a TT header comes back in UTC.
    expect(observationTime(new Map<string, CardValue>([['MJD-OBS', 58000], ['DATE-OBS', '2000-01-01'], ['TIMESYS', 'TT']])).tMin)
      .toBeCloseTo(58000 - (32.184 + 37) / 86400, 12);
    expect(observationTime(new Map<string, CardValue>([['EXPTIME', 30]]))).toEqual({ tMin: null, tMax: null, tExptime: 30 });
    // A scale we cannot convert gives no time rather than a wrong one.
    expect(observationTime(new Map<string, CardValue>([['MJD-OBS', 58000], ['TIMESYS', 'TCB']])).tMin).toBeNull();
  });
});

describe('spectral values as wavelengths in metres, as astropy.units (spectral equivalencies) computes them', () => {
  it.each(fixture.spectral)('$ctype $value $unit', ({ ctype, unit, value, metres }) => {
    expect(Math.abs((spectralToMetres(ctype, unit, value) as number) / metres - 1)).toBeLessThan(1e-12);
  });

  it('swaps the ends of inverted axes, and gives nothing for velocities or unknown units', () => {
    const r = spectralRangeMetres('FREQ', 'GHz', 100, 200) as { min: number; max: number };
    expect(r.min).toBeCloseTo(299_792_458 / 200e9, 18);
    expect(r.max).toBeCloseTo(299_792_458 / 100e9, 18);
    expect(spectralRangeMetres('VRAD', 'm/s', 0, 1000)).toBeNull();
    expect(spectralToMetres('WAVE', 'furlong', 1)).toBeNull();
    expect(spectralToMetres('FREQ', 'Hz', 0)).toBeNull();
  });

  it('a logarithmic wavelength axis (WAVE-LOG) gives its world range in metres', () => {
    const s = describeWcs(new Map<string, CardValue>([['NAXIS', 1], ['NAXIS1', 101], ['CTYPE1', 'WAVE-LOG'], ['CUNIT1', 'Angstrom'],
      ['CRPIX1', 1], ['CRVAL1', 4000], ['CDELT1', 4000 * Math.log(2) / 100]]), [101], 0);
    expect(s.spectralRange).toMatchObject({ unit: 'Angstrom' });
    expect(s.emRange?.min).toBeCloseTo(4000e-10, 18);
    expect(s.emRange?.max).toBeCloseTo(8000e-10, 16);
  });
});
