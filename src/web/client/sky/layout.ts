/**
 * Where the sky plot's ellipse sits on its canvas: `width` CSS pixels wide, a margin left and
 * right for the Dec labels, a small one above and below. Pure (the tests use it to find a
 * marker on the canvas).
 */
import type { Point } from './projection.js';

export const MARGIN_X = 26;
export const MARGIN_Y = 10;

export interface PlotLayout {
  width: number;
  height: number;
  /** CSS pixels of a normalised plot point (x in [-1, 1], y in [-0.5, 0.5]). */
  toPx(p: Point): [number, number];
}

export function plotLayout(width: number): PlotLayout {
  const a = (width - 2 * MARGIN_X) / 2;
  const height = Math.round(a + 2 * MARGIN_Y);
  const cx = width / 2;
  const cy = height / 2;
  return { width, height, toPx: (p) => [cx + p.x * a, cy - p.y * a] };
}
