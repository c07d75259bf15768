/**
 * World coordinate systems of FITS headers (pure: no I/O, no database).
 *
 * describeWcs summarises a header's primary WCS for the archive: sky centre and footprint,
 * spectral range, and findings. Lower-level: parseWcs and pixelToWorld.
 *
 * Sky positions are reported as { ra, dec } whatever the celestial system: `ra` is the longitude
 * axis value (RA, GLON, ELON, ...) and `dec` the latitude, in degrees, longitude in [0, 360).
 */
import type { CardValue, FitsIssue, SkyPosition, SpectralRange } from '../types.js';
import { checkAxisCounts, checkFrame } from './checks.js';
import { IssueList } from './issues.js';
import { parseWcs, type CelestialWcs, type Wcs } from './parse.js';
import { pixelToWorld } from './transform.js';
import { spectralRangeMetres } from './units.js';

export { parseWcs, pixelToWorld };
export type { Wcs, CelestialWcs, SpectralWcs, WcsAxis } from './parse.js';
export { WCS_CODES, type WcsCode } from './issues.js';
export { PROJECTION_CODES } from './projections/index.js';

export interface WcsSummary {
  /** Has a paired celestial lon/lat axis pair (with a known projection). */
  celestial: boolean;
  /** 0-based axis index of the spectral axis. */
  spectralAxis: number | null;
  /** World coordinates at the centre pixel ((NAXISk + 1)/2 on every axis, 1-based); null when NAXIS = 0. */
  center: SkyPosition | null;
  /** Outer corners (0.5,0.5), (N1+0.5,0.5), (N1+0.5,N2+0.5), (0.5,N2+0.5) of the celestial axes. */
  footprint: SkyPosition[] | null;
  /** World coordinate of the first and last pixel centre of the spectral axis, min <= max. */
  spectralRange: SpectralRange | null;
  /** The same range as wavelengths in metres (ObsCore em_min/em_max), null when it has no wavelength equivalent. */
  emRange: { min: number; max: number } | null;
  issues: FitsIssue[];
}

export function describeWcs(keywords: ReadonlyMap<string, CardValue>, naxis: number[], hdu: number): WcsSummary {
  const wcs: Wcs = parseWcs(keywords, naxis, hdu);
  const extra = new IssueList(hdu);
  checkAxisCounts(wcs, keywords, naxis, extra);
  checkFrame(keywords, extra);

  // Axes beyond NAXIS are degenerate: one pixel long.
  const size: number[] = [];
  const centre: number[] = [];
  for (let i = 0; i < wcs.naxes; i++) {
    size.push(naxis[i] ?? 1);
    centre.push((size[i] + 1) / 2);
  }

  let center: SkyPosition | null = null;
  let footprint: SkyPosition[] | null = null;
  const cel = wcs.celestial;
  // Without a data array (NAXIS = 0) there are no pixels to place on the sky.
  if (cel !== null && wcs.usable && naxis.length > 0) {
    center = skyAt(wcs, cel, centre);
    if (center === null) {
      extra.add('WCS_OUTSIDE_VALID_REGION', `CTYPE${cel.lng + 1}`,
        `the centre pixel lies outside the valid region of the ${cel.projection.code} projection`);
    }
    const nl = size[cel.lng];
    const nb = size[cel.lat];
    const corners = [[0.5, 0.5], [nl + 0.5, 0.5], [nl + 0.5, nb + 0.5], [0.5, nb + 0.5]].map(([a, b]) => {
      const p = centre.slice();
      p[cel.lng] = a;
      p[cel.lat] = b;
      return skyAt(wcs, cel, p);
    });
    const outside = corners.findIndex((c) => c === null);
    if (outside < 0) footprint = corners as SkyPosition[];
    else {
      extra.add('WCS_OUTSIDE_VALID_REGION', `CTYPE${cel.lng + 1}`,
        `image corner ${outside + 1} lies outside the valid region of the ${cel.projection.code} projection; no footprint`);
    }
  }

  let spectralRange: SpectralRange | null = null;
  const spec = wcs.spectral;
  if (spec !== null && spec.supported && wcs.usable && naxis.length > 0) {
    const a = spectralAt(wcs, spec.axis, centre, 1);
    const b = spectralAt(wcs, spec.axis, centre, size[spec.axis]);
    if (a !== undefined && b !== undefined) spectralRange = { min: Math.min(a, b), max: Math.max(a, b), unit: spec.unit };
  }
  const emRange = spectralRange && spec ? spectralRangeMetres(spec.type, spectralRange.unit, spectralRange.min, spectralRange.max) : null;

  return {
    celestial: cel !== null,
    spectralAxis: spec?.axis ?? null,
    center,
    footprint,
    spectralRange,
    emRange,
    issues: [...wcs.issues, ...extra.issues],
  };
}

// Module functions rather than closures in describeWcs: under tsx every closure created per call
// is also named at run time (an Object.defineProperty each).

/** Sky position of pixel `p` (1-based), or null outside the projection's valid region. */
function skyAt(wcs: Wcs, cel: CelestialWcs, p: number[]): SkyPosition | null {
  const w = pixelToWorld(wcs, p);
  return w === null ? null : { ra: w[cel.lng], dec: w[cel.lat] };
}

/** World value on the spectral axis at pixel k of that axis (the centre on the others), if finite. */
function spectralAt(wcs: Wcs, axis: number, centre: number[], k: number): number | undefined {
  const p = centre.slice();
  p[axis] = k;
  const v = pixelToWorld(wcs, p)?.[axis];
  return v !== undefined && Number.isFinite(v) ? v : undefined;
}
