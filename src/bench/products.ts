/**
 * Synthetic data products with realistic headers: a two-HDU 1-D spectrum (flux + error, linear
 * wavelength WCS, OBJECT/RA/DEC), an IFS cube (RA---TAN/DEC--TAN/WAVE), a TAN image, a binary
 * table catalogue and an opaque blob. Deterministic for a given seed.
 */
import { buildHdu, float32BE, int16BE, type CardInput } from './fits-writer.js';

export interface SpectrumOptions {
  object: string;
  ra: number;
  dec: number;
  pixels?: number;
  seed?: number;
  checksum?: boolean;
}

const PIPELINE_CARDS: CardInput[] = [
  ['ORIGIN', 'AAO', 'institution'],
  ['TELESCOP', 'AAT', 'telescope'],
  ['INSTRUME', 'HERMES', 'instrument'],
  ['DATE-OBS', '2019-04-12T13:45:07', 'UTC start of exposure'],
  ['EXPOSURE', 1200.0, '[s] exposure time'],
  ['AIRMASS', 1.183, 'airmass at mid-exposure'],
  ['RADESYS', 'ICRS', 'reference frame'],
  ['EQUINOX', 2000.0, 'equinox of coordinates'],
  ['PIPEVERS', '6.1.2', 'reduction pipeline version'],
  ['HISTORY', undefined, 'reduced with the synthetic pipeline'],
];

function noise(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s = (s * 1664525 + 1013904223) >>> 0;
    out[i] = 1 + ((s / 0xffffffff) - 0.5) * 0.1;
  }
  return out;
}

export function spectrumFits(o: SpectrumOptions): Buffer {
  const n = o.pixels ?? 1024;
  const seed = o.seed ?? 1;
  const checksum = o.checksum ?? true;
  const primary: CardInput[] = [
    ['SIMPLE', true, 'conforms to FITS standard'],
    ['BITPIX', -32, 'IEEE single precision'],
    ['NAXIS', 1],
    ['NAXIS1', n],
    ['EXTEND', true],
    ['OBJECT', o.object, 'target name'],
    ['RA', Number(o.ra.toFixed(6)), '[deg] target right ascension'],
    ['DEC', Number(o.dec.toFixed(6)), '[deg] target declination'],
    ['CTYPE1', 'AWAV', 'air wavelength'],
    ['CUNIT1', 'Angstrom'],
    ['CRPIX1', 1.0],
    ['CRVAL1', 4715.0 + (seed % 7)],
    ['CDELT1', 0.046],
    ['BUNIT', 'counts'],
    ...PIPELINE_CARDS,
  ];
  const flux = noise(n, seed);
  const errorHdu: CardInput[] = [
    ['XTENSION', 'IMAGE', 'image extension'],
    ['BITPIX', -32],
    ['NAXIS', 1],
    ['NAXIS1', n],
    ['PCOUNT', 0],
    ['GCOUNT', 1],
    ['EXTNAME', 'SIGMA', 'flux uncertainty'],
    ['CTYPE1', 'AWAV'],
    ['CUNIT1', 'Angstrom'],
    ['CRPIX1', 1.0],
    ['CRVAL1', 4715.0 + (seed % 7)],
    ['CDELT1', 0.046],
  ];
  return Buffer.concat([buildHdu(primary, float32BE(flux), checksum), buildHdu(errorHdu, float32BE(noise(n, seed + 1)), checksum)]);
}

export function imageFits(o: { object: string; ra: number; dec: number; size?: number; seed?: number }): Buffer {
  const size = o.size ?? 64;
  const cards: CardInput[] = [
    ['SIMPLE', true],
    ['BITPIX', 16],
    ['NAXIS', 2],
    ['NAXIS1', size],
    ['NAXIS2', size],
    ['OBJECT', o.object],
    ['CTYPE1', 'RA---TAN'],
    ['CTYPE2', 'DEC--TAN'],
    ['CUNIT1', 'deg'],
    ['CUNIT2', 'deg'],
    ['CRPIX1', (size + 1) / 2],
    ['CRPIX2', (size + 1) / 2],
    ['CRVAL1', o.ra],
    ['CRVAL2', o.dec],
    ['CD1_1', -0.0001],
    ['CD1_2', 0.0],
    ['CD2_1', 0.0],
    ['CD2_2', 0.0001],
    ['RADESYS', 'ICRS'],
    ['EQUINOX', 2000.0],
  ];
  const pixels = Array.from(noise(size * size, o.seed ?? 3), (v) => Math.round(v * 1000));
  return buildHdu(cards, int16BE(pixels), true);
}

export function cubeFits(o: { object: string; ra: number; dec: number; size?: number; planes?: number; seed?: number }): Buffer {
  const size = o.size ?? 16;
  const planes = o.planes ?? 32;
  const cards: CardInput[] = [
    ['SIMPLE', true],
    ['BITPIX', -32],
    ['NAXIS', 3],
    ['NAXIS1', size],
    ['NAXIS2', size],
    ['NAXIS3', planes],
    ['OBJECT', o.object],
    ['CTYPE1', 'RA---TAN'],
    ['CTYPE2', 'DEC--TAN'],
    ['CTYPE3', 'WAVE'],
    ['CUNIT1', 'deg'],
    ['CUNIT2', 'deg'],
    ['CUNIT3', 'Angstrom'],
    ['CRPIX1', (size + 1) / 2],
    ['CRPIX2', (size + 1) / 2],
    ['CRPIX3', 1.0],
    ['CRVAL1', o.ra],
    ['CRVAL2', o.dec],
    ['CRVAL3', 3700.0],
    ['CDELT1', -0.0002],
    ['CDELT2', 0.0002],
    ['CDELT3', 1.25],
    ['RADESYS', 'ICRS'],
  ];
  return buildHdu(cards, float32BE(noise(size * size * planes, o.seed ?? 5)), true);
}

export function catalogueFits(o: { rows?: number; seed?: number }): Buffer {
  const rows = o.rows ?? 200;
  const primary: CardInput[] = [['SIMPLE', true], ['BITPIX', 8], ['NAXIS', 0], ['EXTEND', true]];
  const rowBytes = 8 + 8 + 8 + 4;
  const data = new Uint8Array(rows * rowBytes);
  const view = new DataView(data.buffer);
  const r = noise(rows * 2, o.seed ?? 7);
  for (let i = 0; i < rows; i++) {
    view.setBigInt64(i * rowBytes, BigInt(1_000_000 + i), false);
    view.setFloat64(i * rowBytes + 8, 150 + r[i] * 10, false);
    view.setFloat64(i * rowBytes + 16, -30 + r[rows + i] * 10, false);
    view.setFloat32(i * rowBytes + 24, 14 + r[i] * 4, false);
  }
  const table: CardInput[] = [
    ['XTENSION', 'BINTABLE'],
    ['BITPIX', 8],
    ['NAXIS', 2],
    ['NAXIS1', rowBytes],
    ['NAXIS2', rows],
    ['PCOUNT', 0],
    ['GCOUNT', 1],
    ['TFIELDS', 4],
    ['TTYPE1', 'CATAID'],
    ['TFORM1', 'K'],
    ['TTYPE2', 'RA'],
    ['TFORM2', 'D'],
    ['TUNIT2', 'deg'],
    ['TTYPE3', 'DEC'],
    ['TFORM3', 'D'],
    ['TUNIT3', 'deg'],
    ['TTYPE4', 'MAG_R'],
    ['TFORM4', 'E'],
    ['TUNIT4', 'mag'],
    ['EXTNAME', 'CATALOGUE'],
  ];
  return Buffer.concat([buildHdu(primary, null, true), buildHdu(table, data, true)]);
}

export function blobBytes(size: number, seed = 11): Buffer {
  const out = Buffer.alloc(size);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    out[i] = 32 + ((s >>> 16) % 95);
  }
  return out;
}
