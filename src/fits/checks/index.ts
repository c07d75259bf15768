/**
 * All the fitsverify / Phase 3-class checks of the FITS layer, one module per family.
 * `checkHdus` returns only the checks' findings; the structure walk's own issues
 * (FITS_MISSING_END, FITS_TRUNCATED_DATA, FITS_TRAILING_BYTES...) are in
 * `readStructure(...).issues`. `verifyFits` (src/fits/index.ts) joins both.
 * Table-format checks (TFORM widths, heap descriptors) live in src/fits/table/.
 */
import type { FitsStructure } from '../structure.js';
import type { ByteSource, FitsIssue } from '../types.js';
import { checkAllowed } from './allowed.js';
import { checkChecksums } from './checksum.js';
import { checkIndexed } from './indexed.js';
import { checkMandatory } from './mandatory.js';
import { checkPixels } from './pixels.js';
import { checkSyntax } from './syntax.js';

export function checkHdus(src: ByteSource, structure: FitsStructure): FitsIssue[] {
  const { hdus } = structure;
  return [
    ...checkSyntax(src, hdus),
    ...checkMandatory(hdus),
    ...checkAllowed(hdus),
    ...checkIndexed(hdus),
    ...checkChecksums(src, hdus),
    ...checkPixels(src, hdus),
  ];
}

export { checkAllowed, checkChecksums, checkIndexed, checkMandatory, checkPixels, checkSyntax };
export { addSums, onesComplementSum, sumRange } from './checksum.js';
export { keywordNameProblem } from './syntax.js';
