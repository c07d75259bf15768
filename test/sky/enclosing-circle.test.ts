import { describe, expect, it } from 'vitest';
import { angularDistanceDeg, smallestEnclosingCircle } from '../../src/sky/index.js';
import { offset, prng, randomPosition, unitVec, type Pos } from './fixtures.js';

const D = Math.PI / 180;
const vec = unitVec;
const toPos = (v: number[]): Pos => ({ ra: ((Math.atan2(v[1], v[0]) / D) + 360) % 360, dec: Math.atan2(v[2], Math.hypot(v[0], v[1])) / D });

/**
 * Brute force: the smallest circle is fixed by 2 or 3 of the points, so try every pair (its
 * midpoint) and every triple (its circumcentre, both sides) and keep the smallest that holds all.
 */
function bruteForce(points: Pos[]): number {
  const vs = points.map(vec);
  const centres: number[][] = [];
  for (let i = 0; i < vs.length; i++) {
    for (let j = i + 1; j < vs.length; j++) {
      centres.push(vs[i].map((x, k) => x + vs[j][k]));
      for (let k = j + 1; k < vs.length; k++) {
        const u = vs[j].map((x, m) => x - vs[i][m]);
        const w = vs[k].map((x, m) => x - vs[i][m]);
        const n = [u[1] * w[2] - u[2] * w[1], u[2] * w[0] - u[0] * w[2], u[0] * w[1] - u[1] * w[0]];
        centres.push(n, n.map((x) => -x));
      }
    }
  }
  let best = Infinity;
  for (const c of centres) {
    if (Math.hypot(...c) < 1e-15) continue;
    const centre = toPos(c);
    best = Math.min(best, Math.max(...points.map((p) => angularDistanceDeg(centre.ra, centre.dec, p.ra, p.dec))));
  }
  return best;
}

describe('smallestEnclosingCircle', () => {
  it('matches brute force for 300 random sets of 2-9 positions (0.001 to 40 deg across, at the poles and across RA 0)', () => {
    const rand = prng(31337);
    for (let s = 0; s < 300; s++) {
      const around = s % 3 === 0 ? { ra: 360 * rand(), dec: s % 2 ? 89.9 : -89.9 } : s % 3 === 1 ? { ra: 0, dec: 60 * rand() - 30 } : randomPosition(rand);
      const spread = 10 ** (-3 + Math.log10(40000) * rand());
      const points = Array.from({ length: 2 + Math.floor(8 * rand()) }, () => offset(around.ra, around.dec, spread * rand(), 360 * rand()));
      const circle = smallestEnclosingCircle(points);
      const want = bruteForce(points);
      expect(Math.abs(circle.radius - want)).toBeLessThanOrEqual(1e-9 * want + 1e-12);
      for (const p of points) expect(angularDistanceDeg(circle.ra, circle.dec, p.ra, p.dec)).toBeLessThanOrEqual(circle.radius * (1 + 1e-9) + 1e-12);
    }
  });

  it('centres a footprint square on the pole and gives half the diagonal', () => {
    const square = [0, 90, 180, 270].map((ra) => ({ ra, dec: 89 }));
    const circle = smallestEnclosingCircle(square);
    expect(circle.dec).toBeCloseTo(90, 10);
    expect(circle.radius).toBeCloseTo(1, 10);
    const acrossZero = smallestEnclosingCircle([{ ra: 359.5, dec: 0 }, { ra: 0.5, dec: 0 }]);
    expect(acrossZero.ra === 0 || Math.abs(acrossZero.ra - 360) < 1e-9 || acrossZero.ra < 1e-9).toBe(true);
    expect(acrossZero.radius).toBeCloseTo(0.5, 12);
    const one = smallestEnclosingCircle([{ ra: 12, dec: 34 }]);
    expect([one.ra, one.dec, one.radius].map((x) => Number(x.toFixed(10)))).toEqual([12, 34, 0]);
  });

  it('refuses no positions and positions that do not fit in a hemisphere', () => {
    expect(() => smallestEnclosingCircle([])).toThrow(RangeError);
    expect(() => smallestEnclosingCircle([0, 120, 240].map((ra) => ({ ra, dec: 0 })))).toThrow(RangeError);
    expect(() => smallestEnclosingCircle([{ ra: 0, dec: 0 }, { ra: 180, dec: 0 }])).toThrow(RangeError);
  });
});
