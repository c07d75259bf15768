/**
 * Quicklook PNGs of images and cubes (synchronous: it runs on an access thread, ./worker.ts).
 *
 * - What is drawn: an image's pixels; a cube's middle plane along its spectral axis (one
 *   plane is read when the spectral axis is the slowest, as IFS cubes are written; otherwise
 *   the cube is streamed and the other planes skipped).
 * - Size: at most MAX_SIDE pixels on the long side, by block averaging (NaN pixels left out of
 *   their block's mean), so a 10k x 10k image costs one streamed pass and a 512 x 512 grid.
 * - Stretch: asinh between the 0.5 and 99.5 percentiles of the averaged pixels: faint
 *   structure and bright cores both stay visible, and a few hot pixels cannot wash out the
 *   rest. Undefined pixels are transparent. North is up as FITS draws it: row 1 at the bottom.
 * - Grey + alpha, 8 bits, encoded by pngjs.
 * Anything that leaves nothing to draw (not FITS, no image HDU, a tile-compressed image, a
 * truncated data unit, no defined pixel) gives the placeholder and the reason.
 */
import { PNG } from 'pngjs';
import { classifyHdus, ctypeFamily, pixelCount, readPixels, readStructure, type ByteSource, type HduInfo } from '../fits/index.js';

export const MAX_SIDE = 512;
/** Bumped when the rendering changes: cached previews of the old version are not served. */
export const PREVIEW_VERSION = 1;
const SOFTENING = 10;

export interface Preview {
  png: Buffer;
  width: number;
  height: number;
  /** Why the placeholder was drawn instead, or null. */
  problem: string | null;
}

export function renderPreview(src: ByteSource): Preview {
  const plane = readPlane(src);
  if (typeof plane === 'string') return placeholder(plane);
  const { data, width, height } = plane;
  const finite: number[] = [];
  for (let i = 0; i < data.length; i++) if (Number.isFinite(data[i])) finite.push(data[i]);
  if (finite.length === 0) return placeholder('no pixel of the image has a defined value');
  const sorted = Float64Array.from(finite).sort();
  const lo = quantile(sorted, 0.005);
  const hi = quantile(sorted, 0.995);
  const span = hi - lo;
  const norm = Math.asinh(SOFTENING);
  const rgba = Buffer.alloc(width * height * 2);
  for (let y = 0; y < height; y++) {
    const row = (height - 1 - y) * width; // FITS row 1 is the bottom row
    for (let x = 0; x < width; x++) {
      const v = data[y * width + x];
      const o = (row + x) * 2;
      if (!Number.isFinite(v)) continue; // transparent
      const t = span > 0 ? Math.min(1, Math.max(0, (v - lo) / span)) : 0.5;
      rgba[o] = Math.round((255 * Math.asinh(t * SOFTENING)) / norm);
      rgba[o + 1] = 255;
    }
  }
  return { png: encode(rgba, width, height), width, height, problem: null };
}

interface Plane {
  data: Float64Array;
  width: number;
  height: number;
}

/** The averaged plane to draw, or why there is none. */
function readPlane(src: ByteSource): Plane | string {
  const { hdus } = readStructure(src);
  if (hdus.length === 0) return 'the file is not FITS';
  const { kind, hdu: index } = classifyHdus(hdus);
  if ((kind !== 'IMAGE' && kind !== 'IFS_CUBE') || index === null) return `the file holds no image or cube (it reads as ${kind.toLowerCase()})`;
  const hdu = hdus[index];
  if (hdu.compressedImage) return 'tile-compressed images have no preview yet';
  const total = pixelCount(hdu);
  if (total === 0) return 'the image HDU has no pixel array that can be read';
  const real = hdu.naxis.map((len, axis) => ({ len, axis })).filter((a) => a.len > 1);
  if (real.length < 2) return 'the image has fewer than two axes';
  // Strides of the real axes in the pixel order (degenerate axes change nothing).
  let stride = 1;
  const strides = real.map((a) => {
    const s = stride;
    stride *= a.len;
    return s;
  });
  let spectral = -1;
  if (real.length === 3) {
    spectral = real.findIndex((a) => ctypeFamily(String(hdu.keywords.get(`CTYPE${a.axis + 1}`) ?? '')) === 'spectral');
    if (spectral < 0) spectral = 2;
  } else if (real.length > 3) return `a ${real.length}-D array has no quicklook`;
  const imageAxes = [0, 1, 2].filter((k) => k < real.length && k !== spectral);
  const [u, v] = imageAxes;
  const width = real[u].len;
  const height = real[v].len;
  const factor = Math.max(1, Math.ceil(Math.max(width, height) / MAX_SIDE));
  const ow = Math.ceil(width / factor);
  const oh = Math.ceil(height / factor);
  const sum = new Float64Array(ow * oh);
  const count = new Uint32Array(ow * oh);
  const add = (x: number, y: number, value: number) => {
    if (value !== value) return;
    const o = Math.floor(y / factor) * ow + Math.floor(x / factor);
    sum[o] += value;
    count[o]++;
  };

  let read = 0;
  let expected = total;
  if (spectral === 2) {
    // The middle plane is one contiguous run of pixels: read it alone.
    const mid = Math.floor(real[2].len / 2);
    // The plane as an image HDU of its own (readPixels reads an HDU's pixels from its start).
    const planeHdu: HduInfo = {
      index: hdu.index,
      type: hdu.type,
      headerStart: hdu.headerStart,
      dataStart: hdu.dataStart + mid * strides[2] * (Math.abs(hdu.bitpix!) / 8),
      dataSize: width * height * (Math.abs(hdu.bitpix!) / 8),
      cards: [],
      keywords: hdu.keywords, // BSCALE, BZERO, BLANK
      rawHeader: '',
      bitpix: hdu.bitpix,
      naxis: [width, height],
    };
    expected = width * height;
    for (const chunk of readPixels(src, planeHdu)) {
      for (let k = 0; k < chunk.length; k++, read++) add(read % width, Math.floor(read / width), chunk[k]);
    }
  } else {
    const mid = spectral < 0 ? 0 : Math.floor(real[spectral].len / 2);
    for (const chunk of readPixels(src, hdu)) {
      for (let k = 0; k < chunk.length; k++, read++) {
        if (spectral >= 0 && Math.floor(read / strides[spectral]) % real[spectral].len !== mid) continue;
        add(Math.floor(read / strides[u]) % width, Math.floor(read / strides[v]) % height, chunk[k]);
      }
    }
  }
  if (read < expected) return `the data unit is truncated: ${read} of ${expected} pixels in the file`;
  const data = new Float64Array(ow * oh);
  for (let i = 0; i < data.length; i++) data[i] = count[i] ? sum[i] / count[i] : NaN;
  return { data, width: ow, height: oh };
}

function quantile(sorted: Float64Array, q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))))];
}

const PLACEHOLDER_SIDE = 64;

let placeholderPng: Buffer | undefined;

/**
 * Whether these PNG bytes are the placeholder (the same bytes whatever the reason): a preview
 * read back from the cache has lost its reason, and the page must still say it is no picture.
 */
export function isPlaceholder(png: Uint8Array): boolean {
  placeholderPng ??= Buffer.from(placeholder('').png);
  return png.length === placeholderPng.length && placeholderPng.equals(png);
}

/** A grey square with a darker cross: "there is a file here, but no picture of it". */
export function placeholder(problem: string): Preview {
  const n = PLACEHOLDER_SIDE;
  const px = Buffer.alloc(n * n * 2);
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      const o = (y * n + x) * 2;
      px[o] = x === y || x === n - 1 - y ? 96 : 192;
      px[o + 1] = 255;
    }
  }
  return { png: encode(px, n, n), width: n, height: n, problem };
}

function encode(greyAlpha: Buffer, width: number, height: number): Buffer {
  // Level 6: within a few per cent of level 9's size for these images, several times faster.
  return PNG.sync.write({ width, height, data: greyAlpha } as PNG, { colorType: 4, inputColorType: 4, deflateLevel: 6 });
}
