/**
 * SIP distortion (Shupe et al. 2005): before the linear transformation, the pixel offsets
 * (u, v) = (p1 - CRPIX1, p2 - CRPIX2) are corrected by polynomials
 *   u' = u + sum A_p_q u^p v^q,  v' = v + sum B_p_q u^p v^q   (2 <= p + q <= order usually).
 * Like astropy, SIP always acts on the first two pixel axes.
 */
import type { CardReader } from './cards.js';

export interface Sip {
  a: number[][]; // a[p][q]
  b: number[][];
}

function readPoly(cards: CardReader, letter: 'A' | 'B'): number[][] | null {
  const order = cards.num(`${letter}_ORDER`);
  if (order === undefined) return null;
  const n = Math.max(0, Math.floor(order));
  const c: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(n + 1).fill(0));
  for (let p = 0; p <= n; p++) {
    for (let q = 0; p + q <= n; q++) c[p][q] = cards.num(`${letter}_${p}_${q}`) ?? 0;
  }
  return c;
}

export function readSip(cards: CardReader): Sip | null {
  const a = readPoly(cards, 'A');
  const b = readPoly(cards, 'B');
  if (a === null && b === null) return null;
  return { a: a ?? [[0]], b: b ?? [[0]] };
}

function evalPoly(c: number[][], u: number, v: number): number {
  let s = 0;
  for (let p = 0; p < c.length; p++) {
    const up = u ** p;
    for (let q = 0; q < c[p].length; q++) if (c[p][q] !== 0) s += c[p][q] * up * v ** q;
  }
  return s;
}

/** Corrected offsets (u', v'). */
export function applySip(sip: Sip, u: number, v: number): [number, number] {
  return [u + evalPoly(sip.a, u, v), v + evalPoly(sip.b, u, v)];
}
