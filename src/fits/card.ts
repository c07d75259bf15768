/**
 * One 80-character header card -> HeaderCard, per FITS Standard 4.0 (section 4.1-4.2) and the
 * value-typing contract in types.ts (which follows astropy where the standard leaves room).
 *
 * Why it works on a latin1 string plus an offset instead of one string per card: the header
 * walk decodes a whole header at once (Buffer latin1 decoding is a memcpy), and slicing only
 * the pieces we keep (keyword, value, comment) avoids an 80-character allocation per card.
 * Values are scanned by hand rather than with a regex per card: the benchmark walks tens of
 * thousands of headers a second and regex matching was the dominant cost.
 */
import type { CardValue, HeaderCard } from './types.js';

export const CARD_LENGTH = 80;
export const BLOCK_LENGTH = 2880;
export const CARDS_PER_BLOCK = 36;

/** Called for a card that breaks the syntax rules; the card is still returned (value null when unreadable). */
export type CardProblem = (message: string) => void;

const SPACE = 32;
const QUOTE = 39;
const SLASH = 47;
const EQUALS = 61;
const OPEN_PAREN = 40;

/** Keywords whose cards never carry a value: their columns 9-80 are free text. */
export function isCommentaryKeyword(keyword: string): boolean {
  return keyword === 'COMMENT' || keyword === 'HISTORY' || keyword === '';
}

/** Columns 9-10 hold the value indicator "= ". */
export function hasValueIndicator(text: string, pos: number): boolean {
  return text.charCodeAt(pos + 8) === EQUALS && text.charCodeAt(pos + 9) === SPACE;
}

/**
 * Parses the card at text[pos, pos + 80). `text` must hold the full 80 characters
 * (the header walk only hands over complete cards). With `withComment` false every comment is
 * null: a caller that needs only values and problems (the ingest) skips cutting comments out.
 */
export function parseCard(text: string, pos: number, onProblem?: CardProblem, withComment = true): HeaderCard {
  const end = pos + CARD_LENGTH;
  // astropy names keywords trimmed and upper-cased ("bad-key" -> "BAD-KEY"); the syntax check
  // still sees the raw columns 1-8 and reports them.
  let keyword = text.slice(pos, pos + 8).trim();
  if (hasLowerCase(keyword)) keyword = keyword.toUpperCase();
  if (hasValueIndicator(text, pos) && !isCommentaryKeyword(keyword)) {
    return parseValueField(keyword, text, pos + 10, end, onProblem, withComment);
  }
  if (keyword === 'HIERARCH') {
    // ESO HIERARCH convention: the keyword is everything up to the first '=', and astropy
    // names it without the prefix ("ESO DET DIT").
    const eq = text.indexOf('=', pos + 8);
    if (eq >= 0 && eq < end) {
      return parseValueField(text.slice(pos + 9, eq).trim(), text, eq + 1, end, onProblem, withComment);
    }
  }
  if (keyword === 'CONTINUE') {
    // Long-string convention: no value indicator, the string starts at column 11.
    // header.ts folds it into the preceding string card.
    return parseValueField(keyword, text, pos + 8, end, onProblem, withComment);
  }
  // COMMENT, HISTORY, blank keyword, or any card without "= ": columns 9-80 are commentary.
  return { keyword, value: null, comment: withComment ? text.slice(pos + 8, end).trimEnd() : null };
}

function hasLowerCase(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 97 && c <= 122) return true;
  }
  return false;
}

/** Convenience for a single card held in its own string (padded to 80 if shorter). */
export function parseCardString(card: string, onProblem?: CardProblem): HeaderCard {
  return parseCard(card.length >= CARD_LENGTH ? card : card.padEnd(CARD_LENGTH), 0, onProblem);
}

function parseValueField(keyword: string, text: string, i: number, end: number, onProblem: CardProblem | undefined, withComment: boolean): HeaderCard {
  while (i < end && text.charCodeAt(i) === SPACE) i++;
  if (i >= end) return { keyword, value: null, comment: null };

  const c = text.charCodeAt(i);
  let value: CardValue = null;
  let after: number; // first character after the value

  if (c === SLASH) {
    // Undefined value with a comment.
    return { keyword, value: null, comment: withComment ? commentAt(text, i + 1, end) : null };
  } else if (c === QUOTE) {
    // Character string: '' inside is an escaped quote; '/' inside is just a character.
    let j = i + 1;
    let escaped = false;
    let close = -1;
    while (j < end) {
      const q = text.indexOf("'", j);
      if (q < 0 || q >= end) break;
      if (q + 1 < end && text.charCodeAt(q + 1) === QUOTE) {
        escaped = true;
        j = q + 2;
        continue;
      }
      close = q;
      break;
    }
    if (close < 0) {
      onProblem?.(`unterminated string value`);
      return { keyword, value: null, comment: null };
    }
    let s = text.slice(i + 1, close);
    if (escaped) s = s.replaceAll("''", "'");
    // Trailing blanks are not significant (Standard 4.2.1.1); leading blanks are.
    value = s.trimEnd();
    after = close + 1;
  } else if (c === OPEN_PAREN) {
    const close = text.indexOf(')', i);
    if (close < 0 || close >= end) {
      onProblem?.(`unterminated complex value`);
      return { keyword, value: null, comment: null };
    }
    const parts = text.slice(i + 1, close).split(',');
    const re = parts.length === 2 ? parseNumber(parts[0].trim()) : undefined;
    const im = parts.length === 2 ? parseNumber(parts[1].trim()) : undefined;
    if (re === undefined || im === undefined) {
      onProblem?.(`illegal complex value ${text.slice(i, close + 1)}`);
      return { keyword, value: null, comment: null };
    }
    value = { re: Number(re), im: Number(im) };
    after = close + 1;
  } else {
    // Logical, integer or real: a token that ends at '/' or at the end of the card.
    let slash = text.indexOf('/', i);
    if (slash < 0 || slash > end) slash = end;
    const token = text.slice(i, slash).trimEnd();
    if (token === 'T') value = true;
    else if (token === 'F') value = false;
    else {
      const n = parseNumber(token);
      // Lower-case exponents are read (astropy does) but are illegal (Standard 4.2.4).
      if (onProblem && n !== undefined && hasLowerCaseExponent(token)) onProblem(`lower-case exponent in ${token} is illegal`);
      if (n === undefined) {
        onProblem?.(`unparseable value ${JSON.stringify(token)}`);
        return { keyword, value: null, comment: withComment && slash < end ? commentAt(text, slash + 1, end) : null };
      }
      value = n;
    }
    after = slash;
  }

  // After the value: blanks, then optionally "/ comment".
  while (after < end && text.charCodeAt(after) === SPACE) after++;
  if (after >= end) return { keyword, value, comment: null };
  if (text.charCodeAt(after) !== SLASH) {
    onProblem?.(`unexpected text after the value: ${JSON.stringify(text.slice(after, end).trimEnd())}`);
    return { keyword, value, comment: withComment ? text.slice(after, end).trim() || null : null };
  }
  return { keyword, value, comment: withComment ? commentAt(text, after + 1, end) : null };
}

/**
 * An 'e' or 'd' in a token that parsed as a number can only be its exponent letter. A loop over
 * the few characters, not a regex run for every numeric card of every header.
 */
function hasLowerCaseExponent(token: string): boolean {
  for (let i = 0; i < token.length; i++) {
    const c = token.charCodeAt(i);
    if (c === 101 /* e */ || c === 100 /* d */) return true;
  }
  return false;
}

function commentAt(text: string, start: number, end: number): string | null {
  const s = text.slice(start, end).trim();
  return s === '' ? null : s;
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * Integer -> number (bigint beyond +-(2^53-1)); real with E or D exponent -> number.
 * Returns undefined for anything else (hex, "Inf", embedded blanks...), so that "NaN" or
 * "0x10" are reported as bad values instead of being accepted by Number().
 */
export function parseNumber(token: string): number | bigint | undefined {
  const n = token.length;
  if (n === 0) return undefined;
  let i = 0;
  const c = token.charCodeAt(0);
  if (c === 43 /* + */ || c === 45 /* - */) i++;
  let digits = 0;
  let isInteger = true;
  let d = token.charCodeAt(i);
  while (d >= 48 && d <= 57) { digits++; d = token.charCodeAt(++i); }
  if (d === 46 /* . */) {
    isInteger = false;
    d = token.charCodeAt(++i);
    while (d >= 48 && d <= 57) { digits++; d = token.charCodeAt(++i); }
  }
  if (digits === 0) return undefined;
  let dExponent = false;
  if (d === 69 || d === 101 || d === 68 || d === 100 /* E e D d */) {
    isInteger = false;
    dExponent = d === 68 || d === 100;
    d = token.charCodeAt(++i);
    if (d === 43 || d === 45) d = token.charCodeAt(++i);
    let expDigits = 0;
    while (d >= 48 && d <= 57) { expDigits++; d = token.charCodeAt(++i); }
    if (expDigits === 0) return undefined;
  }
  if (i !== n) return undefined;
  if (isInteger) {
    if (digits <= 15) return Number(token) || 0; // "|| 0" turns -0 into 0, like Python's int
    const big = BigInt(token);
    return big > MAX_SAFE || big < -MAX_SAFE ? big : Number(big);
  }
  return Number(dExponent ? token.replace(/[Dd]/, 'E') : token);
}
