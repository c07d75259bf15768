/**
 * Zenithal (azimuthal) projections, C&G 2002 section 5.1: AZP SZP TAN STG SIN ARC ZPN ZEA AIR.
 * All have the fiducial point at the native pole, (phi0, theta0) = (0, 90); the native longitude
 * is the azimuth arg(-y, x) and the latitude depends on the radius R only (except AZP, SZP and
 * slant SIN, whose perspective point is displaced).
 */
import { D2R, R2D, TOL, acosd, asind, atan2d, atand, cosd, sind } from '../angles.js';
import { invertIncreasing } from './solve.js';
import { R0, type Projection, type ProjectionFactory } from './types.js';

function zenithal(code: string, x2s: (x: number, y: number) => [number, number] | null): Projection {
  return { code, phi0: 0, theta0: 90, x2s };
}

/** phi = arg(-y, x): the native longitude of every zenithal projection. */
function azimuth(x: number, y: number): number {
  return x === 0 && y === 0 ? 0 : atan2d(x, -y);
}

/** Zenithal projections whose latitude is a function of R alone. */
function radial(code: string, theta: (r: number) => number | null): Projection {
  return zenithal(code, (x, y) => {
    const t = theta(Math.hypot(x, y));
    return t === null ? null : [azimuth(x, y), t];
  });
}

/** AZP, zenithal perspective: mu = PV2_1 (distance of the point of projection), gamma = PV2_2 (tilt). */
export const AZP: ProjectionFactory = (pv) => {
  const mu = pv.get(1, 0);
  const gamma = pv.get(2, 0);
  if (mu === -1) return 'PV2_1 = -1 puts the point of projection at the centre of the sphere';
  const cg = cosd(gamma);
  const sg = sind(gamma);
  if (cg === 0) return 'PV2_2 = +-90 is a degenerate tilt';
  return zenithal('AZP', (x, y) => {
    const yc = y * cg;
    const r = Math.hypot(x, yc);
    if (r === 0) return [0, 90];
    const phi = atan2d(x, -yc);
    // rho = R / (r0 (mu + 1) + y sin gamma): the tangent of the angle seen from the projection point.
    const rho = r / (R0 * (mu + 1) + y * sg);
    let t = (rho * mu) / Math.sqrt(rho * rho + 1);
    const a0 = atan2d(1, rho);
    if (Math.abs(t) > 1) {
      if (Math.abs(t) > 1 + TOL) return null;
      t = Math.sign(t) * 90;
    } else {
      t = asind(t);
    }
    // Two solutions; the one nearer the pole (larger theta) is the visible one.
    let a = a0 - t;
    let b = a0 + t + 180;
    if (a > 90) a -= 360;
    if (b > 90) b -= 360;
    return [phi, Math.max(a, b)];
  });
};

/**
 * SZP, slant zenithal perspective: mu = PV2_1, phi_c = PV2_2, theta_c = PV2_3 (default 90).
 * Deprojection solves a quadratic in sin(theta) (C&G eqs. 36-39).
 */
export const SZP: ProjectionFactory = (pv) => {
  const mu = pv.get(1, 0);
  const phic = pv.get(2, 0);
  const thetac = pv.get(3, 90);
  const zp = mu * sind(thetac) + 1;
  if (zp === 0) return 'PV2_1/PV2_3 put the point of projection in the plane of projection';
  const xp = -mu * cosd(thetac) * sind(phic);
  const yp = mu * cosd(thetac) * cosd(phic);
  return zenithal('SZP', (x, y) => {
    const xr = x / R0;
    const yr = y / R0;
    return slant(xr, yr, (xr - xp) / zp, (yr - yp) / zp);
  });
};

/**
 * Shared by SZP and slant SIN: the point (xr, yr) (units of r0) lies on the line from the sphere
 * point to the plane along direction (x1, y1, 1); sin(theta) solves a quadratic, of which the
 * root nearer the pole is the visible one.
 */
function slant(xr: number, yr: number, x1: number, y1: number): [number, number] | null {
  const r2 = xr * xr + yr * yr;
  const xy = xr * x1 + yr * y1;
  let theta: number;
  let z: number;
  if (r2 < 1e-10) {
    // Small-angle form avoids cancellation near the pole.
    z = r2 / 2;
    theta = 90 - R2D * Math.sqrt(r2 / (1 + xy));
  } else {
    const t = x1 * x1 + y1 * y1;
    const a = t + 1;
    const b = xy - t;
    const c = r2 - xy - xy + t - 1;
    let d = b * b - a * c;
    if (d < 0) return null;
    d = Math.sqrt(d);
    let s = Math.max((-b + d) / a, (-b - d) / a);
    if (s > 1) {
      if (s - 1 < TOL) s = 1;
      else s = Math.min((-b + d) / a, (-b - d) / a);
    }
    if (s < -1) {
      if (s + 1 > -TOL) s = -1;
      else return null;
    }
    theta = asind(s);
    z = 1 - s;
  }
  const px = xr - x1 * z;
  const py = -(yr - y1 * z);
  return [px === 0 && py === 0 ? 0 : atan2d(px, py), theta];
}

/** TAN, gnomonic: R = r0 cot(theta). */
export const TAN: ProjectionFactory = () => radial('TAN', (r) => atan2d(R0, r));

/** STG, stereographic: R = 2 r0 tan((90 - theta)/2). */
export const STG: ProjectionFactory = () => radial('STG', (r) => 90 - 2 * atand(r / (2 * R0)));

/**
 * SIN, orthographic, with the slant generalisation xi = PV2_1, eta = PV2_2 (which includes NCP).
 */
export const SIN: ProjectionFactory = (pv) => {
  const xi = pv.get(1, 0);
  const eta = pv.get(2, 0);
  const w1 = xi * xi + eta * eta;
  if (w1 === 0) {
    return radial('SIN', (r) => {
      const r2 = (r / R0) ** 2;
      // acos is ill-conditioned near the pole, asin near the equator: use each where it is good.
      if (r2 < 0.5) return acosd(Math.sqrt(r2));
      if (r2 <= 1) return asind(Math.sqrt(1 - r2));
      if (r2 <= 1 + TOL) return 0;
      return null;
    });
  }
  return zenithal('SIN', (x, y) => slant(x / R0, y / R0, xi, eta));
};

/** ARC, zenithal equidistant: R = 90 - theta (degrees). */
export const ARC: ProjectionFactory = () =>
  radial('ARC', (r) => {
    if (r > 180 + TOL) return null;
    return 90 - Math.min(r, 180);
  });

/**
 * ZPN, zenithal polynomial: R = r0 * sum_m PV2_m (90 - theta)^m, zenith distance in radians.
 * Inverted numerically on the monotonic branch from the pole to the first turning point;
 * beyond that turning point the polynomial is not invertible and the point is outside.
 */
export const ZPN: ProjectionFactory = (pv) => {
  const n = pv.maxM;
  const p: number[] = [];
  for (let m = 0; m <= Math.max(n, 0); m++) p.push(pv.get(m, 0));
  const poly = (zd: number): number => {
    let s = 0;
    for (let m = p.length - 1; m >= 0; m--) s = s * zd + p[m];
    return s;
  };
  const deriv = (zd: number): number => {
    let s = 0;
    for (let m = p.length - 1; m >= 1; m--) s = s * zd + m * p[m];
    return s;
  };
  // Like wcslib, require R to grow away from the pole (PV2_1 > 0), else there is no usable branch.
  if (!(p[1] > 0)) return 'ZPN needs PV2_1 > 0 (R must grow away from the pole)';
  // End of the monotonic branch: first zero of the derivative in (0, pi], else pi.
  let zmax = Math.PI;
  const steps = 3600;
  for (let k = 1; k <= steps; k++) {
    const z = (k * Math.PI) / steps;
    if (deriv(z) <= 0) {
      let lo = ((k - 1) * Math.PI) / steps;
      let hi = z;
      for (let it = 0; it < 200 && hi - lo > 1e-16; it++) {
        const mid = (lo + hi) / 2;
        if (deriv(mid) > 0) lo = mid;
        else hi = mid;
      }
      zmax = lo;
      break;
    }
  }
  const rmax = poly(zmax);
  const r0poly = poly(0);
  return radial('ZPN', (rdeg) => {
    const r = rdeg / R0;
    if (r < r0poly) {
      // Inside the central hole left by a positive PV2_0: no point maps there.
      if (r0poly - r > TOL) return null;
      return 90;
    }
    if (r > rmax) {
      if (r - rmax > TOL) return null;
      return 90 - zmax * R2D;
    }
    const zd = invertIncreasing(poly, deriv, r, 0, zmax);
    return 90 - zd * R2D;
  });
};

/** ZEA, zenithal equal area: R = 2 r0 sin((90 - theta)/2). */
export const ZEA: ProjectionFactory = () =>
  radial('ZEA', (r) => {
    const s = r / (2 * R0);
    if (s > 1) {
      if (s - 1 > TOL) return null;
      return -90;
    }
    return 90 - 2 * asind(s);
  });

/**
 * AIR, Airy: theta_b = PV2_1 (default 90). R(xi) = -2 r0 (ln(cos xi)/tan xi + k tan xi) with
 * xi = (90 - theta)/2 and k = ln(cos xi_b)/tan^2 xi_b (-1/2 in the limit theta_b = 90).
 * R grows monotonically with xi, so bisection + Newton inverts it.
 */
export const AIR: ProjectionFactory = (pv) => {
  const thetab = pv.get(1, 90);
  if (thetab < -90 || thetab > 90) return 'PV2_1 (theta_b) must lie in [-90, 90]';
  const xib = ((90 - thetab) / 2) * D2R;
  let k: number;
  if (xib === 0) k = -0.5;
  else {
    const tb = Math.tan(xib);
    k = Math.log(Math.cos(xib)) / (tb * tb);
  }
  const rOf = (xi: number): number => {
    if (xi === 0) return 0;
    const t = Math.tan(xi);
    return -2 * (Math.log(Math.cos(xi)) / t + k * t);
  };
  const dR = (xi: number): number => {
    // d/dxi [ln(cos)/tan + k tan] = -1 - ln(cos)/sin^2 + k sec^2
    const s = Math.sin(xi);
    const c = Math.cos(xi);
    return -2 * (-1 - Math.log(c) / (s * s) + k / (c * c));
  };
  return radial('AIR', (rdeg) => {
    const r = rdeg / R0;
    if (r === 0) return 90;
    if (r < 1e-12) return 90 - (r / (1 - 2 * k)) * 2 * R2D;
    const xi = invertIncreasing(rOf, dR, r, 0, Math.PI / 2);
    if (!(xi < Math.PI / 2)) return null;
    return 90 - 2 * xi * R2D;
  });
};
