/**
 * Indexed keywords beyond their declared range (fitsverify: "invalid index n (> TFIELD)" and
 * "index n is not in range 1-m (WCSAXES)"). Such cards are silently ignored by readers, so
 * they usually mean a header edited by hand or a column dropped without its keywords.
 */
import { hduIssue } from '../issues.js';
import type { FitsIssue, HduInfo } from '../types.js';

const COLUMN_KEY =
  /^(TTYPE|TFORM|TUNIT|TSCAL|TZERO|TNULL|TDISP|TDIM|TBCOL|TLMIN|TLMAX|TDMIN|TDMAX|TCTYP|TCUNI|TCRPX|TCRVL|TCDLT|TCROT)(\d+)$/;
const AXIS_KEY = /^(CTYPE|CUNIT|CRVAL|CDELT|CRPIX|CROTA|CNAME|CRDER|CSYER)(\d+)([A-Z]?)$/;
const MATRIX_KEY = /^(PC|CD)(\d+)_(\d+)([A-Z]?)$/;

export function checkIndexed(hdus: readonly HduInfo[]): FitsIssue[] {
  const issues: FitsIssue[] = [];
  for (const hdu of hdus) {
    const kw = hdu.keywords;
    const tfields = kw.get('TFIELDS');
    const isTable = hdu.type === 'BINTABLE' || hdu.type === 'TABLE';
    const wcsaxes = kw.get('WCSAXES');
    const hasWcsaxes = typeof wcsaxes === 'number' && Number.isInteger(wcsaxes);
    if (!(isTable && typeof tfields === 'number') && !hasWcsaxes) continue;

    for (const [k] of kw) {
      if (isTable && typeof tfields === 'number') {
        const m = COLUMN_KEY.exec(k);
        if (m && Number(m[2]) > tfields) {
          issues.push(hduIssue('ERROR', 'FITS_INDEX_ABOVE_TFIELDS', hdu, k, `index ${m[2]} is above TFIELDS = ${tfields}`));
          continue;
        }
      }
      if (hasWcsaxes) {
        const m = AXIS_KEY.exec(k);
        const idx = m ? Number(m[2]) : (() => {
          const p = MATRIX_KEY.exec(k);
          return p ? Math.max(Number(p[2]), Number(p[3])) : 0;
        })();
        if (idx > (wcsaxes as number)) {
          issues.push(hduIssue('ERROR', 'FITS_INDEX_ABOVE_WCSAXES', hdu, k, `axis index ${idx} is above WCSAXES = ${wcsaxes as number}`));
        }
      }
    }
  }
  return issues;
}
