/** Min-max decimation (src/access/decimate.ts): point counts, extremes kept, order, gaps. */
import { describe, expect, it } from 'vitest';
import { decimateMinMax, MinMaxDecimator } from '../../src/access/decimate.js';

const indices = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('min-max decimation', () => {
  it('keeps every point when there are at most maxPoints', () => {
    const y = [3, 1, 4, 1, 5];
    const d = decimateMinMax(indices(5), y, 5);
    expect(Array.from(d.y)).toEqual(y);
    expect(Array.from(d.x)).toEqual(indices(5));
    expect(d.decimated).toBe(false);
  });

  it('returns at most maxPoints, with every bucket\'s extremes in input order', () => {
    const n = 100_003;
    const y = indices(n).map((i) => Math.sin(i / 500));
    // Narrow spikes a stride would miss: one up, one down.
    y[31_337] = 50;
    y[77_777] = -40;
    for (const maxPoints of [2, 3, 10, 1000, 2001]) {
      const d = decimateMinMax(indices(n), y, maxPoints);
      expect(d.decimated).toBe(true);
      expect(d.y.length).toBeLessThanOrEqual(maxPoints);
      expect(d.y.length).toBeGreaterThanOrEqual(Math.floor(maxPoints / 2));
      expect(Math.max(...d.y)).toBe(50);
      expect(Math.min(...d.y)).toBe(-40);
      expect(d.x[Array.from(d.y).indexOf(50)]).toBe(31_337);
      expect(d.x[Array.from(d.y).indexOf(-40)]).toBe(77_777);
      // x strictly increasing: points stay in file order, none twice.
      for (let i = 1; i < d.x.length; i++) expect(d.x[i]).toBeGreaterThan(d.x[i - 1]);
      // Each kept value is the true min or max of its bucket.
      const buckets = Math.floor(maxPoints / 2);
      for (let b = 0; b < buckets; b++) {
        const lo = Math.floor((b * n) / buckets);
        const hi = Math.floor(((b + 1) * n) / buckets);
        const slice = y.slice(lo, hi);
        const kept = Array.from(d.x).filter((x) => x >= lo && x < hi).map((x) => y[x]);
        expect(kept).toContain(Math.max(...slice));
        expect(kept).toContain(Math.min(...slice));
      }
    }
  });

  it('never lets NaN win a bucket, and keeps one NaN point for a bucket of only NaN (a gap in the plot)', () => {
    const y = [1, NaN, 2, NaN, NaN, NaN, NaN, 5, 3, NaN];
    const d = decimateMinMax(indices(10), y, 6); // buckets [0,3) [3,6) [6,10)
    expect(Array.from(d.x)).toEqual([0, 2, 3, 7, 8]);
    expect(Array.from(d.y)).toEqual([1, 2, NaN, 5, 3]);
  });

  it('closes the buckets seen when fewer points arrive than announced (a truncated file)', () => {
    const d = new MinMaxDecimator(1000, 10);
    for (let i = 0; i < 250; i++) d.push(i, i === 120 ? -1 : i);
    const out = d.finish();
    expect(out.y.length).toBeLessThanOrEqual(10);
    expect(Array.from(out.y)).toContain(-1);
    expect(Array.from(out.y)).toContain(249);
  });

  it('refuses fewer than two points', () => {
    expect(() => new MinMaxDecimator(10, 1)).toThrow(/at least 2/);
  });
});
