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
import { faceXYToVec } from '../../sky/healpix.js';
import { ang2pixNest, MAX_ORDER, maxPixelRadius, nest2xyf, pixelSizeDeg, xyf2nest } from '../../sky/index.js';

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

/**
 * The pixel one step (direction i of the 8) from (ix, iy) on `face`, written to out as
 * [x, y, face]; false where there is none (three faces meet).
 */
function step(ix: number, iy: number, face: number, i: number, nside: number, out: number[]): boolean {
  let x = ix + X_OFFSET[i];
  let y = iy + Y_OFFSET[i];
  let f = face;
  if (x < 0 || x >= nside || y < 0 || y >= nside) {
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
    f = FACE_ARRAY[nb][face];
    if (f < 0) return false;
    const bits = SWAP_ARRAY[nb][face >> 2];
    if (bits & 1) x = nside - x - 1;
    if (bits & 2) y = nside - y - 1;
    if (bits & 4) {
      const swap = x;
      x = y;
      y = swap;
    }
  }
  out[0] = x;
  out[1] = y;
  out[2] = f;
  return true;
}

/** The 8 neighbours of a nested pixel (healpy's get_all_neighbours order; -1 where none). */
export function neighboursNest(order: number, pix: number): number[] {
  const xyf = [0, 0, 0];
  nest2xyf(order, pix, xyf);
  const [ix, iy, face] = xyf;
  const nside = 2 ** order;
  const out: number[] = [];
  for (let i = 0; i < 8; i++) out.push(step(ix, iy, face, i, nside, xyf) ? xyf2nest(order, xyf[0], xyf[1], xyf[2]) : -1);
  return out;
}

/**
 * The order whose pixels are at least 40 times the radius across: then a disc reaches no
 * pixel beyond its centre's 8 neighbours (HEALPix pixels are at worst ~2x narrower than their
 * nominal size), and few discs reach a neighbour at all (at 1": order 12, 51" pixels, holding
 * ~0.5 records each in a survey field of 2,000 per square degree). Never deeper than the
 * storage order.
 */
export function crossmatchOrder(radiusDeg: number, factor = PIXEL_OVER_RADIUS): number {
  let k = 0;
  while (k < MAX_ORDER && pixelSizeDeg(k + 1) >= factor * radiusDeg) k++;
  return k;
}

/**
 * Probes for discs of one radius: `probe(ra, dec)` appends to `lo`/`hi` the [start, end) runs
 * of order-`order` pixel ids (sorted, merged) that the disc around (ra, dec) may reach, and
 * returns how many it appended. The 9 candidates are judged by their centres' squared chord
 * to the position, then their sub-pixels' (no trigonometry per candidate).
 */
export interface DiscProber {
  order: number;
  probe(raDeg: number, decDeg: number, lo: number[], hi: number[]): number;
}

/** Sub-pixel orders a neighbour is judged down to. */
const REFINE = 4;
const PIXEL_OVER_RADIUS = 40;

export function discProber(radiusDeg: number, tuning: { factor?: number; refine?: number } = {}): DiscProber {
  const k = crossmatchOrder(radiusDeg, tuning.factor);
  const refine = Math.min(tuning.refine ?? REFINE, MAX_ORDER - k);
  const nside = 2 ** k;
  // A pixel is kept when its bounding circle meets the disc (coverage.ts's slack), or rather
  // when one of its sub-pixels' does, REFINE orders down: at 1", the bounding circles of
  // 13" pixels alone kept 2.7 pixels per disc; those of 51" pixels judged by their sub-pixels
  // 4 orders down keep 1.16 (each probe costs the statement a few us; measured on 100,000
  // random positions, 2.3 us per position here on a loaded machine).
  const limits = Array.from({ length: refine + 1 }, (_, m) => {
    const reach = (radiusDeg * Math.PI) / 180 + maxPixelRadius(k + m) * (1 + 1e-9) + 1e-13;
    return reach >= Math.PI ? 4 : 4 * Math.sin(reach / 2) ** 2;
  });
  const xyf = [0, 0, 0];
  const nb = [0, 0, 0];
  const v = new Float64Array(3);
  const kept = new Float64Array(9);
  let px = 0;
  let py = 0;
  let pz = 0;
  // Does the pixel (x, y) of `face` at order k + m (or one of its sub-pixels) come near enough?
  const near = (face: number, x: number, y: number, m: number): boolean => {
    const side = nside * 2 ** m;
    faceXYToVec(face, (x + 0.5) / side, (y + 0.5) / side, v);
    const dx = v[0] - px;
    const dy = v[1] - py;
    const dz = v[2] - pz;
    if (dx * dx + dy * dy + dz * dz > limits[m]) return false;
    if (m === refine) return true;
    return near(face, 2 * x, 2 * y, m + 1) || near(face, 2 * x + 1, 2 * y, m + 1) || near(face, 2 * x, 2 * y + 1, m + 1) || near(face, 2 * x + 1, 2 * y + 1, m + 1);
  };
  const probe = (raDeg: number, decDeg: number, lo: number[], hi: number[]): number => {
    const ra = (raDeg * Math.PI) / 180;
    const dec = (decDeg * Math.PI) / 180;
    px = Math.cos(dec) * Math.cos(ra);
    py = Math.cos(dec) * Math.sin(ra);
    pz = Math.sin(dec);
    const centre = ang2pixNest(k, raDeg, decDeg);
    nest2xyf(k, centre, xyf);
    const ix = xyf[0];
    const iy = xyf[1];
    const face = xyf[2];
    let n = 0;
    kept[n++] = centre;
    for (let i = 0; i < 8; i++) {
      if (!step(ix, iy, face, i, nside, nb)) continue;
      if (!near(nb[2], nb[0], nb[1], 0)) continue;
      const pix = xyf2nest(k, nb[0], nb[1], nb[2]);
      // Insertion in order (by hand: copyWithin's call cost more than the shift of <= 8
      // numbers); a pixel where three faces meet can come twice.
      let j = n;
      while (j > 0 && kept[j - 1] > pix) j--;
      if (j > 0 && kept[j - 1] === pix) continue;
      for (let m = n; m > j; m--) kept[m] = kept[m - 1];
      kept[j] = pix;
      n++;
    }
    const start = lo.length;
    for (let j = 0; j < n; j++) {
      const p = kept[j];
      const last = lo.length - 1;
      if (last >= start && hi[last] === p) hi[last] = p + 1;
      else {
        lo.push(p);
        hi.push(p + 1);
      }
    }
    return lo.length - start;
  };
  return { order: k, probe };
}
