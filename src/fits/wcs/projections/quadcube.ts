/**
 * Quad-cube projections, C&G 2002 section 5.6: TSC, CSC, QSC. The sphere is projected onto the
 * six faces of a cube laid out in the plane as
 *
 *         0
 *   4  3  2  1      (face 1 at the centre, faces 2..4 to its left in x, i.e. +90, +180, +270)
 *         5
 *
 * each face 90 deg wide. Every projection maps face-local coordinates (X, Y) in [-1, 1] to the
 * face's direction cosines (zeta, xi, eta); only that local mapping differs between the three.
 */
import { R2D, TOL, atan2d } from '../angles.js';
import type { Projection, ProjectionFactory } from './types.js';

/** Face-local (X, Y) -> (zeta, xi, eta) on the face, or null. */
type FaceMap = (X: number, Y: number) => [number, number, number] | null;

/** `single`: locate the face in float32 like wcslib's CSC code does (see cscWarp). */
function quadcube(code: string, local: FaceMap, single = false): Projection {
  const r = single ? Math.fround : (v: number) => v;
  return {
    code,
    phi0: 0,
    theta0: 0,
    x2s(x, y) {
      let xf = single ? r(x * (1 / 45)) : x / 45;
      let yf = single ? r(y * (1 / 45)) : y / 45;
      // The unfolded cube: a 1-face-wide column (faces 0, 1, 5) and a 1-face-high row (1..4).
      if (Math.abs(xf) <= 1) {
        if (Math.abs(yf) > 3 + TOL) return null;
      } else {
        if (Math.abs(xf) > 7 + TOL || Math.abs(yf) > 1 + TOL) return null;
      }
      // Faces left of face 1 may also be reached by wrapping round to negative x.
      if (xf < -1) xf = r(xf + 8);
      let face: number;
      if (xf > 5) {
        face = 4;
        xf = r(xf - 6);
      } else if (xf > 3) {
        face = 3;
        xf = r(xf - 4);
      } else if (xf > 1) {
        face = 2;
        xf = r(xf - 2);
      } else if (yf > 1) {
        face = 0;
        yf = r(yf - 2);
      } else if (yf < -1) {
        face = 5;
        yf = r(yf + 2);
      } else {
        face = 1;
      }
      xf = Math.max(-1, Math.min(1, xf));
      yf = Math.max(-1, Math.min(1, yf));
      const d = local(xf, yf);
      if (d === null) return null;
      const [zeta, xi, eta] = d;
      // Undo C&G Table 10: which of (l, m, n) each face's (zeta, xi, eta) are.
      let l: number;
      let m: number;
      let n: number;
      switch (face) {
        case 0: [n, m, l] = [zeta, xi, -eta]; break;
        case 1: [l, m, n] = [zeta, xi, eta]; break;
        case 2: [m, l, n] = [zeta, -xi, eta]; break;
        case 3: [l, m, n] = [-zeta, -xi, eta]; break;
        case 4: [m, l, n] = [-zeta, xi, eta]; break;
        default: [n, m, l] = [-zeta, xi, eta]; break;
      }
      const phi = l === 0 && m === 0 ? 0 : atan2d(m, l);
      return [phi, atan2d(n, Math.hypot(l, m))];
    },
  };
}

/** Normalise (1, X, Y) — gnomonic on each face. */
function direction(X: number, Y: number): [number, number, number] {
  const zeta = 1 / Math.sqrt(1 + X * X + Y * Y);
  return [zeta, X * zeta, Y * zeta];
}

/** TSC, tangential spherical cube: gnomonic projection onto each face. */
export const TSC: ProjectionFactory = () => quadcube('TSC', direction);

/**
 * CSC, COBE quadrilateralized spherical cube. Its inverse is defined by a fitted polynomial
 * (Chan & O'Neill 1975, C&G eq. 126 and Table 11); xi/zeta = X + X(1 - X^2) sum P_ij X^2i Y^2j.
 */
const P: number[][] = [
  // P[i][j] multiplies X^(2i) Y^(2j); i + j <= 6.
  [-0.27292696, -0.02819452, 0.2705816, -0.6044156, 0.93412077, -0.63915306, 0.14381585],
  [-0.07629969, -0.01471565, -0.56800938, 1.50880086, -1.4160192, 0.52032238],
  [-0.22797056, 0.48051509, 0.30803317, -0.93678576, 0.33887446],
  [0.54852384, -1.74114454, 0.98938102, 0.08693841],
  [-0.62930065, 1.71547508, -0.83180469],
  [0.25795794, -0.53022337],
  [0.02584375],
];

const f32 = Math.fround;
/** Columns of P: PT[j][i] = P[i][j], the coefficients of X^(2i) for the power Y^(2j). */
const PT: number[][] = P[0].map((_, j) => P.filter((row) => j < row.length).map((row) => f32(row[j])));

/**
 * wcslib evaluates this polynomial in single precision (C float), which moves results by up to
 * ~2e-6 deg; to agree with astropy at the 1e-9 level we round every operation to float32 in
 * the same order (Horner in X^2 for each power of Y^2, then Horner in Y^2).
 */
function cscWarp(X: number, Y: number): number {
  const xx = f32(X * X);
  const yy = f32(Y * Y);
  const z: number[] = PT.map((row) => {
    let acc = row[row.length - 1];
    for (let i = row.length - 2; i >= 0; i--) acc = f32(row[i] + f32(xx * acc));
    return acc;
  });
  let chi = z[z.length - 1];
  for (let j = z.length - 2; j >= 0; j--) chi = f32(z[j] + f32(yy * chi));
  return f32(X + f32(f32(X * f32(1 - xx)) * chi));
}

export const CSC: ProjectionFactory = () =>
  quadcube(
    'CSC',
    (X, Y) => {
      const chi = cscWarp(X, Y);
      const psi = cscWarp(Y, X);
      const t = 1 / Math.sqrt(f32(f32(chi * chi) + f32(psi * psi)) + 1);
      return [t, chi * t, psi * t];
    },
    true,
  );

/**
 * QSC, quadrilateralized spherical cube (equal area). In the half of a face where |X| >= |Y|
 * (u = X, v = Y; the other half swaps roles), with omega = eta/xi:
 *   omega = sin(15 v/u) / (cos(15 v/u) - 1/sqrt2)      (angles in degrees, u, v in units of 45)
 *   1 - zeta = u^2 (1 - 1/sqrt(2 + omega^2))
 */
export const QSC: ProjectionFactory = () =>
  quadcube('QSC', (X, Y) => {
    if (X === 0 && Y === 0) return [1, 0, 0];
    const swap = Math.abs(Y) > Math.abs(X);
    const u = swap ? Y : X;
    const v = swap ? X : Y;
    const a = ((15 * v) / u) / R2D;
    const omega = Math.sin(a) / (Math.cos(a) - Math.SQRT1_2);
    const t = u * u * (1 - 1 / Math.sqrt(2 + omega * omega)); // 1 - zeta, kept for precision
    const zeta = 1 - t;
    // xi^2 + eta^2 = 1 - zeta^2 = t (2 - t)
    const w = Math.sqrt(Math.max(0, t * (2 - t)) / (1 + omega * omega));
    const major = u >= 0 ? w : -w;
    const minor = omega * major;
    return swap ? [zeta, minor, major] : [zeta, major, minor];
  });
