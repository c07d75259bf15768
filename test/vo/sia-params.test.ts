/**
 * Parameter parsing and SQL of the simple services, without a database: SIA 2.0's POS shapes
 * and DALI intervals, SSA's range lists and ISO times, Cone Search's limits, and how repeated
 * parameters OR while different ones AND.
 */
import { describe, expect, it } from 'vitest';
import { angularDistanceDeg, rangesContain, ang2pixNest, STORE_ORDER } from '../../src/sky/index.js';
import { isoToMjd, ParamError, parseDaliInterval, parseSiaPos, parseSsaRangeList, regionRanges, ServiceParams } from '../../src/vo/services/params.js';
import { parseScs, scsObscoreSql } from '../../src/vo/services/scs.js';
import { parseSia, siaQuerySql } from '../../src/vo/services/sia.js';
import { parseSsa, ssaQuerySql } from '../../src/vo/services/ssa.js';
import { linkRows, recordIdOf } from '../../src/vo/services/datalink.js';

const P = (q: Record<string, string | string[]>) => ServiceParams.from(q);

describe('ServiceParams', () => {
  it('names are case-insensitive, values repeat, blanks are absent', () => {
    const p = P({ pos: 'CIRCLE 1 2 3', POS: ['RANGE 0 1 0 1'], Band: ' ' });
    expect(p.all('POS')).toEqual(['CIRCLE 1 2 3', 'RANGE 0 1 0 1']);
    expect(p.all('BAND')).toEqual([]);
    expect(() => p.one('POS')).toThrow(/POS was given 2 times/);
  });
});

describe('SIA 2.0 POS', () => {
  it('parses the three shapes', () => {
    expect(parseSiaPos('CIRCLE 370 -10 0.5')).toEqual({ kind: 'circle', ra: 10, dec: -10, radius: 0.5 });
    expect(parseSiaPos('RANGE 10 20 -Inf +Inf')).toEqual({ kind: 'range', ra1: 10, ra2: 20, dec1: -90, dec2: 90 });
    expect(parseSiaPos('POLYGON 10 0 11 0 11 1')).toMatchObject({ kind: 'polygon', vertices: [{ ra: 10, dec: 0 }, { ra: 11, dec: 0 }, { ra: 11, dec: 1 }] });
  });
  it.each([
    ['CIRCLE 1 2', /CIRCLE takes 3 numbers/],
    ['CIRCLE 1 95 1', /declination 95/],
    ['CIRCLE 1 2 0', /radius/],
    ['RANGE 10 20 1 0', /increasing order/],
    ['POLYGON 0 0 1 1', /3 or more vertices/],
    ['POLYGON 0 0 2 0 2 2 1 1 0 2', /not convex/],
    ['BOX 1 2 3 4', /is not CIRCLE/],
    ['CIRCLE a 2 3', /"a" is not a number/],
  ])('%s is refused, saying why', (pos, message) => {
    expect(() => parseSiaPos(pos)).toThrow(ParamError);
    expect(() => parseSiaPos(pos)).toThrow(message);
  });
  it("a region's pixel ranges hold every position inside it (RANGE edges are not great circles)", () => {
    const inside = (region: ReturnType<typeof parseSiaPos>, ra: number, dec: number) => rangesContain(regionRanges(region), ang2pixNest(STORE_ORDER, ra, dec));
    const box = parseSiaPos('RANGE 100 110 40 50');
    for (const [ra, dec] of [[100, 40], [105, 40.001], [110, 50], [105, 49.999], [100.01, 45]]) expect(inside(box, ra, dec)).toBe(true);
    const across = parseSiaPos('RANGE 359 1 -1 1');
    expect(across).toEqual({ kind: 'range', ra1: 359, ra2: 1, dec1: -1, dec2: 1 });
    for (const [ra, dec] of [[359.5, 0.5], [0.5, -0.5], [0, 1], [359, -1]]) expect(inside(across, ra, dec)).toBe(true);
    const circle = parseSiaPos('CIRCLE 359.9 0 0.2');
    expect(inside(circle, 0.05, 0.05)).toBe(true);
    expect(angularDistanceDeg(359.9, 0, 0.05, 0.05)).toBeLessThan(0.2);
  });
});

describe('intervals and times', () => {
  it('DALI intervals: two ends, open ends, one value', () => {
    expect(parseDaliInterval('BAND', '4e-7 7e-7')).toEqual({ min: 4e-7, max: 7e-7 });
    expect(parseDaliInterval('BAND', '-Inf 7e-7')).toEqual({ min: null, max: 7e-7 });
    expect(parseDaliInterval('TIME', '56658')).toEqual({ min: 56658, max: 56658 });
    expect(() => parseDaliInterval('BAND', '7e-7 4e-7')).toThrow(/reversed/);
  });
  it('SSA range lists: a/b, a/, /b, single values, comma lists, qualifiers', () => {
    const n = (t: string) => Number(t);
    expect(parseSsaRangeList('BAND', '1e-7/2e-7,3e-7/;source', n)).toEqual([{ min: 1e-7, max: 2e-7 }, { min: 3e-7, max: null }]);
    expect(parseSsaRangeList('BAND', '/5e-7', n)).toEqual([{ min: null, max: 5e-7 }]);
    expect(parseSsaRangeList('BAND', '5e-7', n)).toEqual([{ min: 5e-7, max: 5e-7 }]);
    expect(() => parseSsaRangeList('BAND', '/', n)).toThrow(/at least one end/);
  });
  it('ISO 8601 UTC to MJD', () => {
    expect(isoToMjd('TIME', '1858-11-17')).toBe(0);
    expect(isoToMjd('TIME', '2019-04-12T12:00:00')).toBeCloseTo(58585.5, 9);
    expect(isoToMjd('TIME', '2019-04-12T12:00:00.5Z')).toBeCloseTo(58585.5 + 0.5 / 86400, 9);
    expect(() => isoToMjd('TIME', '2019-02-30')).toThrow(/not a valid date/);
    expect(() => isoToMjd('TIME', '12/04/2019')).toThrow(/ISO 8601/);
  });
});

describe('SCS', () => {
  it('needs RA, DEC and SR; SR=0 is allowed, SR over the maximum is not; VERB 1-3', () => {
    expect(parseScs(P({ RA: '10', DEC: '-5', SR: '0' }), 100)).toEqual({ ra: 10, dec: -5, sr: 0, verb: 2, maxrec: 100 });
    expect(() => parseScs(P({ RA: '10', DEC: '-5' }), 100)).toThrow(/SR is required/);
    expect(() => parseScs(P({ RA: 'as3f', DEC: '-5', SR: '1' }), 100)).toThrow(/RA: "as3f" is not a number/);
    expect(() => parseScs(P({ RA: '10', DEC: '91', SR: '1' }), 100)).toThrow(/DEC: 91 is out of range/);
    expect(() => parseScs(P({ RA: '10', DEC: '1', SR: '11' }), 100)).toThrow(/largest search radius/);
    expect(() => parseScs(P({ RA: '10', DEC: '1', SR: '1', VERB: '4' }), 100)).toThrow(/VERB/);
    expect(parseScs(P({ RA: '10', DEC: '1', SR: '1', MAXREC: '5' }), 100).maxrec).toBe(5);
  });
  it('one statement: literal pixel ranges on hpx, then the exact distance, nearest first', () => {
    const s = scsObscoreSql(parseScs(P({ RA: '10', DEC: '-5', SR: '0.01', VERB: '1' }), 100));
    expect(s.sql).toMatch(/o\.hpx >= \d+ AND o\.hpx < \d+/);
    expect(s.sql).toMatch(/ORDER BY distance/);
    expect([...s.meta.entries()].slice(0, 3).map(([, m]) => m.ucd)).toEqual(['ID_MAIN', 'POS_EQ_RA_MAIN', 'POS_EQ_DEC_MAIN']);
    expect(s.params.at(-1)).toBe(101);
  });
});

describe('SIA and SSA statements: one parameter ORs, different ones AND', () => {
  it('SIA', () => {
    const q = parseSia(P({ POS: ['CIRCLE 10 10 1', 'CIRCLE 20 20 1'], COLLECTION: ['A/DR1', 'B/DR1'], CALIB: '2', INSTRUMENT: 'HERMES' }), 50);
    const { sql, params } = siaQuerySql(q);
    expect(sql.match(/o\.coverage && /g)).toHaveLength(2);
    expect(sql).toMatch(/\(\(o\.coverage && .*\) OR \(o\.coverage && .*\)\)/);
    expect(params).toContainEqual(['A/DR1', 'B/DR1']);
    expect(params).toContainEqual([2]);
    expect(sql).toMatch(/o\.calib_level = ANY \(\$\d+::int4\[\]\)/);
    expect(() => parseSia(P({ DPTYPE: 'spectrum' }), 50)).toThrow(/DPTYPE/);
    expect(() => parseSia(P({ CALIB: '7' }), 50)).toThrow(/CALIB/);
  });
  it('SSA', () => {
    const q = parseSsa(P({ REQUEST: 'queryData', POS: '10,20;ICRS', SIZE: '0.1', BAND: '4e-7/5e-7,6e-7/', TIME: '2019-01-01/2019-12-31', FORMAT: 'fits' }), 50);
    expect(q.size).toBe(0.1);
    expect(q.band).toHaveLength(2);
    const { sql, fields } = ssaQuerySql(q, 'astroarchive');
    expect(sql).toMatch(/o\.dataproduct_type = 'spectrum'/);
    expect(sql).toMatch(/\(\(.*em_max.*\) OR \(.*em_max.*\)\)/);
    for (const utype of ['ssa:Access.Reference', 'ssa:Access.Format', 'ssa:DataID.Title', 'ssa:Target.Name', 'ssa:Char.SpatialAxis.Coverage.Location.Value', 'ssa:Char.SpectralAxis.Coverage.Bounds.Start', 'ssa:Char.SpectralAxis.Coverage.Bounds.Stop', 'ssa:Char.TimeAxis.Coverage.Location.Value', 'ssa:Dataset.Length', 'ssa:Dataset.DataModel', 'ssa:Curation.Publisher', 'ssa:CoordSys.SpaceFrame.Name']) {
      expect(fields.map((f) => f.utype)).toContain(utype);
    }
    expect(parseSsa(P({ FORMAT: 'METADATA' }), 50).metadata).toBe(true);
    expect(() => parseSsa(P({ REQUEST: 'queryData', BAND: 'optical' }), 50)).toThrow(/metres/);
    expect(() => parseSsa(P({ REQUEST: 'getData' }), 50)).toThrow(/PUBDID/);
    expect(() => parseSsa(P({ REQUEST: 'queryData', POS: '10,20;GALACTIC' }), 50)).toThrow(/ICRS/);
  });
});

describe('DataLink', () => {
  it('ids of this shape only; unknown and invisible ids read the same', () => {
    expect(recordIdOf('ivo://astroarchive.local/astroarchive?42')).toBe(42);
    expect(recordIdOf('ivo://x/astroarchive?042')).toBeNull();
    expect(recordIdOf('42')).toBeNull();
    const rows = linkRows(['ivo://a/astroarchive?1', 'nonsense'], new Map(), new Map(), 'http://h');
    expect(rows.map((r) => r[3])).toEqual(['NotFoundFault: no dataset ivo://a/astroarchive?1 here, or none this caller may see', 'NotFoundFault: no dataset nonsense here, or none this caller may see']);
  });
});
