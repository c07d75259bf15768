/**
 * The shape of the image an HDU holds, as opposed to its NAXISn: for a tile-compressed image
 * (a BINTABLE with ZIMAGE = T) NAXISn describe the table that stores the compressed tiles and
 * the image is ZNAXISn; for a primary array or IMAGE extension the two are the same. Tables,
 * random groups and HDUs without data hold no image (null).
 *
 * Works from a keyword map so that the API can answer it from a stored header (the structural
 * keywords are enough: header.ts structuralKeywords) as well as the walk's HduInfo.
 */
import { axisList } from './structure.js';
import type { CardValue } from './types.js';

export function imageShapeOf(type: string, naxis: readonly number[], keywords: ReadonlyMap<string, CardValue>): number[] | null {
  if (type === 'BINTABLE') return keywords.get('ZIMAGE') === true ? (axisList(keywords, 'ZNAXIS') ?? []) : null;
  if (type !== 'PRIMARY' && type !== 'IMAGE') return null;
  if (naxis.length === 0) return null;
  if (type === 'PRIMARY' && naxis[0] === 0 && keywords.get('GROUPS') === true) return null;
  return [...naxis];
}
