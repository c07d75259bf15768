/** The sky plot's projections (src/web/client/sky/projection.ts): pure functions, no browser. */
import { describe, expect, it } from 'vitest';
import { circle, graticule, greatCircle, inside, project, projectLine } from '../../src/web/client/sky/projection.js';

const RAD = Math.PI / 180;
const sep = (a: { ra: number; dec: number }, b: { ra: number; dec: number }) =>
  Math.acos(Math.min(1, Math.sin(a.dec * RAD) * Math.sin(b.dec * RAD) + Math.cos(a.dec * RAD) * Math.cos(b.dec * RAD) * Math.cos((a.ra - b.ra) * RAD))) / RAD;

describe('Aitoff and Mollweide', () => {
  for (const name of ['aitoff', 'mollweide'] as const) {
    it(`${name}: centre at the origin, poles at y = ±0.5, the equator's ends at x = ±1, RA growing to the left`, () => {
      const c = project(name, { ra: 0, dec: 0 });
      expect(c.x).toBeCloseTo(0, 12);
      expect(c.y).toBeCloseTo(0, 12);
      expect(project(name, { ra: 123, dec: 90 }).y).toBeCloseTo(0.5, 12);
      expect(project(name, { ra: 123, dec: 90 }).x).toBeCloseTo(0, 12);
      expect(project(name, { ra: 7, dec: -90 }).y).toBeCloseTo(-0.5, 12);
      expect(project(name, { ra: 180, dec: 0 }).x).toBeCloseTo(-1, 12);
      expect(project(name, { ra: 180.000001, dec: 0 }).x).toBeCloseTo(1, 6);
      expect(project(name, { ra: 30, dec: 0 }).x).toBeLessThan(0);
      expect(project(name, { ra: 330, dec: 0 }).x).toBeGreaterThan(0);
      // Mirror symmetric about the central meridian and the equator.
      const p = project(name, { ra: 40, dec: 25 });
      const q = project(name, { ra: 320, dec: -25 });
      expect(q.x).toBeCloseTo(-p.x, 12);
      expect(q.y).toBeCloseTo(-p.y, 12);
      // The centre moves with centerRa.
      const moved = project(name, { ra: 200, dec: 10 }, 200);
      expect(moved.x).toBeCloseTo(0, 12);
    });

    it(`${name}: every position lands inside the ellipse`, () => {
      for (let ra = 0; ra < 360; ra += 7.5) for (let dec = -90; dec <= 90; dec += 7.5) expect(inside(project(name, { ra, dec }))).toBe(true);
    });
  }

  it('aitoff: known values (λ = 90°, φ = 0 → x = π/2; φ = 45° on the central meridian → y = sin45°/sinc45°)', () => {
    expect(project('aitoff', { ra: 90, dec: 0 }).x * Math.PI).toBeCloseTo(-Math.PI / 2, 12);
    const a = Math.PI / 4;
    expect(project('aitoff', { ra: 0, dec: 45 }).y * Math.PI).toBeCloseTo(Math.sin(a) / (Math.sin(a) / a), 12);
  });

  it("mollweide: the auxiliary angle solves 2θ + sin 2θ = π sin φ, and the map is equal-area (a band's area matches the sphere's)", () => {
    for (const dec of [1, 20, 45, 60, 85, 89.9]) {
      const y = project('mollweide', { ra: 0, dec }).y;
      const theta = Math.asin(y * 2); // y = √2 sin θ / 2√2 = sin θ / 2
      expect(2 * theta + Math.sin(2 * theta)).toBeCloseTo(Math.PI * Math.sin(dec * RAD), 10);
    }
    // Area of the ellipse cap above θ, relative to the ellipse: must equal the sphere's cap fraction (1 - sin φ)/2.
    const dec = 30;
    const theta = Math.asin(project('mollweide', { ra: 0, dec }).y * 2);
    const capFraction = (Math.PI - 2 * theta - Math.sin(2 * theta)) / (2 * Math.PI);
    expect(capFraction).toBeCloseTo((1 - Math.sin(dec * RAD)) / 2, 10);
  });
});

describe('lines on the sky', () => {
  it('a small circle keeps its radius all round, also near the pole and across RA 0', () => {
    for (const c of [
      { ra: 40, dec: 0 },
      { ra: 359.9, dec: 10 },
      { ra: 100, dec: 88 },
    ]) {
      for (const p of circle(c, 2.5, 36)) expect(sep(c, p)).toBeCloseTo(2.5, 9);
    }
  });

  it('a great-circle arc runs from a to b in equal steps', () => {
    const a = { ra: 10, dec: -20 };
    const b = { ra: 80, dec: 40 };
    const pts = greatCircle(a, b, 10);
    expect(pts).toHaveLength(11);
    expect(sep(pts[0], a)).toBeCloseTo(0, 6);
    expect(sep(pts[10], b)).toBeCloseTo(0, 6);
    const step = sep(a, b) / 10;
    for (let i = 1; i < pts.length; i++) expect(sep(pts[i - 1], pts[i])).toBeCloseTo(step, 8);
  });

  it('a line across the map edge is split there, not drawn across the map', () => {
    const line = [
      { ra: 170, dec: 0 },
      { ra: 179, dec: 0 },
      { ra: 181, dec: 0 },
      { ra: 190, dec: 0 },
    ];
    const parts = projectLine('aitoff', line, 0);
    expect(parts).toHaveLength(2);
    expect(parts[0].every((p) => p.x < 0)).toBe(true);
    expect(parts[1].every((p) => p.x > 0)).toBe(true);
    expect(projectLine('aitoff', line, 180)).toHaveLength(1);
  });

  it('graticule: 12 meridians and 5 parallels at 30°', () => {
    expect(graticule(30, 30)).toHaveLength(17);
  });
});

describe('the close-up (gnomonic) view', () => {
  it('puts the centre at the origin, east to the left, north up, and great-circle distance d at tan(d) radians', async () => {
    const { gnomonic, gridStep } = await import('../../src/web/client/sky/projection.js');
    const c = { ra: 40.67, dec: -0.01 };
    expect(Math.abs(gnomonic(c, c)!.x) + Math.abs(gnomonic(c, c)!.y)).toBe(0);
    const east = gnomonic(c, { ra: 40.68, dec: -0.01 })!;
    expect(east.x).toBeLessThan(0);
    expect(Math.abs(east.y)).toBeLessThan(1e-6);
    expect(gnomonic(c, { ra: 40.67, dec: 0.99 })!.y).toBeCloseTo(Math.tan(RAD) / RAD, 9);
    for (const p of circle({ ra: 100, dec: 60 }, 0.5, 12)) {
      const q = gnomonic({ ra: 100, dec: 60 }, p)!;
      expect(Math.hypot(q.x, q.y)).toBeCloseTo(Math.tan(0.5 * RAD) / RAD, 9);
    }
    expect(gnomonic(c, { ra: 220.67, dec: 0.01 })).toBeNull();
    expect(gridStep(1 / 60)).toBeCloseTo(15 / 3600, 12);
    expect(gridStep(2)).toBeCloseTo(0.5, 12);
    expect(gridStep(1000)).toBe(30);
  });
});
