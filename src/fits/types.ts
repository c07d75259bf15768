/**
 * Shared vocabulary of the FITS layer (src/fits). Pure data types: no I/O, no database.
 *
 * The layer is synchronous on purpose: ingest runs it inside worker threads over
 * `fs.readSync`, where a synchronous read is cheapest and blocks nobody, and the API
 * re-parses stored header text in memory. Everything that reads bytes goes through
 * `ByteSource`, so tests can feed buffers and ingest can feed file descriptors.
 */

/** Random access to a file's bytes. `read` may return fewer bytes only at end of file. */
export interface ByteSource {
  /** Total size in bytes. */
  readonly size: number;
  /** Bytes [offset, offset + length), clipped to the end of the source. */
  read(offset: number, length: number): Uint8Array;
}

/** A FITS complex value (complex integer or complex floating-point card). */
export interface ComplexValue {
  re: number;
  im: number;
}

/**
 * A typed card value, as the contract's `HeaderCard.value`:
 * logical -> boolean; integer -> number, or bigint when outside +-(2^53 - 1) so that it stays
 * exact; real (E or D exponent) -> number; string -> string (quotes removed, '' unescaped,
 * trailing blanks dropped, CONTINUE joined); complex -> ComplexValue; undefined -> null.
 */
export type CardValue = string | number | bigint | boolean | ComplexValue | null;

export interface HeaderCard {
  /** Keyword as astropy names it: HIERARCH prefix dropped ("ESO DET DIT"); "" for blank cards. */
  keyword: string;
  value: CardValue;
  /** The comment after "/", or the text of COMMENT/HISTORY/blank cards; null when absent. */
  comment: string | null;
}

export type Severity = 'ERROR' | 'WARNING' | 'INFO';

/** One finding. `code` is stable (e.g. FITS_MISSING_END); `message` names HDU and keyword. */
export interface FitsIssue {
  severity: Severity;
  code: string;
  message: string;
  /** 0-based HDU index, null for file-level findings. */
  hdu: number | null;
  keyword: string | null;
}

/** World coordinates in degrees. */
export interface SkyPosition {
  ra: number;
  dec: number;
}

export interface SpectralRange {
  min: number;
  max: number;
  unit: string;
}

export type FileKind = 'SPECTRUM' | 'IFS_CUBE' | 'IMAGE' | 'CATALOGUE' | 'BLOB';

/**
 * One HDU as found by walking a file's headers (src/fits/structure.ts).
 * Offsets are byte offsets into the file.
 */
export interface HduInfo {
  /** 0-based; 0 is the primary HDU. */
  index: number;
  /** PRIMARY, IMAGE, BINTABLE, TABLE, or the XTENSION value as written. */
  type: string;
  /** Offset of the HDU's first header card. */
  headerStart: number;
  /** Offset of the data, right after the header's last 2880-byte block. */
  dataStart: number;
  /** Data bytes without padding: |BITPIX|/8 * GCOUNT * (PCOUNT + NAXIS1*...*NAXISn). */
  dataSize: number;
  /** Every card in file order (COMMENT/HISTORY/blank included; END and CONTINUE folded in). */
  cards: HeaderCard[];
  /** First occurrence of each valued keyword (COMMENT/HISTORY/blank excluded), for lookups. */
  keywords: ReadonlyMap<string, CardValue>;
  /** The header exactly as written, 80 characters a card, up to and including END (no padding). */
  rawHeader: string;
  bitpix: number | null;
  /**
   * [NAXIS1, NAXIS2, ...] as written; empty when NAXIS = 0. For a tile-compressed image these
   * describe the table that stores it: the image's shape is `imageShape`.
   */
  naxis: number[];
  /** Cards whose value could not be parsed, found by the (single) header parse. */
  readonly cardProblems?: readonly CardProblemAt[];
  /** Set on a tile-compressed image (BINTABLE with ZIMAGE = T). */
  compressedImage?: true;
  /** ZNAXISn of a tile-compressed image ([] when they are missing or illegal); see imageShapeOf. */
  imageShape?: number[];
  /** ZBITPIX of a tile-compressed image (the pixel type once decompressed). */
  zbitpix?: number;
}

/** A card that could not be parsed: 0-based card number in the header, and why. */
export interface CardProblemAt {
  card: number;
  message: string;
}
