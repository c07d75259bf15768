/**
 * Public entry of the FITS layer (pure: no database, no network, synchronous over ByteSource).
 *
 *   const src = fileSource(fd, size);             // or bufferSource(bytes)
 *   const structure = readStructure(src);         // HDUs + structural issues
 *   const issues = [...structure.issues, ...checkHdus(src, structure)];   // or verifyFits(src)
 *   const { kind, hdu } = classifyHdus(structure.hdus);
 *
 * Sections below are owned by different engineers; add exports in your own section.
 */
import { checkHdus } from './checks/index.js';
import { readStructure, type FitsStructure } from './structure.js';
import type { ByteSource } from './types.js';

// ---- core: types, sources, cards, structure, checks, pixels, classification
export * from './types.js';
export { bufferSource, fileSource, DEFAULT_READ_AHEAD } from './source.js';
export { parseCard, parseCardString, parseNumber, isCommentaryKeyword, CARD_LENGTH, BLOCK_LENGTH } from './card.js';
export type { CardProblem } from './card.js';
export { parseHeader, parseHeaderValues, isEndCard } from './header.js';
export type { ParsedHeader, HeaderProblem } from './header.js';
export { readStructure, MAX_HDUS, MAX_HEADER_CARDS, VALID_BITPIX } from './structure.js';
export type { FitsStructure } from './structure.js';
export { checkHdus } from './checks/index.js';
export { onesComplementSum, addSums, sumRange } from './checks/index.js';
export { readPixels, hasDefinedPixel, pixelScaling, pixelCount, DEFAULT_CHUNK_PIXELS } from './image.js';
export type { PixelScaling } from './image.js';
export { classifyHdus, classifyHdu, ctypeFamily } from './classify.js';
export { imageShapeOf } from './image-shape.js';
export type { AxisFamily } from './classify.js';
export { hduLabel } from './issues.js';

/** Structure walk plus every check: the full list of findings for one file. */
export function verifyFits(src: ByteSource): FitsStructure {
  const structure = readStructure(src);
  return { hdus: structure.hdus, issues: [...structure.issues, ...checkHdus(src, structure)] };
}

// ---- wcs (src/fits/wcs/): exports added by the WCS engineer

// ---- table (src/fits/table/): exports added by the table engineer
