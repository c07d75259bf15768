/**
 * Keywords that are legal FITS but not allowed where they appear (fitsverify's
 * "is not allowed in ..." family, Standard 4.0 sections 4.4.1-4.4.2, 7.2, 7.3):
 * PCOUNT/GCOUNT in a primary array without random groups; SIMPLE/EXTEND/GROUPS in an
 * extension; image scaling keywords in tables; THEAP without a heap; TSCAL/TZERO on
 * character, logical or bit columns.
 */
import { hduIssue } from '../issues.js';
import type { FitsIssue, HduInfo } from '../types.js';

const IMAGE_ONLY_IN_TABLES = ['BSCALE', 'BZERO', 'BUNIT', 'BLANK', 'DATAMAX', 'DATAMIN'];
const TSCALE = /^(TSCAL|TZERO)(\d+)$/;

export function checkAllowed(hdus: readonly HduInfo[]): FitsIssue[] {
  const issues: FitsIssue[] = [];

  for (const hdu of hdus) {
    const kw = hdu.keywords;
    if (hdu.index === 0) {
      const groups = kw.get('GROUPS') === true && kw.get('NAXIS1') === 0;
      if (!groups) {
        for (const k of ['PCOUNT', 'GCOUNT']) if (kw.has(k)) notAllowed(issues, hdu, k, 'is not allowed in a primary array without random groups');
      }
      continue;
    }
    for (const k of ['SIMPLE', 'EXTEND', 'GROUPS']) if (kw.has(k)) notAllowed(issues, hdu, k, 'is not allowed in an extension');

    if (hdu.type !== 'BINTABLE' && hdu.type !== 'TABLE') continue;
    if (!hdu.compressedImage) {
      // A tile-compressed image's table legitimately carries the image's BSCALE etc. as ZBSCALE...,
      // but some writers copy BUNIT/BLANK too; astropy accepts that, so we only flag plain tables.
      for (const k of IMAGE_ONLY_IN_TABLES) if (kw.has(k)) notAllowed(issues, hdu, k, `is not allowed in a ${hdu.type} (image scaling keyword)`);
    }
    if (kw.has('THEAP')) {
      if (hdu.type === 'TABLE') notAllowed(issues, hdu, 'THEAP', 'is not allowed in an ASCII TABLE (no heap)');
      else if (kw.get('PCOUNT') === 0) notAllowed(issues, hdu, 'THEAP', 'is present but PCOUNT = 0 (there is no heap)');
    }
    for (const [k] of kw) {
      const m = TSCALE.exec(k);
      if (!m) continue;
      const tform = kw.get(`TFORM${m[2]}`);
      if (typeof tform !== 'string') continue;
      const code = /^\s*\d*\s*([A-Za-z])/.exec(tform)?.[1]?.toUpperCase();
      if (code === 'A' || code === 'L' || code === 'X') {
        notAllowed(issues, hdu, k, `is not allowed on column ${m[2]} of type ${code} (TFORM${m[2]} = '${tform}')`);
      }
    }
  }
  return issues;
}

/** A module function, not a closure per call: tsx names each closure at run time. */
function notAllowed(issues: FitsIssue[], hdu: HduInfo, keyword: string, what: string): void {
  issues.push(hduIssue('ERROR', 'FITS_KEYWORD_NOT_ALLOWED', hdu, keyword, what));
}
