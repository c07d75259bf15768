/**
 * A cone search as pixel ranges: the conservative covering that lets SQL use the btree on the
 * stored pixel id before the exact distance test. Works the same at the poles and across
 * RA = 0 because it is computed on unit vectors, never in (ra, dec) boxes.
 */
import { coverPixels, INSIDE, MISS, PARTIAL, pixelRadii, terminalOrderFor, type Verdict } from './coverage.js';
import { MAX_ORDER, pixelCount } from './healpix.js';
import { capRanges, toPairs, type PixelRange } from './ranges.js';
import { chordSq, radecToVec } from './vector.js';

/** Default cap on the number of ranges a cone becomes (see capRanges). */
export const DEFAULT_MAX_RANGES = 32;

export interface ConeRangeOptions {
  /** Order of the stored ids (default and maximum: 24). */
  storeOrder?: number;
  /** At most this many ranges (default 32); gaps are filled to get there. */
  maxRanges?: number;
  /** Deepest order the search refines to (default: from the radius, terminalOrderFor). */
  terminalOrder?: number;
}

/**
 * Sorted, disjoint [start, end) ranges of nested ids at the storage order that hold every
 * pixel overlapping the cone (radius in degrees; >= 180 is the whole sky). A superset: the
 * caller still tests the exact distance (angularDistanceDeg <= radius).
 */
export function coneRanges(raDeg: number, decDeg: number, radiusDeg: number, options: ConeRangeOptions = {}): PixelRange[] {
  const storeOrder = options.storeOrder ?? MAX_ORDER;
  const maxRanges = options.maxRanges ?? DEFAULT_MAX_RANGES;
  if (!Number.isFinite(raDeg) || !(decDeg >= -90 && decDeg <= 90) || !(radiusDeg >= 0)) {
    throw new RangeError(`cone out of range: ra ${raDeg}, dec ${decDeg}, radius ${radiusDeg}`);
  }
  if (!Number.isInteger(storeOrder) || storeOrder < 0 || storeOrder > MAX_ORDER || !(maxRanges >= 1)) {
    throw new RangeError(`bad cone options: storeOrder ${storeOrder}, maxRanges ${maxRanges}`);
  }
  if (radiusDeg >= 180) return [[0, pixelCount(storeOrder)]];
  const r = (radiusDeg * Math.PI) / 180;
  const terminal = Math.min(options.terminalOrder ?? terminalOrderFor(r, storeOrder), storeOrder);
  const { inner, outer } = pixelRadii(terminal);
  // Thresholds on the squared chord from the cone's centre to a pixel centre, per order.
  const missBeyond = new Float64Array(terminal + 1);
  const insideWithin = new Float64Array(terminal + 1);
  for (let o = 0; o <= terminal; o++) {
    missBeyond[o] = r + outer[o] >= Math.PI ? Infinity : chordSq(r + outer[o]);
    insideWithin[o] = r > inner[o] ? chordSq(r - inner[o]) : -1;
  }
  const c = new Float64Array(3);
  radecToVec(raDeg, decDeg, c);
  const cx = c[0];
  const cy = c[1];
  const cz = c[2];
  const judge = (v: Float64Array, order: number): Verdict => {
    const dx = v[0] - cx;
    const dy = v[1] - cy;
    const dz = v[2] - cz;
    const d2 = dx * dx + dy * dy + dz * dz;
    if (d2 > missBeyond[order]) return MISS;
    return d2 <= insideWithin[order] ? INSIDE : PARTIAL;
  };
  return toPairs(capRanges(coverPixels(judge, terminal, storeOrder), maxRanges));
}
