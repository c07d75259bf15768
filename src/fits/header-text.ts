/**
 * The stored form of a header: one card a line, each card's trailing blanks dropped.
 *
 * Why not the 80-column text as read: a spectrum's primary header is ~2 KB of which half is
 * blank padding, which pushes the row over PostgreSQL's TOAST threshold, and compressing it
 * (pglz) was the single largest cost of an ingest: ~70 µs of server CPU per spectrum, more
 * than the insert itself (measured with /tmp scripts on 10,000 bench spectra; see README).
 * Packed, the same header is ~1.1 KB, stays inline, and is smaller on disk.
 *
 * Lossless: a card is exactly 80 characters padded with blanks, so re-padding each line gives
 * back every byte. Line breaks and backslashes inside a card (illegal in FITS, but a broken file
 * may hold them) are escaped as `\n`, `\r` and `\\`, so any text round-trips.
 */
const CARD_LENGTH = 80;
const SPACE = 32;
const NEEDS_ESCAPE = /[\\\n\r]/;

/** 80-column header text (whole cards) -> stored form. */
export function packHeader(raw: string): string {
  const escape = NEEDS_ESCAPE.test(raw);
  const lines: string[] = [];
  for (let pos = 0; pos < raw.length; pos += CARD_LENGTH) {
    let end = Math.min(pos + CARD_LENGTH, raw.length);
    while (end > pos && raw.charCodeAt(end - 1) === SPACE) end--;
    const line = raw.slice(pos, end);
    lines.push(escape ? escapeLine(line) : line);
  }
  const packed = lines.join('\n');
  // One blank card would pack to '', which reads back as no cards: keep one blank.
  return packed === '' && raw !== '' ? ' ' : packed;
}

/** Stored form -> the 80-column header text exactly as read from the file. */
export function unpackHeader(stored: string): string {
  if (stored === '') return '';
  const lines = stored.split('\n');
  let out = '';
  for (const line of lines) {
    const card = line.includes('\\') ? unescapeLine(line) : line;
    out += card.length >= CARD_LENGTH ? card : card.padEnd(CARD_LENGTH, ' ');
  }
  return out;
}

function escapeLine(line: string): string {
  return line.replace(/[\\\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\n' ? '\\n' : '\\r'));
}

function unescapeLine(line: string): string {
  return line.replace(/\\([\\nr])/g, (_m, c: string) => (c === '\\' ? '\\' : c === 'n' ? '\n' : '\r'));
}
