/**
 * Card-level syntax (fitsverify's header scan): characters, keyword names, values that do not
 * parse, and the END card / fill area. Works on rawHeader, card by card, so that it sees the
 * CONTINUE cards and the exact bytes that the parsed view folds away.
 */
import { Buffer } from 'node:buffer';
import { BLOCK_LENGTH as BLOCK, CARD_LENGTH as CARD, parseCard } from '../card.js';
import { isEndCard as endCardAt } from '../header.js';
import { hduIssue } from '../issues.js';
import type { ByteSource, FitsIssue, HduInfo } from '../types.js';

// Module-local copies of what the per-card loop uses: imported bindings cost a getter per use under tsx.
const BLOCK_LENGTH: number = BLOCK;
const CARD_LENGTH: number = CARD;
const isEndCard = endCardAt;
/** A header block of blanks, to compare the fill area after END with in one native call. */
const BLANK_BLOCK = new Uint8Array(BLOCK_LENGTH).fill(32);

const NON_PRINTABLE = /[^\x20-\x7e]/;

export function checkSyntax(src: ByteSource, hdus: readonly HduInfo[]): FitsIssue[] {
  const issues: FitsIssue[] = [];
  for (const hdu of hdus) {
    const raw = hdu.rawHeader;
    const nCards = Math.floor(raw.length / CARD_LENGTH);
    // Value problems come from the header's one parse (structure.ts); re-parse only for an
    // HduInfo built elsewhere without them.
    // One native regex pass over the whole header; the per-card scan runs only when it fails.
    const printable = !NON_PRINTABLE.test(raw);
    const known = hdu.cardProblems;
    const problemsAt = known?.length ? problemsByCard(known) : null;
    for (let n = 0; n < nCards; n++) {
      const pos = n * CARD_LENGTH;

      if (!printable) {
        for (let i = pos; i < pos + CARD_LENGTH; i++) {
          const c = raw.charCodeAt(i);
          if (c < 32 || c > 126) {
            issues.push(hduIssue('ERROR', 'FITS_ILLEGAL_CHARACTER', hdu, cardLabel(raw, pos), `card ${n + 1} contains the non-printable character 0x${c.toString(16).padStart(2, '0')} at column ${i - pos + 1}; headers must be printable ASCII (0x20-0x7E)`));
            break;
          }
        }
      }
      if (!legalNameAt(raw, pos)) {
        const nameProblem = keywordNameProblem(raw.slice(pos, pos + 8));
        if (nameProblem) issues.push(hduIssue('ERROR', 'FITS_BAD_KEYWORD_NAME', hdu, cardLabel(raw, pos), `card ${n + 1}: ${nameProblem}`));
      }

      if (n === nCards - 1 && isEndCard(raw, pos)) {
        if (raw.slice(pos + 3, pos + CARD_LENGTH).trim() !== '') {
          issues.push(hduIssue('ERROR', 'FITS_END_NOT_BLANK', hdu, 'END', 'END card has text in columns 4-80; they must be blank'));
        }
        continue;
      }
      if (known) {
        if (problemsAt) for (const m of problemsAt.get(n) ?? []) issues.push(hduIssue('ERROR', 'FITS_BAD_CARD', hdu, cardLabel(raw, pos), `card ${n + 1}: ${m}`));
      } else parseCard(raw, pos, (m) => issues.push(hduIssue('ERROR', 'FITS_BAD_CARD', hdu, cardLabel(raw, pos), `card ${n + 1}: ${m}`)));
    }
    // The rest of the last header block after END must be blanks (Standard 4.4.1).
    const fillStart = hdu.headerStart + raw.length;
    const fillLength = hdu.dataStart - fillStart;
    if (isEndCard(raw, raw.length - CARD_LENGTH) && fillLength > 0 && fillLength < BLOCK_LENGTH) {
      if (!allBlanks(src.read(fillStart, fillLength))) {
        issues.push(hduIssue('ERROR', 'FITS_END_NOT_BLANK', hdu, 'END', 'header fill area after END is not all blanks'));
      }
    }
  }
  return issues;
}

/**
 * Columns 1-8 at `pos` hold a legal name (A-Z 0-9 - _, left-justified, blank-padded) or are
 * blank: the common case, checked without allocating (this runs for every card of every file).
 */
function legalNameAt(raw: string, pos: number): boolean {
  let i = 0;
  for (; i < 8; i++) {
    const c = raw.charCodeAt(pos + i);
    if (!((c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 45 || c === 95)) break;
  }
  for (; i < 8; i++) if (raw.charCodeAt(pos + i) !== 32) return false;
  return true;
}

/** Messages by card number, in the order they were found. */
function problemsByCard(known: readonly { card: number; message: string }[]): Map<number, string[]> {
  const out = new Map<number, string[]>();
  for (const p of known) out.set(p.card, [...(out.get(p.card) ?? []), p.message]);
  return out;
}

/**
 * The fill after END is most of a header's last block (~2,400 bytes a spectrum): a native
 * compare with a block of blanks instead of a byte loop (~2 µs a file on the bench machine).
 */
function allBlanks(bytes: Uint8Array): boolean {
  if (bytes.length <= BLOCK_LENGTH) return Buffer.compare(bytes, BLANK_BLOCK.subarray(0, bytes.length)) === 0;
  for (let i = 0; i < bytes.length; i++) if (bytes[i] !== 32) return false;
  return true;
}

/** The keyword as shown in messages; computed only when there is something to report. */
function cardLabel(raw: string, pos: number): string {
  return raw.slice(pos, pos + 8).trimEnd() || '(blank)';
}

/** Why columns 1-8 are not a legal keyword name (A-Z 0-9 - _, left-justified), or null. */
export function keywordNameProblem(name: string): string | null {
  const trimmed = name.trimEnd();
  if (trimmed === '') return null;
  if (name.charCodeAt(0) === 32) return `keyword name ${JSON.stringify(name)} is not left-justified`;
  for (let i = 0; i < trimmed.length; i++) {
    const c = trimmed.charCodeAt(i);
    const ok = (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 45 || c === 95;
    if (!ok) return `keyword name ${JSON.stringify(trimmed)} contains ${JSON.stringify(trimmed[i])}; only A-Z, 0-9, - and _ are allowed`;
  }
  return null;
}
