/**
 * The close-up view of a cone: a gnomonic projection about the cone's centre, scaled so the
 * cone fills the canvas, with a grid of round RA/Dec steps. Pure (canvas pixels from sky
 * positions); drawn by components/sky-plot.tsx.
 */
import { gnomonic, gridStep, type Sky } from './projection.js';

/** Cones wider than this are shown on the all-sky map only (the tangent plane stretches too much). */
export const FIELD_MAX_RADIUS = 10;

export interface FieldLayout {
  width: number;
  height: number;
  /** CSS pixels of a sky position, or null behind the plane. */
  toPx(s: Sky): [number, number] | null;
  /** Degrees of one grid step in Dec (and of the scale bar), and its length in pixels. */
  step: number;
  stepPx: number;
  /** Grid lines as sky polylines. */
  grid: Sky[][];
}

export function fieldLayout(width: number, cone: { ra: number; dec: number; radius: number }): FieldLayout {
  const height = Math.round(width * 0.72);
  const span = cone.radius * 1.2;
  const scale = (Math.min(width, height) / 2 - 12) / span;
  const cx = width / 2;
  const cy = height / 2;
  const toPx = (s: Sky): [number, number] | null => {
    const p = gnomonic(cone, s);
    return p ? [cx + p.x * scale, cy - p.y * scale] : null;
  };
  const extent = Math.max(width, height) / 2 / scale; // degrees from the centre to the canvas edge
  const step = gridStep(2 * span);
  const cosDec = Math.max(0.02, Math.cos((cone.dec * Math.PI) / 180));
  const raStep = gridStep((2 * span) / cosDec);
  const grid: Sky[][] = [];
  const decLo = Math.max(-90, cone.dec - extent * 1.5);
  const decHi = Math.min(90, cone.dec + extent * 1.5);
  const raHalf = Math.min(180, (extent * 1.5) / cosDec);
  for (let dec = Math.ceil(decLo / step) * step; dec <= decHi; dec += step) {
    const line: Sky[] = [];
    for (let i = 0; i <= 60; i++) line.push({ ra: (((cone.ra - raHalf + (2 * raHalf * i) / 60) % 360) + 360) % 360, dec });
    grid.push(line);
  }
  for (let ra = Math.ceil((cone.ra - raHalf) / raStep) * raStep; ra <= cone.ra + raHalf; ra += raStep) {
    const line: Sky[] = [];
    for (let i = 0; i <= 60; i++) line.push({ ra: ((ra % 360) + 360) % 360, dec: decLo + ((decHi - decLo) * i) / 60 });
    grid.push(line);
  }
  return { width, height, toPx, step, stepPx: step * scale, grid };
}
