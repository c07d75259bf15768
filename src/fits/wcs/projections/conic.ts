/**
 * Conic projections, C&G 2002 section 5.4: COP COE COD COO. theta_a = PV2_1 (required) and
 * eta = PV2_2 (default 0) give the standard parallels theta_a -+ eta. The fiducial point is
 * (phi0, theta0) = (0, theta_a). All share the same deprojection skeleton: a radius R and an
 * angle measured from the apex at (0, Y0); only R(theta) and the cone constant C differ.
 */
import { D2R, asind, unitOrNull, atan2d, atand, cosd, sind, tand } from '../angles.js';
import { R0, type Projection, type ProjectionFactory, type ProjectionParams } from './types.js';

interface Cone {
  /** Cone constant: phi on the sphere maps to C * phi on the plane. */
  c: number;
  /** y of the apex. */
  y0: number;
  /** Native latitude for a signed radius R (sign of theta_a), or null outside the domain. */
  theta(r: number): number | null;
}

function conic(code: string, pv: ProjectionParams, make: (thetaA: number, eta: number) => Cone | string): Projection | string {
  if (!pv.has(1)) return `${code} needs PV2_1 (theta_a)`;
  const thetaA = pv.get(1, 0);
  const eta = pv.get(2, 0);
  if (thetaA === 0 || Math.abs(thetaA) >= 90) return `${code} needs 0 < |PV2_1| < 90`;
  const cone = make(thetaA, eta);
  if (typeof cone === 'string') return cone;
  const s = thetaA > 0 ? 1 : -1;
  return {
    code,
    phi0: 0,
    theta0: thetaA,
    x2s(x, y) {
      const dy = cone.y0 - y;
      const r = s * Math.hypot(x, dy);
      const a = r === 0 ? 0 : atan2d(s * x, s * dy);
      const theta = cone.theta(r);
      return theta === null ? null : [a / cone.c, theta];
    },
  };
}

/** COP, conic perspective: R = r0 cos(eta) [cot(theta_a) - tan(theta - theta_a)]. */
export const COP: ProjectionFactory = (pv) =>
  conic('COP', pv, (ta, eta) => {
    const ce = cosd(eta);
    if (ce === 0) return 'PV2_2 (eta) must not be +-90';
    const cot = 1 / tand(ta);
    return { c: sind(ta), y0: R0 * ce * cot, theta: (r) => ta + atand(cot - r / (R0 * ce)) };
  });

/** COE, conic equal area: R = (r0/C) sqrt(1 + sin t1 sin t2 - 2C sin theta), C = (sin t1 + sin t2)/2. */
export const COE: ProjectionFactory = (pv) =>
  conic('COE', pv, (ta, eta) => {
    const s1 = sind(ta - eta);
    const s2 = sind(ta + eta);
    const gamma = s1 + s2;
    if (gamma === 0) return 'COE standard parallels are symmetric about the equator';
    const c = gamma / 2;
    const k = 1 + s1 * s2;
    return {
      c,
      y0: (R0 / c) * Math.sqrt(k - gamma * sind(ta)),
      theta(r) {
        const q = (r * c) / R0;
        const w = unitOrNull((k - q * q) / gamma);
        return w === null ? null : asind(w);
      },
    };
  });

/** COD, conic equidistant: R = theta_a - theta + eta cot(eta) cot(theta_a) (degrees). */
export const COD: ProjectionFactory = (pv) =>
  conic('COD', pv, (ta, eta) => {
    const etaR = eta * D2R;
    const c = eta === 0 ? sind(ta) : (sind(ta) * sind(eta)) / etaR;
    const y0 = eta === 0 ? R0 / tand(ta) : (eta * cosd(eta)) / sind(eta) / tand(ta);
    return { c, y0, theta: (r) => ta + y0 - r };
  });

/**
 * COO, conic orthomorphic (Lambert conformal): R = psi tan^C((90 - theta)/2), with C and psi
 * chosen so that scale is true on both standard parallels.
 */
export const COO: ProjectionFactory = (pv) =>
  conic('COO', pv, (ta, eta) => {
    const t1 = ta - eta;
    const t2 = ta + eta;
    const tan1 = tand((90 - t1) / 2);
    let c: number;
    if (t1 === t2) c = sind(t1);
    else c = Math.log(cosd(t2) / cosd(t1)) / Math.log(tand((90 - t2) / 2) / tan1);
    if (!Number.isFinite(c) || c === 0) return 'COO standard parallels give no cone constant';
    const psi = (R0 * cosd(t1)) / (c * tan1 ** c);
    const y0 = psi * tand((90 - ta) / 2) ** c;
    return {
      c,
      y0,
      theta(r) {
        if (r === 0) return c > 0 ? 90 : -90;
        const q = r / psi;
        if (q < 0) return null;
        return 90 - 2 * atand(q ** (1 / c));
      },
    };
  });

