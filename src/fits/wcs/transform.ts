/**
 * Pixel -> world for a parsed WCS: SIP, linear transformation, then per axis either the
 * celestial deprojection + spherical rotation, the spectral algorithm, or plain linear.
 */
import { normalize360 } from './angles.js';
import { apply } from './linear.js';
import type { Wcs } from './parse.js';
import { nativeToCelestial } from './rotation.js';
import { applySip } from './sip.js';
import { spectralWorld } from './spectral.js';

/**
 * World coordinates for 1-based FITS pixel coordinates (missing trailing axes count as pixel 1).
 * Celestial longitude in [0, 360) and latitude in degrees; spectral in the axis' unit; NaN for a
 * spectral axis whose algorithm is unsupported. null when the WCS is unusable or the pixel lies
 * outside the projection's valid region.
 */
export function pixelToWorld(wcs: Wcs, pixel1Based: number[]): number[] | null {
  if (!wcs.usable) return null;
  const d = wcs.crpix.map((r, i) => (pixel1Based[i] ?? 1) - r);
  if (wcs.sip !== null && d.length >= 2) [d[0], d[1]] = applySip(wcs.sip, d[0], d[1]);
  const x = apply(wcs.matrix, d);
  const world = x.map((xi, i) => wcs.crval[i] + xi);
  const cel = wcs.celestial;
  if (cel !== null) {
    const native = cel.projection.x2s(x[cel.lng], x[cel.lat]);
    if (native === null) return null;
    const [lon, lat] = nativeToCelestial(cel.frame, native[0], native[1]);
    world[cel.lng] = normalize360(lon);
    world[cel.lat] = lat;
  }
  const spec = wcs.spectral;
  if (spec !== null) {
    world[spec.axis] = spectralWorld(spec.algorithm, wcs.crval[spec.axis], x[spec.axis]) ?? Number.NaN;
  }
  return world;
}
