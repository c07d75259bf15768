/**
 * Pixel streaming for image HDUs (primary arrays and IMAGE extensions, not random groups or
 * tile-compressed images): physical values = raw * BSCALE + BZERO, with integer pixels equal
 * to BLANK turned into NaN. Unsigned integers need nothing special: they are stored signed
 * with BZERO = 2^(n-1), which the scaling undoes.
 *
 * Why chunks: a worker must not hold a large image in memory to learn that it is all NaN;
 * callers get Float64Array chunks of at most `chunkPixels` and can stop early.
 */
import { VALID_BITPIX } from './structure.js';
import type { ByteSource, HduInfo } from './types.js';

export interface PixelScaling {
  bscale: number;
  bzero: number;
  /** Raw integer value marking undefined pixels (integer BITPIX only), or null. */
  blank: number | bigint | null;
}

export const DEFAULT_CHUNK_PIXELS = 64 * 1024;

/** BSCALE/BZERO/BLANK of an HDU, with the standard's defaults (1, 0, none). */
export function pixelScaling(hdu: HduInfo): PixelScaling {
  const kw = hdu.keywords;
  const bscale = kw.get('BSCALE');
  const bzero = kw.get('BZERO');
  const blank = kw.get('BLANK');
  return {
    bscale: typeof bscale === 'number' ? bscale : 1,
    bzero: typeof bzero === 'number' ? bzero : 0,
    // A BLANK that is not an integer (1.5) matches no integer pixel.
    blank: hdu.bitpix !== null && hdu.bitpix > 0 && (typeof blank === 'bigint' || (typeof blank === 'number' && Number.isInteger(blank))) ? blank : null,
  };
}

/** Number of pixels of a plain image HDU; 0 when it has no pixel array we can stream. */
export function pixelCount(hdu: HduInfo): number {
  if (hdu.compressedImage || hdu.bitpix === null || !VALID_BITPIX.has(hdu.bitpix) || hdu.naxis.length === 0) return 0;
  if (hdu.type !== 'PRIMARY' && hdu.type !== 'IMAGE') return 0;
  if (hdu.type === 'PRIMARY' && hdu.naxis[0] === 0) return 0; // random groups
  return hdu.naxis.reduce((a, b) => a * b, 1);
}

/**
 * Yields the physical pixel values of `hdu` in file order (NAXIS1 fastest), stopping early at
 * end of file if the data unit is truncated.
 */
export function* readPixels(
  src: ByteSource,
  hdu: HduInfo,
  chunkPixels: number = DEFAULT_CHUNK_PIXELS,
): Generator<Float64Array, void, undefined> {
  const total = pixelCount(hdu);
  if (total === 0 || hdu.bitpix === null) return;
  const decoder = new ChunkDecoder(hdu, hdu.bitpix);
  for (let done = 0; done < total; ) {
    const n = Math.min(chunkPixels, total - done);
    const bytes = src.read(hdu.dataStart + done * decoder.bytesPer, n * decoder.bytesPer);
    const got = Math.floor(bytes.length / decoder.bytesPer);
    if (got === 0) return;
    const out = new Float64Array(got);
    decoder.decode(bytes, out, got);
    yield out;
    if (got < n) return;
    done += got;
  }
}

/** Scratch for hasDefinedPixel: its values never leave the call. */
const scanScratch = new Float64Array(4096);
/** A good spectrum or image has a real value among its first pixels: look at those first. */
const FIRST_SCAN_PIXELS = 32;

/**
 * Whether some pixel of `hdu` has a defined physical value (not NaN), i.e. whether readPixels
 * would yield one; false for an HDU without pixels. Decodes into one reused scratch array
 * instead of a fresh Float64Array per chunk and a generator: the all-NaN check asks this of
 * every image HDU, and for a good one the answer is its first pixel.
 */
export function hasDefinedPixel(src: ByteSource, hdu: HduInfo): boolean {
  const total = pixelCount(hdu);
  if (total === 0 || hdu.bitpix === null) return false;
  const decoder = new ChunkDecoder(hdu, hdu.bitpix);
  for (let done = 0; done < total; ) {
    const n = Math.min(done === 0 ? FIRST_SCAN_PIXELS : scanScratch.length, total - done);
    const bytes = src.read(hdu.dataStart + done * decoder.bytesPer, n * decoder.bytesPer);
    const got = Math.floor(bytes.length / decoder.bytesPer);
    if (got === 0) return false;
    decoder.decode(bytes, scanScratch, got);
    for (let i = 0; i < got; i++) if (scanScratch[i] === scanScratch[i]) return true;
    if (got < n) return false;
    done += got;
  }
  return false;
}

/** Raw big-endian pixels -> physical values, for one HDU's BITPIX and scaling. */
class ChunkDecoder {
  readonly bytesPer: number;
  private readonly bscale: number;
  private readonly bzero: number;
  private readonly scaled: boolean;
  private readonly blankNum: number | null;
  private readonly blankBig: bigint | null;

  constructor(
    hdu: HduInfo,
    private readonly bitpix: number,
  ) {
    this.bytesPer = Math.abs(bitpix) / 8;
    const { bscale, bzero, blank } = pixelScaling(hdu);
    this.bscale = bscale;
    this.bzero = bzero;
    this.scaled = bscale !== 1 || bzero !== 0;
    this.blankNum = blank === null ? null : Number(blank);
    this.blankBig = blank === null ? null : BigInt(blank);
  }

  /** Decodes the first `got` pixels of `bytes` into out[0, got). */
  decode(bytes: Uint8Array, out: Float64Array, got: number): void {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
    const { blankBig, blankNum } = this;
    switch (this.bitpix) {
      case 8:
        for (let i = 0; i < got; i++) out[i] = bytes[i];
        break;
      case 16:
        for (let i = 0; i < got; i++) out[i] = view.getInt16(i * 2);
        break;
      case 32:
        for (let i = 0; i < got; i++) out[i] = view.getInt32(i * 4);
        break;
      case 64:
        // 64-bit integers lose precision beyond 2^53 as doubles; BLANK is compared exactly first.
        for (let i = 0; i < got; i++) {
          const v = view.getBigInt64(i * 8);
          out[i] = blankBig !== null && v === blankBig ? NaN : Number(v);
        }
        break;
      case -32:
        for (let i = 0; i < got; i++) out[i] = view.getFloat32(i * 4);
        break;
      case -64:
        for (let i = 0; i < got; i++) out[i] = view.getFloat64(i * 8);
        break;
    }
    if (blankNum !== null && this.bitpix !== 64) {
      for (let i = 0; i < got; i++) if (out[i] === blankNum) out[i] = NaN;
    }
    if (this.scaled) {
      const { bscale, bzero } = this;
      for (let i = 0; i < got; i++) out[i] = out[i] * bscale + bzero;
    }
  }
}
