/**
 * Data-content checks (ESO Phase 3 style): an image or 1-D spectrum whose pixels are all NaN
 * (floating point) or all BLANK (integers) is almost certainly a pipeline failure, though a
 * legal FITS file, hence WARNING. Pixels are streamed and the scan stops at the first real
 * value, so a good file costs one small read.
 * Table spectra are the table module's business (src/fits/table/).
 */
import { hasDefinedPixel, pixelCount } from '../image.js';
import { hduIssue } from '../issues.js';
import type { ByteSource, FitsIssue, HduInfo } from '../types.js';

export function checkPixels(src: ByteSource, hdus: readonly HduInfo[]): FitsIssue[] {
  const issues: FitsIssue[] = [];
  for (const hdu of hdus) {
    const total = pixelCount(hdu);
    if (total === 0 || hdu.bitpix === null) continue;
    if (hdu.dataStart + hdu.dataSize > src.size) continue; // truncated: reported elsewhere
    // A good file has a real value among its first pixels, so it costs one tiny read.
    if (hasDefinedPixel(src, hdu)) continue;
    const kind = hdu.naxis.filter((n) => n > 1).length <= 1 ? 'spectrum' : 'image';
    if (hdu.bitpix < 0) {
      issues.push(hduIssue('WARNING', 'FITS_ALL_NAN', hdu, null, `all ${total} pixels of the ${kind} are NaN`));
    } else if (hdu.keywords.has('BLANK')) {
      issues.push(hduIssue('WARNING', 'FITS_ALL_BLANK', hdu, 'BLANK', `all ${total} pixels of the ${kind} equal BLANK (${String(hdu.keywords.get('BLANK'))})`));
    }
  }
  return issues;
}
