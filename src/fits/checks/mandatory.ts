/**
 * Mandatory keywords (Standard 4.0 sections 4.4.1, 6, 7): presence, order, and legal values.
 * Order is checked against the card positions in rawHeader, because the standard fixes the
 * position of each mandatory keyword, not just its presence:
 *   primary:   SIMPLE BITPIX NAXIS NAXIS1..n          (EXTEND, GROUPS... may follow anywhere)
 *   extension: XTENSION BITPIX NAXIS NAXIS1..n PCOUNT GCOUNT [TFIELDS for tables]
 */
import { CARD_LENGTH as CARD } from '../card.js';
import { hduIssue } from '../issues.js';
import { VALID_BITPIX } from '../structure.js';
import type { CardValue, FitsIssue, HduInfo } from '../types.js';

/** Local copy: imported bindings cost a getter per use under tsx. */
const CARD_LENGTH: number = CARD;

export function checkMandatory(hdus: readonly HduInfo[]): FitsIssue[] {
  const issues: FitsIssue[] = [];
  for (const hdu of hdus) {
    const kw = hdu.keywords;
    const primary = hdu.index === 0;
    const isTable = hdu.type === 'BINTABLE' || hdu.type === 'TABLE';

    const naxis = kw.get('NAXIS');
    const naxisOk = isInt(naxis) && naxis >= 0 && naxis <= 999;
    const expected = [primary ? 'SIMPLE' : 'XTENSION', 'BITPIX', 'NAXIS'];
    if (naxisOk) for (let i = 1; i <= naxis; i++) expected.push(naxisName(i));
    if (!primary) expected.push('PCOUNT', 'GCOUNT');
    if (!primary && isTable) expected.push('TFIELDS');

    // Fast path: every mandatory keyword where the standard puts it (one compare per card).
    // Only a header that breaks the order pays for the full position map.
    const raw = hdu.rawHeader;
    let inPlace = true;
    for (let want = 0; want < expected.length && inPlace; want++) inPlace = nameAt(raw, want * CARD_LENGTH, expected[want]);
    const positions = inPlace ? null : firstPositions(raw);
    if (positions) expected.forEach((name, want) => {
      const at = positions.get(name);
      if (at === undefined) {
        issues.push(hduIssue('ERROR', 'FITS_MISSING_KEYWORD', hdu, name, `mandatory keyword is missing`));
      } else if (at !== want) {
        issues.push(hduIssue('ERROR', 'FITS_KEYWORD_ORDER', hdu, name, `is card ${at + 1} but must be card ${want + 1} (${expected.slice(0, Math.min(expected.length, want + 1)).join(' ')} ...)`));
      }
    });

    const bitpix = kw.get('BITPIX');
    if (bitpix !== undefined && !(typeof bitpix === 'number' && VALID_BITPIX.has(bitpix))) {
      issues.push(hduIssue('ERROR', 'FITS_BAD_BITPIX', hdu, 'BITPIX', `is ${show(bitpix)}; must be one of 8, 16, 32, 64, -32, -64`));
    }
    if (primary && kw.has('SIMPLE') && kw.get('SIMPLE') !== true) badValue(issues, hdu, 'SIMPLE', `is ${show(kw.get('SIMPLE'))}; a conforming file has SIMPLE = T`);
    if (naxis !== undefined && !naxisOk) badValue(issues, hdu, 'NAXIS', `is ${show(naxis)}; must be an integer from 0 to 999`);
    if (naxisOk) {
      for (let i = 1; i <= naxis; i++) {
        const v = kw.get(naxisName(i));
        if (v !== undefined && !(isInt(v) && v >= 0)) badValue(issues, hdu, naxisName(i), `is ${show(v)}; must be a non-negative integer`);
      }
    }
    if (kw.has('EXTEND') && typeof kw.get('EXTEND') !== 'boolean') badValue(issues, hdu, 'EXTEND', `is ${show(kw.get('EXTEND'))}; must be T or F`);
    if (!primary) {
      const pcount = kw.get('PCOUNT');
      const gcount = kw.get('GCOUNT');
      if (pcount !== undefined && !(isInt(pcount) && pcount >= 0)) badValue(issues, hdu, 'PCOUNT', `is ${show(pcount)}; must be a non-negative integer`);
      if (gcount !== undefined && !(isInt(gcount) && gcount >= 1)) badValue(issues, hdu, 'GCOUNT', `is ${show(gcount)}; must be a positive integer`);
      // Standard extensions fix some values (sections 7.1-7.3).
      if (hdu.type === 'IMAGE' || isTable) {
        if (gcount !== undefined && gcount !== 1) badValue(issues, hdu, 'GCOUNT', `is ${show(gcount)}; must be 1 in a ${hdu.type} extension`);
      }
      if ((hdu.type === 'IMAGE' || hdu.type === 'TABLE') && pcount !== undefined && pcount !== 0) {
        badValue(issues, hdu, 'PCOUNT', `is ${show(pcount)}; must be 0 in a ${hdu.type} extension`);
      }
      if (isTable) {
        if (bitpix !== undefined && bitpix !== 8) badValue(issues, hdu, 'BITPIX', `is ${show(bitpix)}; must be 8 in a ${hdu.type} extension`);
        if (naxis !== undefined && naxis !== 2) badValue(issues, hdu, 'NAXIS', `is ${show(naxis)}; must be 2 in a ${hdu.type} extension`);
        const tfields = kw.get('TFIELDS');
        if (tfields !== undefined && !(isInt(tfields) && tfields >= 0 && tfields <= 999)) badValue(issues, hdu, 'TFIELDS', `is ${show(tfields)}; must be an integer from 0 to 999`);
      }
    }
  }
  return issues;
}

/** Columns 1-8 of the card at `pos` are `name` padded with blanks (name is at most 8 characters). */
function nameAt(raw: string, pos: number, name: string): boolean {
  if (!raw.startsWith(name, pos)) return false;
  for (let i = pos + name.length; i < pos + 8; i++) if (raw.charCodeAt(i) !== 32) return false;
  return true;
}

/** NAXISn names, made once: every HDU asks for them. */
const NAXIS_NAMES: string[] = [];
function naxisName(i: number): string {
  return (NAXIS_NAMES[i] ??= `NAXIS${i}`);
}

/** A module function, not a closure per HDU: tsx names each closure at run time. */
function badValue(issues: FitsIssue[], hdu: HduInfo, keyword: string, what: string): void {
  issues.push(hduIssue('ERROR', 'FITS_BAD_VALUE', hdu, keyword, what));
}

/** Card index (0-based) of the first occurrence of each keyword in the raw header. */
function firstPositions(raw: string): Map<string, number> {
  const out = new Map<string, number>();
  const n = Math.floor(raw.length / CARD_LENGTH);
  for (let i = 0; i < n; i++) {
    const name = raw.slice(i * CARD_LENGTH, i * CARD_LENGTH + 8).trimEnd();
    if (!out.has(name)) out.set(name, i);
  }
  return out;
}

function isInt(v: CardValue | undefined): v is number {
  return typeof v === 'number' && Number.isInteger(v);
}

export function show(v: CardValue | undefined): string {
  if (v === undefined) return 'missing';
  if (v === null) return 'undefined';
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'boolean') return v ? 'T' : 'F';
  if (typeof v === 'object') return `(${v.re}, ${v.im})`;
  return JSON.stringify(v);
}
