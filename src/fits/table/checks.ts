/**
 * Issue codes of the table layer and the header-level checks that produce them.
 *
 * Codes are stable API (stored with ingest reports, shown to data providers); messages name
 * the HDU, the column and the keyword so a provider can find the card without our source.
 * Data-level findings (heap bounds, ASCII field text) are raised while rows are decoded
 * (rows.ts) but built here so that every code lives in one place.
 */
import { hduIssue } from '../issues.js';
import type { FitsIssue, HduInfo, Severity } from '../types.js';
import type { TableLayout } from './columns.js';

export const TABLE_ISSUE = {
  /** BINTABLE widths do not add up to NAXIS1; ASCII fields overlap or run past NAXIS1. ERROR. */
  TFORM_WIDTH: 'FITS_TFORM_WIDTH',
  /** TFORMn (or TBCOLn of an ASCII table) missing or unparseable. ERROR. */
  BAD_TFORM: 'FITS_BAD_TFORM',
  /** A column keyword whose index exceeds TFIELDS. ERROR, as fitsverify reports it. */
  INDEX_ABOVE_TFIELDS: 'FITS_INDEX_ABOVE_TFIELDS',
  /** A P/Q descriptor pointing outside the heap. ERROR. */
  HEAP_BOUNDS: 'FITS_HEAP_BOUNDS',
  /** ASCII-table field text that does not parse as its TFORM. ERROR. */
  ASCII_FIELD: 'FITS_ASCII_FIELD',
  /** TDIMn unparseable or its product not equal to the repeat count. ERROR. */
  TDIM_MISMATCH: 'FITS_TDIM_MISMATCH',
  /** TNULLn on a column that cannot hold an integer null (floats, L, X, A). WARNING. */
  TNULL_NOT_ALLOWED: 'FITS_TNULL_NOT_ALLOWED',
  /** The file ends before the table data does; rows past the end are not decoded. ERROR. */
  TABLE_TRUNCATED: 'FITS_TABLE_TRUNCATED',
} as const;

export function tableIssue(
  severity: Severity,
  code: string,
  hdu: HduInfo,
  keyword: string | null,
  message: string,
): FitsIssue {
  return hduIssue(severity, code, hdu, keyword, message);
}

/**
 * Column keywords that only make sense for n <= TFIELDS. fitsverify 4.x reports every one of
 * these beyond TFIELDS as an error (checked against it: TTYPE, TUNIT, TDIM, TCTYP... all are
 * errors; TDMIN/TLMIN are not checked), so we do the same.
 */
const INDEXED_KEYWORD =
  /^(TTYPE|TFORM|TUNIT|TSCAL|TZERO|TNULL|TDIM|TDISP|TBCOL|TCTYP|TCUNI|TCRVL|TCDLT|TCRPX|TCROT)(\d+)$/;

/** Header-level checks that need the whole layout (widths, indices). */
export function checkTableLayout(hdu: HduInfo, layout: TableLayout): FitsIssue[] {
  const issues: FitsIssue[] = [];
  for (const key of hdu.keywords.keys()) {
    const m = INDEXED_KEYWORD.exec(key);
    if (!m) continue;
    const n = Number(m[2]);
    if (n > layout.tfields) {
      issues.push(
        tableIssue(
          'ERROR',
          TABLE_ISSUE.INDEX_ABOVE_TFIELDS,
          hdu,
          key,
          `keyword ${key} has index ${n}, greater than TFIELDS = ${layout.tfields}`,
        ),
      );
    }
  }

  if (layout.type === 'BINTABLE') {
    // Only meaningful when every TFORM parsed: a bad TFORM is already its own error.
    if (layout.columns.length === layout.tfields) {
      const sum = layout.columns.reduce((s, c) => s + c.width, 0);
      if (sum !== layout.rowBytes) {
        issues.push(
          tableIssue(
            'ERROR',
            TABLE_ISSUE.TFORM_WIDTH,
            hdu,
            'NAXIS1',
            `the TFORMn column widths add up to ${sum} bytes but NAXIS1 = ${layout.rowBytes}`,
          ),
        );
      }
    }
  } else {
    const sorted = [...layout.columns].sort((a, b) => a.offset - b.offset);
    for (let i = 0; i < sorted.length; i++) {
      const c = sorted[i];
      if (c.offset < 0 || c.offset + c.width > layout.rowBytes) {
        issues.push(
          tableIssue(
            'ERROR',
            TABLE_ISSUE.TFORM_WIDTH,
            hdu,
            `TBCOL${c.index}`,
            `column ${c.index} (${c.name}): TBCOL${c.index} = ${c.offset + 1} with width ${c.width} ` +
              `runs past NAXIS1 = ${layout.rowBytes}`,
          ),
        );
      }
      const next = sorted[i + 1];
      if (next && c.offset + c.width > next.offset) {
        issues.push(
          tableIssue(
            'ERROR',
            TABLE_ISSUE.TFORM_WIDTH,
            hdu,
            `TBCOL${next.index}`,
            `column ${next.index} (${next.name}) at TBCOL${next.index} = ${next.offset + 1} overlaps ` +
              `column ${c.index} (${c.name}), which spans characters ${c.offset + 1}-${c.offset + c.width}`,
          ),
        );
      }
    }
  }
  return issues;
}
