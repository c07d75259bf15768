/**
 * Positions as unit vectors, and angles between them computed from both the sine and the
 * cosine (atan2), which keeps full precision for separations of micro-arcseconds and near 180
 * degrees alike, where acos of a dot product or the plain haversine loses digits.
 */

const DEG = Math.PI / 180;

/** Unit vector of (ra, dec) in degrees, written into out[offset..offset+2]. */
export function radecToVec(raDeg: number, decDeg: number, out: Float64Array, offset = 0): void {
  const ra = raDeg * DEG;
  const dec = decDeg * DEG;
  const c = Math.cos(dec);
  out[offset] = c * Math.cos(ra);
  out[offset + 1] = c * Math.sin(ra);
  out[offset + 2] = Math.sin(dec);
}

/** Angle in radians between two unit (or any non-zero) vectors. */
export function vecAngle(ax: number, ay: number, az: number, bx: number, by: number, bz: number): number {
  const cx = ay * bz - az * by;
  const cy = az * bx - ax * bz;
  const cz = ax * by - ay * bx;
  return Math.atan2(Math.sqrt(cx * cx + cy * cy + cz * cz), ax * bx + ay * by + az * bz);
}

/**
 * Great-circle distance in degrees: Vincenty's formula (atan2 of sine and cosine, exact on the
 * sphere), written in the differences Dec2 - Dec1 and RA2 - RA1 (taken in degrees before any
 * rounding to radians) so that separations of micro-arcseconds keep their digits, and stable
 * up to antipodal points. This is the exact test behind every sky search.
 */
export function angularDistanceDeg(ra1: number, dec1: number, ra2: number, dec2: number): number {
  const d1 = dec1 * DEG;
  const d2 = dec2 * DEG;
  const ddec = (dec2 - dec1) * DEG;
  const dra = (ra2 - ra1) * DEG;
  const s1 = Math.sin(d1);
  const c1 = Math.cos(d1);
  const c2 = Math.cos(d2);
  const h = Math.sin(dra / 2);
  const versin = 2 * h * h; // 1 - cos(dra), without cancellation
  const a = c2 * Math.sin(dra);
  const b = Math.sin(ddec) + s1 * c2 * versin; // = cos d1 sin d2 - sin d1 cos d2 cos dra
  const c = Math.cos(ddec) - c1 * c2 * versin; // = sin d1 sin d2 + cos d1 cos d2 cos dra
  return Math.atan2(Math.sqrt(a * a + b * b), c) / DEG;
}

/** Chord length squared, |a - b|^2 = 4 sin^2(angle / 2), for an angle in radians (>= pi: 4). */
export function chordSq(angle: number): number {
  if (angle >= Math.PI) return 4;
  const s = Math.sin(angle / 2);
  return 4 * s * s;
}

/** (ra, dec) in degrees of a vector (any length > 0), RA in [0, 360). */
export function vecToRadec(x: number, y: number, z: number): { ra: number; dec: number } {
  let ra = Math.atan2(y, x) / DEG;
  if (ra < 0) ra += 360;
  if (ra >= 360) ra -= 360;
  return { ra, dec: Math.atan2(z, Math.sqrt(x * x + y * y)) / DEG };
}
