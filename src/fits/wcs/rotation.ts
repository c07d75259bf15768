/**
 * The spherical rotation from native (phi, theta) to celestial (lon, lat), C&G 2002 section 2.
 * The rotation is fixed by the celestial coordinates of the native pole (alpha_p, delta_p) and
 * the native longitude of the celestial pole phi_p (LONPOLE). solveFrame derives alpha_p and
 * delta_p from the fiducial point (CRVAL) following section 2.4 — the LONPOLE default, the choice
 * between the two solutions for delta_p steered by LATPOLE, and the degenerate cases — in the
 * form wcslib (celset) applies them, since astropy results are the reference.
 */
import { TOL, acosd, atan2d, cosd, normalize180, sind } from './angles.js';

export interface CelestialFrame {
  /** Celestial longitude and latitude of the native pole, degrees. */
  alphaP: number;
  deltaP: number;
  /** Native longitude of the celestial pole (LONPOLE actually used), degrees. */
  phiP: number;
  /** LATPOLE actually used (delta_p), for reporting. */
  thetaP: number;
}

/**
 * lon0/lat0: CRVAL of the celestial axes; phi0/theta0: the projection's fiducial point;
 * lonpole/latpole: header values or undefined for the defaults.
 */
export function solveFrame(
  lon0: number,
  lat0: number,
  phi0: number,
  theta0: number,
  lonpole: number | undefined,
  latpole: number | undefined,
): CelestialFrame | string {
  // Default LONPOLE: the celestial pole lies at native longitude phi0 (or opposite it when the
  // fiducial point is south of theta0), so that the celestial meridian through it points "up".
  const phiP = lonpole ?? (lat0 < theta0 ? 180 : 0) + phi0;
  const slat0 = sind(lat0);
  const clat0 = cosd(lat0);
  const sthe0 = sind(theta0);
  const cthe0 = cosd(theta0);
  let deltaP: number;
  let alphaP: number;
  if (theta0 === 90) {
    // Zenithal: the fiducial point is the native pole.
    deltaP = lat0;
    alphaP = lon0;
  } else {
    // sin(lat0) = sin(theta0) sin(delta_p) + cos(theta0) cos(delta_p) cos(phi0 - phi_p)
    //           = z cos(delta_p - u): two solutions u +- v.
    const sphip = sind(phiP - phi0);
    const cphip = cosd(phiP - phi0);
    const x = cthe0 * cphip;
    const y = sthe0;
    const z = Math.hypot(x, y);
    if (z === 0) {
      if (slat0 !== 0) return 'LONPOLE/CRVAL admit no celestial pole (|CRVAL lat| must be 0 here)';
      deltaP = latpole ?? 90;
    } else {
      const q = slat0 / z;
      if (Math.abs(q) > 1 + TOL) return 'no celestial pole satisfies CRVAL, LONPOLE and the projection\'s fiducial point';
      const u = atan2d(y, x);
      const v = acosd(Math.max(-1, Math.min(1, q)));
      const p1 = normalize180(u + v);
      const p2 = normalize180(u - v);
      const req = latpole ?? 90;
      // LATPOLE picks the nearer solution, unless that one is not a valid latitude.
      if (Math.abs(req - p1) < Math.abs(req - p2)) deltaP = Math.abs(p1) < 90 + TOL ? p1 : p2;
      else deltaP = Math.abs(p2) < 90 + TOL ? p2 : p1;
    }
    if (Math.abs(deltaP) > 90) deltaP = Math.sign(deltaP) * 90;
    const zz = cosd(deltaP) * clat0;
    if (Math.abs(zz) < TOL) {
      if (Math.abs(clat0) < TOL) alphaP = lon0; // celestial pole at the fiducial point
      else if (deltaP > 0) alphaP = lon0 + phiP - phi0 - 180; // north pole at the native pole
      else alphaP = lon0 - phiP + phi0; // south pole at the native pole
    } else {
      const xx = (sthe0 - sind(deltaP) * slat0) / zz;
      const yy = (sphip * cthe0) / clat0;
      if (xx === 0 && yy === 0) return 'celestial rotation is undefined for these CRVAL/LONPOLE';
      alphaP = lon0 - atan2d(yy, xx);
    }
  }
  return { alphaP, deltaP, phiP, thetaP: deltaP };
}

/** Native (phi, theta) -> celestial (lon, lat), degrees; lon not normalised. */
export function nativeToCelestial(f: CelestialFrame, phi: number, theta: number): [number, number] {
  const dphi = phi - f.phiP;
  const st = sind(theta);
  const ct = cosd(theta);
  const sd = sind(f.deltaP);
  const cd = cosd(f.deltaP);
  const sp = sind(dphi);
  const cp = cosd(dphi);
  // Components of the unit vector in the celestial frame whose z axis is the celestial pole and
  // whose x axis points to longitude alpha_p (C&G eq. 2, written with atan2 for full precision).
  const x = st * cd - ct * sd * cp;
  const y = -ct * sp;
  const z = st * sd + ct * cd * cp;
  const lon = x === 0 && y === 0 ? f.alphaP + (sd >= 0 ? dphi + 180 : -dphi) : f.alphaP + atan2d(y, x);
  return [lon, atan2d(z, Math.hypot(x, y))];
}
