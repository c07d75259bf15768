/**
 * Positions of data without a celestial WCS (1-D spectra) come from header keywords:
 * RA/DEC by default (a release's rules may name others). Numbers are degrees; strings are
 * sexagesimal, RA in hours ("12:34:56.7" or "12 34 56.7") and DEC in degrees ("-05:06:07").
 */
import type { CardValue, SkyPosition } from '../../fits/types.js';

export function positionFromKeywords(
  keywords: ReadonlyMap<string, CardValue>,
  names: { ra: string; dec: string },
): SkyPosition | null {
  const ra = angle(keywords.get(names.ra), 15);
  const dec = angle(keywords.get(names.dec), 1);
  if (ra === null || dec === null || dec < -90 || dec > 90) return null;
  return { ra: ((ra % 360) + 360) % 360, dec };
}

/** A number in degrees, or a sexagesimal string scaled by `unitDegrees` (15 for hours). */
function angle(value: CardValue | undefined, unitDegrees: number): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string') return null;
  const m = /^\s*([+-])?\s*(\d+(?:\.\d*)?)(?:[:\s hd]+(\d+(?:\.\d*)?))?(?:[:\s m']+(\d+(?:\.\d*)?))?\s*[s"]?\s*$/.exec(value);
  if (!m) return null;
  const [, sign, a, b, c] = m;
  if (b === undefined) {
    // A lone number in a string: degrees, as if it had been written as a number.
    const v = Number(a);
    return sign === '-' ? -v : v;
  }
  const v = (Number(a) + Number(b) / 60 + Number(c ?? 0) / 3600) * unitDegrees;
  return sign === '-' ? -v : v;
}
