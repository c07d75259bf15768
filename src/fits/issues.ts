/**
 * Building FitsIssues with messages that read the same everywhere:
 * "HDU 1 (BINTABLE): keyword TFORM3: ...". The prefix names the 0-based HDU index and its
 * type because reviewers reading an ingest report count HDUs the way astropy does.
 */
import type { FitsIssue, HduInfo, Severity } from './types.js';

export function hduLabel(hdu: Pick<HduInfo, 'index' | 'type'>): string {
  return `HDU ${hdu.index} (${hdu.type})`;
}

export function hduIssue(
  severity: Severity,
  code: string,
  hdu: Pick<HduInfo, 'index' | 'type'>,
  keyword: string | null,
  what: string,
): FitsIssue {
  const where = keyword === null ? hduLabel(hdu) : `${hduLabel(hdu)}: keyword ${keyword}`;
  return { severity, code, message: `${where}: ${what}`, hdu: hdu.index, keyword };
}

export function fileIssue(severity: Severity, code: string, what: string): FitsIssue {
  return { severity, code, message: `file: ${what}`, hdu: null, keyword: null };
}
