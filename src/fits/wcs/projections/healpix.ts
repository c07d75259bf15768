/**
 * HPX, HEALPix (Calabretta & Roukema 2007; C&G 2002 section 6 lists it with the others).
 * H = PV2_1 (default 4) facets around the equator, K = PV2_2 (default 3) facets in latitude.
 * The equatorial zone is cylindrical equal area; the polar caps are interrupted Collignon
 * triangles centred on the facet longitude phi_c. Fiducial point (0, 0).
 */
import { TOL, asind } from '../angles.js';
import type { ProjectionFactory } from './types.js';

export const HPX: ProjectionFactory = (pv) => {
  const H = pv.get(1, 4);
  const K = pv.get(2, 3);
  if (!(H > 0 && K > 0) || !Number.isInteger(H) || !Number.isInteger(K)) return 'HPX needs positive integer PV2_1 (H) and PV2_2 (K)';
  const yEq = (90 * (K - 1)) / H; // |y| of the equatorial/polar boundary
  const yPole = (90 * (K + 1)) / H; // |y| of the poles
  const facet = 360 / H;
  return {
    code: 'HPX',
    phi0: 0,
    theta0: 0,
    x2s(x, y) {
      const ay = Math.abs(y);
      if (ay <= yEq) {
        const s = (y * H) / (90 * K);
        return [x, asind(Math.max(-1, Math.min(1, s)))];
      }
      if (ay > yPole + TOL) return null;
      // sigma = sqrt(K (1 - |sin theta|)), 0 at the pole and 1 at the zone boundary.
      const sigma = Math.max(0, (K + 1) / 2 - (ay * H) / 180);
      // For odd K the polar triangles sit above the equatorial facets; for even K the southern
      // ones are offset by half a facet (omega = 0).
      const omega = K % 2 === 1 || y > 0 ? 1 : 0;
      const shift = (1 - omega) / 2;
      const phic = -180 + (2 * Math.floor((x + 180) / facet + shift) + 1 - 2 * shift) * (180 / H);
      const dx = x - phic;
      // Between the triangles (the interruptions) there is no sky.
      if (Math.abs(dx) > sigma * (180 / H) + TOL) return null;
      const phi = sigma === 0 ? phic : phic + dx / sigma;
      const st = 1 - (sigma * sigma) / K;
      return [phi, (y > 0 ? 1 : -1) * asind(Math.max(-1, Math.min(1, st)))];
    },
  };
};
