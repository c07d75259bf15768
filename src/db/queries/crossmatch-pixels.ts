/**
 * The pixel ranges a cross-match probes for one small disc, in about a microsecond.
 *
 * src/sky's coneRanges is exact but walks the pixel tree from the 12 base pixels (~30 us per
 * 1" disc even with a coarse terminal order): 3 s for 100,000 positions. A disc much smaller
 * than a pixel of order k only reaches the pixel holding its centre and that pixel's 8
 * neighbours, so those 9 are judged directly, with the same test coneRanges uses (a pixel is
 * kept when its centre lies within radius + maxPixelRadius(k)): a superset, never a miss. The
 * exact distance then decides in SQL. Pure: no database.
 */
import { ang2pixNest, angularDistanceDeg, MAX_ORDER, maxPixelRadius, pix2angNest, pixelSizeDeg, xyf2nest, nest2xyf } from '../../sky/index.js';

// healpix_base.cc neighbors(): offsets of the 8 neighbours (SW, W, NW, N, NE, E, SE, S in
// healpy's order), the face a step off the face lands on (by the 3x3 position of the step,
// per face; -1 where three faces meet and there is no pixel), and how x/y turn on that face.
const X_OFFSET = [-1, -1, 0, 1, 1, 1, 0, -1];
const Y_OFFSET = [0, 1, 1, 1, 0, -1, -1, -1];
const FACE_ARRAY = [
  [8, 9, 10, 11, -1, -1, -1, -1, 10, 11, 8, 9], // S
  [5, 6, 7, 4, 8, 9, 10, 11, 9, 10, 11, 8], // SE
  [-1, -1, -1, -1, 5, 6, 7, 4, -1, -1, -1, -1], // E
  [4, 5, 6, 7, 11, 8, 9, 10, 11, 8, 9, 10], // SW
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], // centre
  [1, 2, 3, 0, 0, 1, 2, 3, 5, 6, 7, 4], // NE
  [-1, -1, -1, -1, 7, 4, 5, 6, -1, -1, -1, -1], // W
  [3, 0, 1, 2, 3, 0, 1, 2, 4, 5, 6, 7], // NW
  [2, 3, 0, 1, -1, -1, -1, -1, 0, 1, 2, 3], // N
];
const SWAP_ARRAY = [
  [0, 0, 3],
  [0, 0, 6],
  [0, 0, 0],
  [0, 0, 5],
  [0, 0, 0],
  [5, 0, 0],
  [0, 0, 0],
  [6, 0, 0],
  [3, 0, 0],
];

/** The 8 neighbours of a nested pixel (healpy's get_all_neighbours order; -1 where none), into `out`. */
export function neighboursNest(order: number, pix: number, out: number[] = new Array(8)): number[] {
  const xyf = [0, 0, 0];
  nest2xyf(order, pix, xyf);
  const [ix, iy, face] = xyf;
  const nside = 2 ** order;
  for (let i = 0; i < 8; i++) {
    let x = ix + X_OFFSET[i];
    let y = iy + Y_OFFSET[i];
    let nb = 4;
    if (x < 0) {
      x += nside;
      nb -= 1;
    } else if (x >= nside) {
      x -= nside;
      nb += 1;
    }
    if (y < 0) {
      y += nside;
      nb -= 3;
    } else if (y >= nside) {
      y -= nside;
      nb += 3;
    }
    const f = FACE_ARRAY[nb][face];
    if (f < 0) {
      out[i] = -1;
      continue;
    }
    const bits = SWAP_ARRAY[nb][face >> 2];
    if (bits & 1) x = nside - x - 1;
    if (bits & 2) y = nside - y - 1;
    if (bits & 4) [x, y] = [y, x];
    out[i] = xyf2nest(order, x, y, f);
  }
  return out;
}

/**
 * The order whose pixels are at least 10 times the radius across: then a disc reaches no
 * pixel beyond its centre's 8 neighbours (HEALPix pixels are at worst ~2x narrower than their
 * nominal size), and each probe fetches few rows. Never deeper than the storage order.
 */
export function crossmatchOrder(radiusDeg: number): number {
  let k = 0;
  while (k < MAX_ORDER && pixelSizeDeg(k + 1) >= 10 * radiusDeg) k++;
  return k;
}

/**
 * Appends to `lo`/`hi` the [start, end) ranges of order-24 ids (sorted, merged) of the
 * order-`k` pixels a disc (degrees) around (ra, dec) may reach. Returns how many it appended.
 */
export function discProbeRanges(k: number, raDeg: number, decDeg: number, radiusDeg: number, lo: number[], hi: number[], scratch: number[] = new Array(9)): number {
  const centre = ang2pixNest(k, raDeg, decDeg);
  neighboursNest(k, centre, scratch);
  scratch[8] = centre;
  // Kept when the pixel's bounding circle meets the disc (coverage.ts's slack, in degrees).
  const reach = radiusDeg + ((maxPixelRadius(k) * (1 + 1e-9) + 1e-13) * 180) / Math.PI;
  let n = 0;
  for (let i = 0; i < 9; i++) {
    const p = scratch[i];
    if (p < 0 || (i < 8 && (scratch.indexOf(p) < i || p === centre))) {
      scratch[i] = -1; // none, or a repeat (a pixel where three faces meet)
      continue;
    }
    if (i < 8) {
      const c = pix2angNest(k, p);
      if (angularDistanceDeg(raDeg, decDeg, c.ra, c.dec) > reach) {
        scratch[i] = -1;
        continue;
      }
    }
    n++;
  }
  const kept = scratch.filter((p) => p >= 0).sort((a, b) => a - b);
  const scale = 4 ** (MAX_ORDER - k);
  const start = lo.length;
  for (const p of kept) {
    const last = lo.length - 1;
    if (last >= start && hi[last] === p * scale) hi[last] = (p + 1) * scale;
    else {
      lo.push(p * scale);
      hi.push((p + 1) * scale);
    }
  }
  return n > 0 ? lo.length - start : 0;
}
