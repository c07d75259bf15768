/**
 * Walks a FITS file HDU by HDU, reading only header blocks: each header is found by scanning
 * 2880-byte blocks for END, and the data unit is skipped by computing its size from
 * BITPIX, NAXISn, PCOUNT and GCOUNT (Standard 4.0 eq. 2 and, for random groups, eq. 4).
 * With fileSource's read-ahead, a small file's structure costs one read.
 *
 * Never throws on bad input: truncation, a missing END, garbage after the last HDU or an
 * unreadable data size end the walk with an ERROR issue and the HDUs parsed so far. Hard
 * caps on cards per header and on HDUs keep a hostile file from hanging a worker.
 */
import { Buffer } from 'node:buffer';
import { BLOCK_LENGTH as BLOCK, CARD_LENGTH as CARD, CARDS_PER_BLOCK as PER_BLOCK } from './card.js';

// Module-local copies: under tsx/esbuild an imported binding is read through a getter on
// every use, which showed up at ~8% of the header walk's profile.
const BLOCK_LENGTH: number = BLOCK;
const CARD_LENGTH: number = CARD;
const CARDS_PER_BLOCK: number = PER_BLOCK;
import { parseHeader, parseHeaderValues, structuralKeywords, type HeaderProblem, type ParsedHeader } from './header.js';
import type { CardProblemAt } from './types.js';
import { fileIssue, hduIssue, hduLabel } from './issues.js';
import type { ByteSource, CardValue, FitsIssue, HduInfo, HeaderCard } from './types.js';

export const MAX_HEADER_CARDS = 100_000;
export const MAX_HDUS = 10_000;

export interface FitsStructure {
  hdus: HduInfo[];
  issues: FitsIssue[];
}

export const VALID_BITPIX: ReadonlySet<number> = new Set([8, 16, 32, 64, -32, -64]);

export function readStructure(src: ByteSource): FitsStructure {
  const hdus: HduInfo[] = [];
  const issues: FitsIssue[] = [];
  let offset = 0;

  while (offset < src.size) {
    const index = hdus.length;
    const first = src.read(offset, 10);
    if (index === 0 && !bytesAre(first, 'SIMPLE  = ')) {
      issues.push(fileIssue('ERROR', 'FITS_NOT_FITS', 'does not start with a SIMPLE = card: not a FITS file'));
      break;
    }
    if (index > 0 && !bytesAre(first, 'XTENSION= ')) {
      issues.push(
        fileIssue(
          'ERROR',
          'FITS_TRAILING_BYTES',
          `${src.size - offset} bytes after the last HDU (HDU ${index - 1}) at offset ${offset} are not an extension`,
        ),
      );
      break;
    }
    if (index >= MAX_HDUS) {
      issues.push(fileIssue('ERROR', 'FITS_TOO_MANY_HDUS', `more than ${MAX_HDUS} HDUs; stopped reading at offset ${offset}`));
      break;
    }

    const scan = scanForEnd(src, offset);
    const text = latin1(src.read(offset, scan.headerChars));
    const header = new LazyHeader(text, !scan.endFound);
    const kw = header.parsedNow ? header.parsedNow.keywords : structuralKeywords(text, Math.floor(text.length / CARD_LENGTH) - 1);
    const type = index === 0 ? 'PRIMARY' : typeof kw.get('XTENSION') === 'string' ? (kw.get('XTENSION') as string) : 'UNKNOWN';
    const dataStart = offset + scan.headerBlocks * BLOCK_LENGTH;
    const sized = sizeData(kw, index === 0);
    const hdu = new WalkedHdu(header, index, type, offset, dataStart, sized.ok ? sized.size : 0, sized.bitpix, sized.naxis);
    if (type === 'BINTABLE' && kw.get('ZIMAGE') === true) {
      // naxis stays the table's NAXISn as written; the image's own shape is ZNAXISn.
      hdu.compressedImage = true;
      hdu.imageShape = axisList(kw, 'ZNAXIS') ?? [];
      const zb = kw.get('ZBITPIX');
      if (typeof zb === 'number') hdu.zbitpix = zb;
    }
    hdus.push(hdu);

    if (!scan.endFound) {
      issues.push(
        hduIssue(
          'ERROR',
          'FITS_MISSING_END',
          hdu,
          'END',
          scan.capped
            ? `no END card within ${MAX_HEADER_CARDS} cards; header not read further`
            : `no END card before ${scan.reason}; the header is incomplete and nothing after it was read`,
        ),
      );
      break;
    }
    if (!sized.ok) {
      // Data size unknown: cannot find the next HDU. The checks report the bad keyword itself.
      if (dataStart < src.size) {
        issues.push(
          fileIssue(
            'ERROR',
            'FITS_TRAILING_BYTES',
            `${src.size - dataStart} bytes after ${hduLabel(hdu)}'s header were not read: its data size is unknown (${sized.why})`,
          ),
        );
      }
      break;
    }
    const dataEnd = dataStart + hdu.dataSize;
    const paddedEnd = dataStart + Math.ceil(hdu.dataSize / BLOCK_LENGTH) * BLOCK_LENGTH;
    if (dataEnd > src.size) {
      issues.push(
        hduIssue(
          'ERROR',
          'FITS_TRUNCATED_DATA',
          hdu,
          null,
          `data unit needs ${byteCount(hdu.dataSize)} from offset ${dataStart} (as BITPIX, NAXISn, PCOUNT and GCOUNT declare) but the file ends after ${Math.max(0, src.size - dataStart)}`,
        ),
      );
      break;
    }
    if (paddedEnd > src.size) {
      issues.push(
        hduIssue(
          'ERROR',
          'FITS_TRUNCATED_DATA',
          hdu,
          null,
          `data unit is complete but its padding to a 2880-byte block is missing (${paddedEnd - src.size} bytes short)`,
        ),
      );
      break;
    }
    offset = paddedEnd;
  }
  return { hdus, issues };
}

/**
 * A header parsed on first use: the walk itself needs only the structural keywords, and the
 * checks need values and problems, not comments (see parseHeaderValues); only a caller that
 * reads `cards` pays for the comments. A header without END is parsed at once (bounded by
 * MAX_HEADER_CARDS) to keep that path simple. Card problems are collected by the first parse,
 * so the syntax check need not parse again.
 */
class LazyHeader {
  readonly problems: CardProblemAt[] = [];
  /** The parse made so far (values only, or with comments). */
  parsedNow: ParsedHeader | null = null;
  private withComments: ParsedHeader | null = null;

  constructor(
    readonly text: string,
    parseNow: boolean,
  ) {
    if (parseNow) this.parsedNow = this.withComments = this.parse(true);
  }

  values(): ParsedHeader {
    return (this.parsedNow ??= this.parse(false));
  }

  cards(): HeaderCard[] {
    this.withComments ??= this.parse(true);
    this.parsedNow ??= this.withComments;
    return this.withComments.cards;
  }

  rawHeader(): string {
    return this.parsedNow ? this.parsedNow.rawHeader : this.text;
  }

  private parse(withComments: boolean): ParsedHeader {
    // Problems are collected by the first parse only; a later one (for the comments) repeats them.
    const report: HeaderProblem | undefined = this.parsedNow
      ? undefined
      : (card, message) => {
          this.problems.push({ card, message });
        };
    return (withComments ? parseHeader : parseHeaderValues)(this.text, report, MAX_HEADER_CARDS);
  }
}

/**
 * HduInfo of the walk. A class, so that the lazy accessors live on the prototype: the object
 * literal with its own getters and closures that this replaces cost ~4 µs per HDU to create
 * under tsx (runtime accessor definitions plus a named closure each), more than parsing the
 * structural keywords.
 */
class WalkedHdu implements HduInfo {
  readonly rawHeader: string;
  compressedImage?: true;
  imageShape?: number[];
  zbitpix?: number;
  private cardList: HeaderCard[] | undefined;
  private keywordMap: ReadonlyMap<string, CardValue> | undefined;

  constructor(
    private readonly header: LazyHeader,
    readonly index: number,
    readonly type: string,
    readonly headerStart: number,
    readonly dataStart: number,
    readonly dataSize: number,
    readonly bitpix: number | null,
    readonly naxis: number[],
  ) {
    this.rawHeader = header.rawHeader();
  }

  get cards(): HeaderCard[] {
    return (this.cardList ??= this.header.cards());
  }

  set cards(v: HeaderCard[]) {
    this.cardList = v;
  }

  get keywords(): ReadonlyMap<string, CardValue> {
    return (this.keywordMap ??= this.header.values().keywords);
  }

  set keywords(v: ReadonlyMap<string, CardValue>) {
    this.keywordMap = v;
  }

  get cardProblems(): readonly CardProblemAt[] {
    this.header.values();
    return this.header.problems;
  }
}

interface HeaderScan {
  /** Characters to decode: up to and including END, or every complete card read. */
  headerChars: number;
  headerBlocks: number;
  endFound: boolean;
  capped: boolean;
  reason: string;
}

/**
 * Finds END by looking at bytes, block by block, so that only the header's own blocks are
 * read and decoding happens once. A header without END stops at end of file, at the card cap,
 * or at the first block that is clearly binary (data), not at a single stray byte.
 */
function scanForEnd(src: ByteSource, offset: number): HeaderScan {
  const maxBlocks = Math.ceil(MAX_HEADER_CARDS / CARDS_PER_BLOCK);
  for (let block = 0; block < maxBlocks; block++) {
    const start = offset + block * BLOCK_LENGTH;
    const b = src.read(start, BLOCK_LENGTH);
    const cards = Math.floor(b.length / CARD_LENGTH);
    for (let c = 0; c < cards; c++) {
      const p = c * CARD_LENGTH;
      if (
        b[p] === 69 && b[p + 1] === 78 && b[p + 2] === 68 &&
        b[p + 3] === 32 && b[p + 4] === 32 && b[p + 5] === 32 && b[p + 6] === 32 && b[p + 7] === 32
      ) {
        return {
          headerChars: block * BLOCK_LENGTH + p + CARD_LENGTH,
          headerBlocks: block + 1,
          endFound: true,
          capped: false,
          reason: '',
        };
      }
    }
    if (b.length < BLOCK_LENGTH) {
      return { headerChars: block * BLOCK_LENGTH + cards * CARD_LENGTH, headerBlocks: block + 1, endFound: false, capped: false, reason: 'end of file' };
    }
    if (block > 0 && looksBinary(b)) {
      return { headerChars: block * BLOCK_LENGTH, headerBlocks: block, endFound: false, capped: false, reason: `the binary block at offset ${start}` };
    }
  }
  return { headerChars: maxBlocks * BLOCK_LENGTH, headerBlocks: maxBlocks, endFound: false, capped: true, reason: '' };
}

function looksBinary(b: Uint8Array): boolean {
  let bad = 0;
  for (let i = 0; i < b.length; i++) {
    const x = b[i];
    if ((x < 32 || x > 126) && ++bad > 8) return true;
  }
  return false;
}

type Sized =
  | { ok: true; size: number; bitpix: number; naxis: number[] }
  | { ok: false; why: string; bitpix: number | null; naxis: number[] };

/**
 * The declared data size. It is not capped: a size beyond 2^53 is no longer exact as a double,
 * but no file holds 2^52 bytes, so such a header always ends the walk as FITS_TRUNCATED_DATA
 * (the data it declares are not there), which is what it is.
 */
function sizeData(kw: ReadonlyMap<string, CardValue>, primary: boolean): Sized {
  // HduInfo.bitpix reports an integer BITPIX as written, even an illegal one (the checks flag it).
  const bitpixV = kw.get('BITPIX');
  const written = typeof bitpixV === 'number' && Number.isInteger(bitpixV) ? bitpixV : null;
  const bitpix = written !== null && VALID_BITPIX.has(written) ? written : null;
  const naxis = axisList(kw, 'NAXIS');
  if (naxis === null) return { ok: false, why: 'NAXIS or NAXISn missing or illegal', bitpix: written, naxis: [] };
  if (bitpix === null) {
    // Without data, an illegal BITPIX does not stop the walk.
    if (naxis.length === 0 && written !== null) return { ok: true, size: 0, bitpix: written, naxis };
    return { ok: false, why: 'BITPIX missing or illegal', bitpix: written, naxis };
  }
  if (naxis.length === 0) return { ok: true, size: 0, bitpix, naxis };

  const groups = primary && naxis[0] === 0 && kw.get('GROUPS') === true;
  const pcount = nonNegative(kw.get('PCOUNT')) ?? 0;
  const gcount = nonNegative(kw.get('GCOUNT')) ?? 1;
  if (!primary || groups) {
    if (kw.has('PCOUNT') && nonNegative(kw.get('PCOUNT')) === null) return { ok: false, why: 'PCOUNT illegal', bitpix, naxis };
    if (kw.has('GCOUNT') && nonNegative(kw.get('GCOUNT')) === null) return { ok: false, why: 'GCOUNT illegal', bitpix, naxis };
  }
  let product = 1;
  for (let i = groups ? 1 : 0; i < naxis.length; i++) {
    // A zero axis makes the product 0, even after others overflowed it (Infinity * 0 is NaN).
    if (naxis[i] === 0) {
      product = 0;
      break;
    }
    product *= naxis[i];
  }
  // A primary array without groups ignores PCOUNT/GCOUNT (they are not allowed there).
  const plain = primary && !groups;
  const size = plain ? (Math.abs(bitpix) / 8) * product : gcount === 0 ? 0 : (Math.abs(bitpix) / 8) * gcount * (pcount + product);
  return { ok: true, size, bitpix, naxis };
}

/** "123 bytes", or an approximation for sizes a double no longer holds exactly. */
function byteCount(n: number): string {
  if (Number.isSafeInteger(n)) return `${n} bytes`;
  return Number.isFinite(n) ? `about ${n.toExponential(3)} bytes` : 'more bytes than a number can hold';
}

/** [NAXIS1..NAXISn] from `prefix` (NAXIS or ZNAXIS), or null when missing/illegal. */
export function axisList(kw: ReadonlyMap<string, CardValue>, prefix: string): number[] | null {
  const n = kw.get(prefix);
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 999) return null;
  const shape: number[] = [];
  for (let i = 1; i <= n; i++) {
    const v = nonNegative(kw.get(prefix + i));
    if (v === null) return null;
    shape.push(v);
  }
  return shape;
}

function nonNegative(v: CardValue | undefined): number | null {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : null;
}

/** latin1(bytes) === text, without decoding (a Buffer and a string per HDU otherwise). */
function bytesAre(bytes: Uint8Array, text: string): boolean {
  if (bytes.length !== text.length) return false;
  for (let i = 0; i < text.length; i++) if (bytes[i] !== text.charCodeAt(i)) return false;
  return true;
}

function latin1(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.length).toString('latin1');
}
