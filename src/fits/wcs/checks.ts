/**
 * Header-level consistency checks that do not affect the transformation itself: axis counts
 * against the data, and the reference frame keywords.
 */
import type { CardValue } from '../types.js';
import { IssueList } from './issues.js';
import type { Wcs } from './parse.js';

/** WCS_TOO_MANY_AXES, or WCS_2D_ON_SPECTRUM when a 1-D array carries an image's celestial WCS. */
export function checkAxisCounts(wcs: Wcs, keywords: ReadonlyMap<string, CardValue>, naxis: number[], issues: IssueList): void {
  if (naxis.length === 0 || wcs.naxes <= naxis.length) return;
  const firstCelestial = wcs.axes.findIndex((a, i) => i === 0 && /^(RA|DEC|[A-Z]LON|[A-Z]LAT)-/.test(a.ctype));
  if (naxis.length === 1 && firstCelestial === 0) {
    issues.add('WCS_2D_ON_SPECTRUM', 'CTYPE1',
      `1-D data (NAXIS1 = ${naxis[0]}) carries a celestial WCS (${wcs.axes.map((a) => a.ctype).join(', ')}), probably left over from an image`);
    return;
  }
  const key = keywords.has('WCSAXES') ? 'WCSAXES' : `CTYPE${wcs.naxes}`;
  issues.add('WCS_TOO_MANY_AXES', key, `${wcs.naxes} WCS axes but NAXIS = ${naxis.length}`);
}

/**
 * RADESYS and EQUINOX (or the older EPOCH) must agree: FK4 is a B1950-era frame (EQUINOX before
 * 1984), FK5 a J2000-era one, ICRS has no equinox (2000 tolerated). Mixing them shifts positions
 * by up to an arcminute, so say so.
 */
export function checkFrame(keywords: ReadonlyMap<string, CardValue>, issues: IssueList): void {
  const rv = keywords.get('RADESYS') ?? keywords.get('RADECSYS');
  const radesys = typeof rv === 'string' ? rv.trim().toUpperCase() : undefined;
  const key = keywords.has('EQUINOX') ? 'EQUINOX' : 'EPOCH';
  const ev = keywords.get(key);
  let equinox: number | undefined;
  if (typeof ev === 'number' && Number.isFinite(ev)) equinox = ev;
  else if (typeof ev === 'bigint') equinox = Number(ev);
  else if (ev !== undefined && ev !== null) {
    issues.add('WCS_BAD_VALUE', key, `expected a number, found ${JSON.stringify(String(ev))}`);
  }
  if (rv !== undefined && rv !== null && radesys === undefined) {
    issues.add('WCS_BAD_VALUE', 'RADESYS', `expected a string, found ${String(rv)}`);
  }
  if (radesys === undefined) return;
  const rkey = keywords.has('RADESYS') ? 'RADESYS' : 'RADECSYS';
  switch (radesys) {
    case 'FK4':
    case 'FK4-NO-E':
      if (equinox !== undefined && equinox >= 1984) {
        issues.add('WCS_RADESYS_EQUINOX', key, `${rkey} = ${radesys} with ${key} = ${equinox}: FK4 is a Besselian (pre-1984) frame`);
      }
      break;
    case 'FK5':
      if (equinox !== undefined && equinox < 1984) {
        issues.add('WCS_RADESYS_EQUINOX', key, `${rkey} = FK5 with ${key} = ${equinox}: FK5 is a Julian (1984 and later) frame`);
      }
      break;
    case 'ICRS':
      if (equinox !== undefined && equinox !== 2000) {
        issues.add('WCS_RADESYS_EQUINOX', key, `${rkey} = ICRS with ${key} = ${equinox}: ICRS has no equinox`);
      }
      break;
    case 'GAPPT':
      break;
    default:
      issues.add('WCS_RADESYS_EQUINOX', rkey, `unknown reference system ${rkey} = ${radesys}`);
  }
}
