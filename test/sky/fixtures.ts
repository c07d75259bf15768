/** healpy's answers (test/fixtures/sky/make_sky_fixtures.py) and shared test helpers. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { PixelRange } from '../../src/sky/index.js';

export interface SkyFixtures {
  healpy: string;
  storeOrder: number;
  points: [ra: number, dec: number, id24: number][];
  specials: { ra: number; dec: number; ids: Record<string, number> }[];
  centres: [order: number, pix: number, ra: number, dec: number][];
  maxPixrad: number[];
  cones: { ra: number; dec: number; radius: number; terminal: number; healpy: Record<string, number[]> }[];
  polygons: { corners: [number, number][]; terminal: number; healpy: Record<string, number[]> }[];
}

export const fixtures: SkyFixtures = JSON.parse(
  readFileSync(fileURLToPath(new URL('../fixtures/sky/healpix.json', import.meta.url)), 'utf8'),
);

/** Decodes [s0, len0, gap1, len1, ...] into ranges at `order`, scaled to the storage order 24. */
export function decodeRanges(delta: number[], order: number): PixelRange[] {
  const scale = 4 ** (24 - order);
  const out: PixelRange[] = [];
  let end = 0;
  for (let i = 0; i < delta.length; i += 2) {
    const start = end + delta[i];
    end = start + delta[i + 1];
    out.push([start * scale, end * scale]);
  }
  return out;
}

/** The ranges of `needles` that are not wholly inside one range of the sorted `cover`. */
export function uncovered(cover: readonly PixelRange[], needles: readonly PixelRange[]): PixelRange[] {
  const missing: PixelRange[] = [];
  for (const [s, e] of needles) {
    let lo = 0;
    let hi = cover.length - 1;
    let found = false;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (s < cover[mid][0]) hi = mid - 1;
      else if (s >= cover[mid][1]) lo = mid + 1;
      else {
        found = e <= cover[mid][1];
        break;
      }
    }
    if (!found) missing.push([s, e]);
  }
  return missing;
}

/** Sorted, disjoint, non-adjacent, non-empty. */
export function wellFormed(ranges: readonly PixelRange[]): boolean {
  return ranges.every(([s, e], i) => Number.isSafeInteger(s) && Number.isSafeInteger(e) && s < e && (i === 0 || ranges[i - 1][1] < s));
}

/** Seeded PRNG (mulberry32): the same points on every run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Uniform random position on the sphere. */
export function randomPosition(rand: () => number): { ra: number; dec: number } {
  return { ra: 360 * rand(), dec: (Math.asin(2 * rand() - 1) * 180) / Math.PI };
}

/** The position `distDeg` from (ra, dec) towards position angle `paDeg` (east of north). */
export function offset(ra: number, dec: number, distDeg: number, paDeg: number): { ra: number; dec: number } {
  const d = Math.PI / 180;
  const [d1, r, pa] = [dec * d, distDeg * d, paDeg * d];
  const dec2 = Math.asin(Math.min(1, Math.max(-1, Math.sin(d1) * Math.cos(r) + Math.cos(d1) * Math.sin(r) * Math.cos(pa))));
  const dra = Math.atan2(Math.sin(pa) * Math.sin(r) * Math.cos(d1), Math.cos(r) - Math.sin(d1) * Math.sin(dec2));
  return { ra: (((ra + dra / d) % 360) + 360) % 360, dec: dec2 / d };
}

export type Pos = { ra: number; dec: number };

/** Unit vector of a position, written independently of src/sky. */
export function unitVec(p: Pos): number[] {
  const d = Math.PI / 180;
  return [Math.cos(p.dec * d) * Math.cos(p.ra * d), Math.cos(p.dec * d) * Math.sin(p.ra * d), Math.sin(p.dec * d)];
}
