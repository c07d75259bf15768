/**
 * HEALPix, nested scheme, in plain doubles: pixel ids for orders 0..24 are safe integers
 * (12 * 4^24 = 3.4e15 < 2^53), so ingest and queries never need BigInt. The formulas are those
 * of the HEALPix C++ library (healpix_base.cc, which healpy wraps), step for step, so that a
 * point gets the same pixel as in healpy, not merely a neighbouring one.
 */

/** Deepest order whose nested ids are all safe integers: 12 * 4^25 = 1.35e16 > 2^53. */
export const MAX_ORDER = 24;

const HALF_PI = Math.PI / 2;
const INV_HALF_PI = 2 / Math.PI;
const DEG = Math.PI / 180;
const TWO_THIRDS = 2 / 3;
// Face layout of the 12 base pixels: ring number (in units of nside) of each face's southmost
// corner, and the longitude (in units of pi/4) of its centre.
const JRLL = [2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4];
const JPLL = [1, 3, 5, 7, 0, 2, 4, 6, 1, 3, 5, 7];
const TWO_POW_32 = 4294967296;

/** Number of pixels at `order`: 12 * 4^order. */
export function pixelCount(order: number): number {
  return 12 * 4 ** order;
}

function checkOrder(order: number): void {
  if (!Number.isInteger(order) || order < 0 || order > MAX_ORDER) {
    throw new RangeError(`HEALPix order must be an integer from 0 to ${MAX_ORDER}, got ${order}`);
  }
}

// Bits of v (< 2^16) moved to the even bit positions (< 2^31, so it stays a positive int32).
function spread16(v: number): number {
  v = (v | (v << 8)) & 0x00ff00ff;
  v = (v | (v << 4)) & 0x0f0f0f0f;
  v = (v | (v << 2)) & 0x33333333;
  return (v | (v << 1)) & 0x55555555;
}

// The inverse: the even bits of v (a 32-bit pattern) packed into 16 bits.
function compact16(v: number): number {
  v &= 0x55555555;
  v = (v | (v >>> 1)) & 0x33333333;
  v = (v | (v >>> 2)) & 0x0f0f0f0f;
  v = (v | (v >>> 4)) & 0x00ff00ff;
  return (v | (v >>> 8)) & 0x0000ffff;
}

/**
 * Nested id of the pixel (ix, iy) of `face` at `order` (ix, iy < 2^order <= 2^24). Interleaves
 * the bits in two 16-bit halves because JavaScript's bit operators stop at 32 bits.
 */
export function xyf2nest(order: number, ix: number, iy: number, face: number): number {
  const x = spread16(ix & 0xffff) + spread16(ix >>> 16) * TWO_POW_32;
  const y = spread16(iy & 0xffff) + spread16(iy >>> 16) * TWO_POW_32;
  return face * 4 ** order + x + 2 * y;
}

/** The inverse of xyf2nest, written into `out` as [ix, iy, face] (no allocation). */
export function nest2xyf(order: number, pix: number, out: Int32Array | number[]): void {
  const npface = 4 ** order;
  const face = Math.floor(pix / npface);
  const local = pix - face * npface;
  const hi = Math.floor(local / TWO_POW_32);
  const lo = local - hi * TWO_POW_32;
  out[0] = compact16(lo) | (compact16(hi) << 16);
  out[1] = compact16(lo >>> 1) | (compact16(hi >>> 1) << 16);
  out[2] = face;
}

// healpix_base.cc fmodulo: v1 mod v2 in [0, v2).
function fmodulo(v1: number, v2: number): number {
  if (v1 >= 0) return v1 < v2 ? v1 : v1 % v2;
  const tmp = (v1 % v2) + v2;
  return tmp === v2 ? 0 : tmp;
}

/**
 * Nested pixel id at `order` (0..24) of the position (degrees). Converts like healpy's
 * lonlat=True (theta = pi/2 - radians(dec), phi = radians(ra)) and then follows loc2pix, using
 * sin(theta) near the poles where 1 - cos(theta) has lost its digits. RA may be any finite
 * value (taken modulo 360); Dec must lie in [-90, 90].
 */
export function ang2pixNest(order: number, raDeg: number, decDeg: number): number {
  checkOrder(order);
  if (!Number.isFinite(raDeg) || !(decDeg >= -90 && decDeg <= 90)) {
    throw new RangeError(`position out of range: ra ${raDeg}, dec ${decDeg}`);
  }
  const theta = HALF_PI - decDeg * DEG;
  const haveSth = theta < 0.01 || theta > 3.14159 - 0.01;
  const z = Math.cos(theta);
  const sth = haveSth ? Math.sin(theta) : 0;
  const nside = 2 ** order;
  const za = Math.abs(z);
  const tt = fmodulo(raDeg * DEG * INV_HALF_PI, 4);
  if (za <= TWO_THIRDS) {
    // Equatorial region: the two edge-line indices give face and position within it.
    const temp1 = nside * (0.5 + tt);
    const temp2 = nside * (z * 0.75);
    const jp = Math.floor(temp1 - temp2); // ascending edge line
    const jm = Math.floor(temp1 + temp2); // descending edge line
    const ifp = jp >> order;
    const ifm = jm >> order;
    const face = ifp === ifm ? ifp | 4 : ifp < ifm ? ifp : ifm + 8;
    const ix = jm & (nside - 1);
    const iy = nside - (jp & (nside - 1)) - 1;
    return xyf2nest(order, ix, iy, face);
  }
  // Polar caps.
  const ntt = Math.min(3, Math.floor(tt));
  const tp = tt - ntt;
  const tmp = za < 0.99 || !haveSth ? nside * Math.sqrt(3 * (1 - za)) : (nside * sth) / Math.sqrt((1 + za) / 3);
  const jp = Math.min(Math.floor(tp * tmp), nside - 1);
  const jm = Math.min(Math.floor((1 - tp) * tmp), nside - 1);
  return z >= 0 ? xyf2nest(order, nside - jm - 1, nside - jp - 1, ntt) : xyf2nest(order, jp, jm, ntt + 8);
}

/**
 * Centre of a nested pixel, in degrees (RA in [0, 360)). Integer ring arithmetic as in
 * healpix_base.cc pix2loc, so centres agree with healpy's pix2ang to the last bits.
 */
export function pix2angNest(order: number, pix: number): { ra: number; dec: number } {
  checkOrder(order);
  const npix = pixelCount(order);
  if (!Number.isInteger(pix) || pix < 0 || pix >= npix) {
    throw new RangeError(`pixel ${pix} does not exist at order ${order}`);
  }
  const xyf = [0, 0, 0];
  nest2xyf(order, pix, xyf);
  const [ix, iy, face] = xyf;
  const nside = 2 ** order;
  const fact2 = 4 / npix;
  const fact1 = 2 * nside * fact2;
  const jr = JRLL[face] * nside - ix - iy - 1;
  let nr: number;
  let z: number;
  let sth = 0;
  let haveSth = false;
  if (jr < nside) {
    nr = jr;
    const tmp = nr * nr * fact2;
    z = 1 - tmp;
    if (z > 0.99) {
      sth = Math.sqrt(tmp * (2 - tmp));
      haveSth = true;
    }
  } else if (jr > 3 * nside) {
    nr = nside * 4 - jr;
    const tmp = nr * nr * fact2;
    z = tmp - 1;
    if (z < -0.99) {
      sth = Math.sqrt(tmp * (2 - tmp));
      haveSth = true;
    }
  } else {
    nr = nside;
    z = (2 * nside - jr) * fact1;
  }
  let tmp = JPLL[face] * nr + ix - iy;
  if (tmp < 0) tmp += 8 * nr;
  const phi = nr === nside ? 0.75 * HALF_PI * tmp * fact1 : (0.5 * HALF_PI * tmp) / nr;
  const theta = haveSth ? Math.atan2(sth, z) : Math.acos(z);
  return { ra: phi / DEG, dec: 90 - theta / DEG };
}

/**
 * Unit vector of the point (x, y) in [0, 1]^2 of `face` (x along ix, y along iy), written into
 * `out` (healpix_base.cc xyf2loc). Pixel centres and corners of any order come from here.
 */
export function faceXYToVec(face: number, x: number, y: number, out: Float64Array): void {
  const jr = JRLL[face] - x - y;
  let nr: number;
  let z: number;
  let sth: number;
  if (jr < 1) {
    nr = jr;
    const tmp = (nr * nr) / 3;
    z = 1 - tmp;
    sth = Math.sqrt(tmp * (2 - tmp));
  } else if (jr > 3) {
    nr = 4 - jr;
    const tmp = (nr * nr) / 3;
    z = tmp - 1;
    sth = Math.sqrt(tmp * (2 - tmp));
  } else {
    nr = 1;
    z = ((2 - jr) * 2) / 3;
    sth = Math.sqrt((1 - z) * (1 + z));
  }
  let tmp = JPLL[face] * nr + x - y;
  if (tmp < 0) tmp += 8;
  if (tmp >= 8) tmp -= 8;
  const phi = nr < 1e-15 ? 0 : (0.5 * HALF_PI * tmp) / nr;
  out[0] = sth * Math.cos(phi);
  out[1] = sth * Math.sin(phi);
  out[2] = z;
}

/**
 * Largest angle (radians) from any pixel's centre to any point of that pixel at `order`
 * (healpix_base.cc max_pixrad; attained at a corner of the pixels next to z = 2/3). The
 * coverage searches use it as each pixel's bounding radius. Valid for any order >= 0.
 */
export function maxPixelRadius(order: number): number {
  const nside = 2 ** order;
  const phiA = Math.PI / (4 * nside);
  const za = 2 / 3;
  const sa = Math.sqrt((1 - za) * (1 + za));
  let t1 = 1 - 1 / nside;
  t1 *= t1;
  const zb = 1 - t1 / 3;
  const sb = Math.sqrt((1 - zb) * (1 + zb));
  const ax = sa * Math.cos(phiA);
  const ay = sa * Math.sin(phiA);
  // b = (sb, 0, zb): angle = atan2(|a x b|, a . b)
  const cx = ay * zb;
  const cy = za * sb - ax * zb;
  const cz = -ay * sb;
  return Math.atan2(Math.sqrt(cx * cx + cy * cy + cz * cz), ax * sb + za * zb);
}

/** Square root of the mean pixel area at `order`, in degrees: 58.6 deg / 2^order. */
export function pixelSizeDeg(order: number): number {
  return Math.sqrt((4 * Math.PI) / pixelCount(order)) / DEG;
}
