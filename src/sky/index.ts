/**
 * Public entry of the sky index (pure: no database, no I/O). Positions are ICRS degrees;
 * pixel ids are HEALPix nested ids at STORE_ORDER (24), safe integers stored as bigint.
 *
 *   const hpx = ang2pixNest(STORE_ORDER, ra, dec);            // at ingest, per position
 *   const ranges = coneRanges(ra, dec, radius);               // per query: <= 32 [start, end)
 *   // SQL: (hpx >= s1 AND hpx < e1) OR ... , then angularDistanceDeg(...) <= radius exactly
 *   const moc = polygonMoc(footprint);                        // per footprint: <= 64 ranges
 *   const fov = 2 * smallestEnclosingCircle(footprint).radius;
 */
import { MAX_ORDER } from './healpix.js';

/** Order of the stored pixel ids: 12.6 mas pixels, the deepest whose ids are safe integers. */
export const STORE_ORDER = MAX_ORDER;

export { ang2pixNest, pix2angNest, xyf2nest, nest2xyf, maxPixelRadius, pixelCount, pixelSizeDeg, MAX_ORDER } from './healpix.js';
export { angularDistanceDeg } from './vector.js';
export { coneRanges, DEFAULT_MAX_RANGES } from './cone.js';
export type { ConeRangeOptions } from './cone.js';
export { convexPolygon, convexPolygonContains, polygonContains, polygonMoc, DEFAULT_MOC_MAX_RANGES } from './polygon.js';
export type { ConvexPolygon, MocOptions } from './polygon.js';
export { smallestEnclosingCircle } from './enclosing-circle.js';
export type { SkyCircle } from './enclosing-circle.js';
export { rangesContain, rangesPixelCount } from './ranges.js';
export type { PixelRange } from './ranges.js';
