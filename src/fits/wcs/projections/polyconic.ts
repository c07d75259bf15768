/**
 * Polyconic and pseudoconic projections, C&G 2002 section 5.5: BON (Bonne) and PCO (American
 * polyconic). Fiducial point (0, 0).
 */
import { R2D, atan2d, cosd, sind, tand } from '../angles.js';
import { R0, type ProjectionFactory } from './types.js';
import { SFL } from './pseudocylindrical.js';

/**
 * BON, Bonne's equal area: theta_1 = PV2_1 (required). R = r0 cot(theta_1) + theta_1 - theta
 * (degrees), A = phi cos(theta) / R. With theta_1 = 0 it degenerates to Sanson-Flamsteed.
 */
export const BON: ProjectionFactory = (pv) => {
  if (!pv.has(1)) return 'BON needs PV2_1 (theta_1)';
  const t1 = pv.get(1, 0);
  if (Math.abs(t1) > 90) return 'BON needs |PV2_1| <= 90';
  if (t1 === 0) {
    const sfl = SFL(pv);
    return typeof sfl === 'string' ? sfl : { ...sfl, code: 'BON' };
  }
  const s = t1 > 0 ? 1 : -1;
  const y0 = (R0 * cosd(t1)) / sind(t1) + t1;
  return {
    code: 'BON',
    phi0: 0,
    theta0: 0,
    x2s(x, y) {
      const dy = y0 - y;
      const r = s * Math.hypot(x, dy);
      const a = r === 0 ? 0 : atan2d(s * x, s * dy);
      const theta = y0 - r;
      const c = cosd(theta);
      const phi = c === 0 ? 0 : (a * (r / R0)) / c;
      return [phi, theta];
    },
  };
};

/**
 * PCO, polyconic: for theta != 0, x = r0 cot(theta) sin(E), y = r0 [theta + cot(theta)(1 - cos E)]
 * with E = phi sin(theta). Eliminating E leaves f(theta) = x^2 + (y - theta)^2 - 2 (y - theta) cot(theta)
 * = 0 (radians, r0 = 1), which has a sign change between theta -> 0 (f -> -inf) and theta = +-90,
 * so it is solved by bisection to full double precision.
 */
export const PCO: ProjectionFactory = () => ({
  code: 'PCO',
  phi0: 0,
  theta0: 0,
  x2s(x, y) {
    const xr = x / R0;
    const yr = y / R0;
    const ay = Math.abs(yr);
    if (ay < 1e-12) return [x, 0];
    // |y| = 90 deg: wcslib returns the pole whatever x is (the only exact solution is x = 0; the
    // boundary corners of an all-sky map land here and astropy reports the pole).
    if (Math.abs(ay - Math.PI / 2) < 1e-12) return [0, Math.sign(yr) * 90];
    const sgn = yr > 0 ? 1 : -1;
    const f = (t: number): number => {
      const d = ay - t;
      return xr * xr + d * (d - 2 / Math.tan(t));
    };
    let lo = 0; // f -> -inf
    let hi = Math.PI / 2; // f >= 0
    for (let it = 0; it < 200; it++) {
      const mid = (lo + hi) / 2;
      if (mid <= lo || mid >= hi) break;
      if (f(mid) > 0) hi = mid;
      else lo = mid;
    }
    const t = (lo + hi) / 2;
    const thetaDeg = sgn * t * R2D;
    const tanT = tand(thetaDeg);
    const x1 = 1 - (yr - sgn * t) * tanT;
    const y1 = xr * tanT;
    const phi = x1 === 0 && y1 === 0 ? 0 : atan2d(y1, x1) / sind(thetaDeg);
    return [phi, thetaDeg];
  },
});
