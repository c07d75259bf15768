/**
 * Cylindrical projections, C&G 2002 section 5.2: CYP CEA CAR MER. The fiducial point is on the
 * native equator, (phi0, theta0) = (0, 0); x is proportional to the native longitude and y a
 * function of the latitude alone.
 */
import { asind, atan2d, atand, unitOrNull } from '../angles.js';
import { R0, type Projection, type ProjectionFactory } from './types.js';

function cylinder(code: string, x2s: (x: number, y: number) => [number, number] | null): Projection {
  return { code, phi0: 0, theta0: 0, x2s };
}

/** CYP, cylindrical perspective: mu = PV2_1 (default 1), lambda = PV2_2 (default 1). */
export const CYP: ProjectionFactory = (pv) => {
  const mu = pv.get(1, 1);
  const lambda = pv.get(2, 1);
  if (lambda === 0) return 'PV2_2 (lambda) must not be 0';
  if (mu + lambda === 0) return 'PV2_1 + PV2_2 must not be 0';
  return cylinder('CYP', (x, y) => {
    const eta = y / (R0 * (mu + lambda));
    const s = unitOrNull((eta * mu) / Math.sqrt(eta * eta + 1));
    return s === null ? null : [x / lambda, atan2d(eta, 1) + asind(s)];
  });
};

/** CEA, cylindrical equal area: lambda = PV2_1 (default 1), y = r0 sin(theta) / lambda. */
export const CEA: ProjectionFactory = (pv) => {
  const lambda = pv.get(1, 1);
  if (lambda <= 0 || lambda > 1) return 'PV2_1 (lambda) must lie in (0, 1]';
  return cylinder('CEA', (x, y) => {
    const s = unitOrNull((lambda * y) / R0);
    return s === null ? null : [x, asind(s)];
  });
};

/** CAR, plate carree: the identity on (phi, theta). */
export const CAR: ProjectionFactory = () => cylinder('CAR', (x, y) => [x, y]);

/** MER, Mercator: y = r0 ln tan((90 + theta)/2). */
export const MER: ProjectionFactory = () =>
  cylinder('MER', (x, y) => [x, 2 * atand(Math.exp(y / R0)) - 90]);

