/**
 * Pseudocylindrical projections, C&G 2002 section 5.3: SFL PAR MOL AIT (AIT is strictly a
 * modified azimuthal projection but is grouped here, as in the paper). Fiducial point (0, 0).
 * Points outside the oval boundary come out with |phi| > 180; the common bounds check in
 * projections/index.ts rejects them, as wcslib's prjbchk does.
 */
import { TOL, asind, atan2d, cosd, scaledLongitude, unitOrNull } from '../angles.js';
import { R0, type Projection, type ProjectionFactory } from './types.js';

function pseudo(code: string, x2s: (x: number, y: number) => [number, number] | null): Projection {
  return { code, phi0: 0, theta0: 0, x2s };
}

/** SFL, Sanson-Flamsteed: x = phi cos(theta), y = theta. */
export const SFL: ProjectionFactory = () =>
  pseudo('SFL', (x, y) => {
    const phi = scaledLongitude(x, cosd(y));
    return phi === null ? null : [phi, y];
  });

/** PAR, parabolic: x = phi (2 cos(2 theta/3) - 1), y = 180 sin(theta/3). */
export const PAR: ProjectionFactory = () =>
  pseudo('PAR', (x, y) => {
    const s = unitOrNull(y / (Math.PI * R0));
    if (s === null) return null;
    const phi = scaledLongitude(x, 1 - 4 * s * s);
    return phi === null ? null : [phi, 3 * asind(s)];
  });

/**
 * MOL, Mollweide: x = (2 sqrt2 / pi) phi cos(gamma), y = sqrt2 r0 sin(gamma), with the auxiliary
 * angle gamma defined by pi sin(theta) = 2 gamma + sin(2 gamma).
 */
export const MOL: ProjectionFactory = () =>
  pseudo('MOL', (x, y) => {
    const s = unitOrNull(y / (Math.SQRT2 * R0));
    if (s === null) return null;
    const gamma = Math.asin(s);
    const cg = Math.sqrt((1 - s) * (1 + s));
    const phi = scaledLongitude((Math.PI * x) / (2 * Math.SQRT2), cg);
    const z = unitOrNull((2 * gamma + 2 * s * cg) / Math.PI);
    return phi === null || z === null ? null : [phi, asind(z)];
  });

/**
 * AIT, Hammer-Aitoff: with Z^2 = 1 - (x/4r0)^2 - (y/2r0)^2, phi = 2 arg(2Z^2 - 1, xZ/2r0) and
 * theta = asin(yZ/r0). Valid only where Z^2 >= 1/2 (inside the ellipse).
 */
export const AIT: ProjectionFactory = () =>
  pseudo('AIT', (x, y) => {
    const xr = x / (4 * R0);
    const yr = y / (2 * R0);
    let z2 = 1 - xr * xr - yr * yr;
    if (z2 < 0.5) {
      if (0.5 - z2 > TOL) return null;
      z2 = 0.5;
    }
    const z = Math.sqrt(z2);
    const px = 2 * z2 - 1;
    const py = (x * z) / (2 * R0);
    const phi = px === 0 && py === 0 ? 0 : 2 * atan2d(py, px);
    const t = unitOrNull((y * z) / R0);
    return t === null ? null : [phi, asind(t)];
  });

