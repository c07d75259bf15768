/** What the analysis threads make of a record's sky, time and spectral data (src/ingest/analyze/obscore.ts). */
import { describe, expect, it } from 'vitest';
import { multirange, obscoreFields } from '../../src/ingest/analyze/obscore.js';
import type { FitsIssue } from '../../src/fits/types.js';
import { ang2pixNest, polygonMoc, rangesContain, smallestEnclosingCircle, type PixelRange } from '../../src/sky/index.js';
import { terminalOrderFor } from '../../src/sky/coverage.js';

function ranges(text: string): PixelRange[] {
  return [...text.matchAll(/\[(\d+),(\d+)\)/g)].map((m) => [Number(m[1]), Number(m[2])] as PixelRange);
}

const square = [{ ra: 10, dec: 10 }, { ra: 10.1, dec: 10 }, { ra: 10.1, dec: 10.1 }, { ra: 10, dec: 10.1 }];

describe('obscoreFields', () => {
  it('covers a convex footprint with its MOC and measures its enclosing circle', () => {
    const issues: FitsIssue[] = [];
    const o = obscoreFields({ kind: 'IMAGE', calibLevel: null, center: { ra: 10.05, dec: 10.05 }, footprint: square, emRange: null }, issues);
    expect(o).toMatchObject({ dataproductType: 'image', calibLevel: 2, hpx: ang2pixNest(24, 10.05, 10.05) });
    expect(o.coverage).toBe(multirange(polygonMoc(square, { order: terminalOrderFor((smallestEnclosingCircle(square).radius * Math.PI) / 180) - 3 })));
    expect(ranges(o.coverage!).length).toBeLessThanOrEqual(20);
    expect(rangesContain(ranges(o.coverage!), o.hpx!)).toBe(true);
    expect(o.fov).toBeGreaterThan(0.1 * Math.SQRT2 * Math.cos((10.1 * Math.PI) / 180) * 0.99);
    expect(issues).toEqual([]);
  });

  it('falls back to the enclosing circle for a footprint that is not a convex polygon (a bow tie)', () => {
    const bowTie = [square[0], square[2], square[1], square[3]];
    expect(() => polygonMoc(bowTie)).toThrow(RangeError);
    const issues: FitsIssue[] = [];
    const o = obscoreFields({ kind: 'IMAGE', calibLevel: 1, center: { ra: 10.05, dec: 10.05 }, footprint: bowTie, emRange: null }, issues);
    expect(o.calibLevel).toBe(1);
    expect(o.coverage).not.toBeNull();
    const covered = ranges(o.coverage!);
    for (const p of square) expect(rangesContain(covered, ang2pixNest(24, p.ra, p.dec))).toBe(true);
    expect(covered.length).toBeLessThanOrEqual(64);
    expect(issues).toEqual([]);
  });

  it('gives no coverage, with a WARNING, to a footprint with no enclosing circle smaller than a hemisphere', () => {
    const issues: FitsIssue[] = [];
    const wide = [{ ra: 0, dec: 0 }, { ra: 120, dec: 0 }, { ra: 240, dec: 0 }];
    const o = obscoreFields({ kind: 'IMAGE', calibLevel: null, center: { ra: 0, dec: 90 }, footprint: wide, emRange: null }, issues);
    expect(o).toMatchObject({ coverage: null, fov: null, hpx: ang2pixNest(24, 0, 90) });
    expect(issues.map((i) => [i.severity, i.code])).toEqual([['WARNING', 'FOOTPRINT_NOT_INDEXED']]);
  });

  it('says nothing it does not know: a blob', () => {
    const o = obscoreFields({ kind: 'BLOB', calibLevel: null, center: null, footprint: null, emRange: null }, []);
    expect(o).toEqual({
      dataproductType: 'other', calibLevel: null, facilityName: null, instrumentName: null, emMin: null, emMax: null,
      tMin: null, tMax: null, tExptime: null, fov: null, hpx: null, coverage: null,
    });
  });
});

describe('the analysis threads\' cost per record', () => {
  it('hands every file without a record one frozen empty answer per kind and calibration level', async () => {
    const { noObsCore } = await import('../../src/ingest/analyze/obscore.js');
    const blob = noObsCore('BLOB', null);
    expect(noObsCore('BLOB', null)).toBe(blob);
    expect(Object.isFrozen(blob)).toBe(true);
    expect(blob).toEqual(obscoreFields({ kind: 'BLOB', calibLevel: null, center: null, footprint: null, emRange: null }, []));
    expect(noObsCore('BLOB', 3)).not.toBe(blob);
    expect(noObsCore('BLOB', 3).calibLevel).toBe(3);
    expect(noObsCore('CATALOGUE', null).dataproductType).toBe('measurements');
  });

  it('warms the coverage code once, at the first footprint, without changing any answer', async () => {
    const { vi } = await import('vitest');
    vi.resetModules();
    const fresh = await import('../../src/ingest/analyze/obscore.js');
    expect(fresh.coverageWarmed()).toBe(false);
    // Records without a footprint never pay for it.
    fresh.obscoreFields({ kind: 'SPECTRUM', calibLevel: null, center: { ra: 1, dec: 2 }, footprint: null, emRange: null }, []);
    expect(fresh.coverageWarmed()).toBe(false);
    const footprints = [square, [{ ra: 359.99, dec: -30 }, { ra: 0.01, dec: -30 }, { ra: 0.01, dec: -29.98 }, { ra: 359.99, dec: -29.98 }]];
    const answers = footprints.map((footprint) => fresh.obscoreFields({ kind: 'IMAGE', calibLevel: null, center: footprint[0], footprint, emRange: null }, []));
    expect(fresh.coverageWarmed()).toBe(true);
    // The same answers as from a module that warmed up long ago (this file's own import).
    obscoreFields({ kind: 'IMAGE', calibLevel: null, center: square[0], footprint: square, emRange: null }, []);
    expect(answers).toEqual(footprints.map((footprint) => obscoreFields({ kind: 'IMAGE', calibLevel: null, center: footprint[0], footprint, emRange: null }, [])));
    expect(answers.every((a) => a.coverage !== null && a.fov !== null)).toBe(true);
  });
});
