/** What the search box and the URL mean (src/web/client/search/*): pure functions, no browser. */
import { describe, expect, it } from 'vitest';
import { dateToMjd, formatAngle, formatDec, formatRa, mjdToDate, parseQuery } from '../../src/web/client/search/query.js';
import { readSearch, searchRequest, searchUrl } from '../../src/web/client/search/state.js';

const cone = (q: string) => {
  const p = parseQuery(q);
  if (p.kind !== 'cone') throw new Error(`${q}: ${JSON.stringify(p)}`);
  return p;
};

describe('the search box', () => {
  it('reads names, including ones that start with digits or hold spaces', () => {
    expect(parseQuery('NGC 1068')).toEqual({ kind: 'name', name: 'NGC 1068' });
    expect(parseQuery('  M31 ')).toEqual({ kind: 'name', name: 'M31' });
    expect(parseQuery('3C 273')).toEqual({ kind: 'name', name: '3C 273' });
    expect(parseQuery('Sgr A*')).toEqual({ kind: 'name', name: 'Sgr A*' });
    expect(parseQuery('')).toEqual({ kind: 'all' });
  });

  it('reads ra dec in degrees with the default 1′ radius, and a radius in arcminutes unless it has a unit', () => {
    expect(cone('40.6696 -0.0133')).toMatchObject({
      ra: 40.6696,
      dec: -0.0133,
      radiusGiven: false,
    });
    expect(cone('40.6696 -0.0133').radius).toBeCloseTo(1 / 60, 12);
    expect(cone('40.6696, -0.0133, 2').radius).toBeCloseTo(2 / 60, 12);
    expect(cone("40.6696 -0.0133 2'").radius).toBeCloseTo(2 / 60, 12);
    expect(cone('02:42:40.7 -00:00:47.8 2′').radius).toBeCloseTo(2 / 60, 12); // the placeholder's example
    expect(cone('40.6696 -0.0133 30"').radius).toBeCloseTo(30 / 3600, 12);
    expect(cone('40.6696 -0.0133 30 arcsec').radius).toBeCloseTo(30 / 3600, 12);
    expect(cone('40.6696 -0.0133 0.5d').radius).toBeCloseTo(0.5, 12);
    expect(cone('40.6696 -0.0133 1.5deg').radius).toBeCloseTo(1.5, 12);
    expect(cone('10 +41.27')).toMatchObject({ ra: 10, dec: 41.27 });
  });

  it('reads sexagesimal positions: RA in hours, Dec in degrees, a negative Dec below one degree keeps its sign', () => {
    const c = cone('02:42:40.71 -00:00:47.8');
    expect(c.ra).toBeCloseTo((2 + 42 / 60 + 40.71 / 3600) * 15, 9);
    expect(c.dec).toBeCloseTo(-(47.8 / 3600), 9);
    const d = cone('2h42m40.71s -0d00m47.8s 3');
    expect(d.ra).toBeCloseTo(c.ra, 9);
    expect(d.dec).toBeCloseTo(c.dec, 9);
    expect(d.radius).toBeCloseTo(3 / 60, 12);
    const e = cone('02 42 40.71 -00 00 47.8');
    expect(e.ra).toBeCloseTo(c.ra, 9);
    expect(e.dec).toBeCloseTo(c.dec, 9);
    expect(cone('12h30m +12d23m').dec).toBeCloseTo(12 + 23 / 60, 9);
  });

  it('refuses positions out of range with a reason (RA in hours must say so)', () => {
    expect(parseQuery('400 10')).toMatchObject({ kind: 'error' });
    expect((parseQuery('400 10') as { message: string }).message).toContain('0-360');
    expect(parseQuery('10 95')).toMatchObject({ kind: 'error' });
    expect(parseQuery('10 20 0')).toMatchObject({ kind: 'error' });
    expect(parseQuery('10 20 200d')).toMatchObject({ kind: 'error' });
  });

  it('formats positions and angles the way astronomers write them', () => {
    expect(formatRa(40.669629)).toBe('02h42m40.71s');
    expect(formatRa(359.99999999)).toBe('00h00m00.00s');
    expect(formatDec(-0.013281)).toBe('−00°00′47.8″');
    expect(formatDec(41.26875)).toBe('+41°16′07.5″');
    expect(formatAngle(1.5 / 3600)).toBe('1.50″');
    expect(formatAngle(2 / 60)).toBe('2.00′');
    expect(formatAngle(3)).toBe('3.00°');
    expect(dateToMjd('1858-11-17')).toBe(0);
    expect(dateToMjd('2019-04-12')).toBe(58585);
    expect(mjdToDate(58585.57)).toBe('2019-04-12');
  });
});

describe('the search in the URL', () => {
  it('round-trips through the URL and asks for the filter it shows', () => {
    const s = readSearch(new URLSearchParams('q=NGC+1068&kind=SPECTRUM,IMAGE,NOPE&release=3&wmin=400&wmax=700&from=2019-01-01&to=2019-12-31&proj=mollweide'));
    expect(s.kinds).toEqual(['SPECTRUM', 'IMAGE']);
    expect(readSearch(new URL(`http://x${searchUrl(s)}`).searchParams)).toEqual(s);
    const r = searchRequest(s);
    expect(r.problems).toEqual([]);
    expect(r.orderBy).toBe('ID');
    expect(r.filter).toEqual({
      targetName: 'NGC 1068',
      release: '3',
      kind: ['SPECTRUM', 'IMAGE'],
      wavelength: { min: 400e-9, max: 700e-9 },
      time: { min: 58484, max: 58849 },
    });
    expect(searchUrl(readSearch(new URLSearchParams('')))).toBe('/');
  });

  it('a cone is ordered by distance; bad filters are reported and not sent', () => {
    expect(searchRequest(readSearch(new URLSearchParams('q=10+20+5'))).orderBy).toBe('DISTANCE');
    const bad = searchRequest(readSearch(new URLSearchParams('wmin=700&wmax=400&from=2020-01-01&to=2019-01-01')));
    expect(bad.problems).toHaveLength(2);
    expect(searchRequest(readSearch(new URLSearchParams('wmin=abc'))).problems[0]).toContain('nanometres');
  });
});
