/**
 * Trigonometry in degrees. FITS WCS works in degrees throughout; these helpers return exact
 * values at multiples of 90 deg (as wcslib's wcstrig does) so that, e.g., cos(90) is 0 and not
 * 6e-17 — that keeps poles and reference points exactly where the header puts them.
 */

export const D2R = Math.PI / 180;
export const R2D = 180 / Math.PI;

/** Tolerance used to accept values a rounding error beyond a boundary (wcslib uses 1e-13). */
export const TOL = 1e-13;

function quadrant(deg: number): number | null {
  if (deg % 90 !== 0) return null;
  return (((Math.round(deg / 90) % 4) + 4) % 4);
}

export function sind(deg: number): number {
  const q = quadrant(deg);
  if (q !== null) return [0, 1, 0, -1][q];
  return Math.sin(deg * D2R);
}

export function cosd(deg: number): number {
  const q = quadrant(deg);
  if (q !== null) return [1, 0, -1, 0][q];
  return Math.cos(deg * D2R);
}

export function tand(deg: number): number {
  const q = quadrant(deg);
  if (q === 0 || q === 2) return 0;
  return Math.tan(deg * D2R);
}

export function asind(v: number): number {
  if (v <= -1) return -90;
  if (v >= 1) return 90;
  return v === 0 ? 0 : Math.asin(v) * R2D;
}

export function acosd(v: number): number {
  if (v <= -1) return 180;
  if (v >= 1) return 0;
  return v === 0 ? 90 : Math.acos(v) * R2D;
}

export function atand(v: number): number {
  if (v === 0) return 0;
  if (v === 1) return 45;
  if (v === -1) return -45;
  return Math.atan(v) * R2D;
}

export function atan2d(y: number, x: number): number {
  if (y === 0) return x >= 0 ? 0 : 180;
  if (x === 0) return y > 0 ? 90 : -90;
  return Math.atan2(y, x) * R2D;
}

/** Longitude in [0, 360). */
export function normalize360(deg: number): number {
  let v = deg % 360;
  if (v < 0) v += 360;
  // -1e-15 % 360 + 360 rounds to 360 itself.
  return v >= 360 ? 0 : v;
}

/** Angle in (-180, 180]. */
export function normalize180(deg: number): number {
  let v = deg % 360;
  if (v > 180) v -= 360;
  else if (v <= -180) v += 360;
  return v;
}

/**
 * A sine/cosine-like value that must lie in [-1, 1]: clamped when it overshoots by rounding
 * (within TOL), null when it is really outside (the point is outside the projection's domain).
 */
export function unitOrNull(v: number): number | null {
  if (Math.abs(v) <= 1) return v;
  return Math.abs(v) - 1 > TOL ? null : Math.sign(v);
}

/** x / d for a longitude scale d that vanishes at a pole: there only x = 0 is on the sphere. */
export function scaledLongitude(x: number, d: number): number | null {
  if (d !== 0) return x / d;
  return Math.abs(x) > TOL ? null : 0;
}
