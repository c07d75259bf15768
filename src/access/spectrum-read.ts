/**
 * A 1-D spectrum's values for plotting, read from its FITS bytes (synchronous: it runs on an
 * access thread, ./worker.ts). Two layouts, the ones src/fits/classify.ts calls spectra:
 *  - an image HDU with one non-degenerate axis: fluxes are its pixels, wavelengths come from
 *    the header's spectral WCS (src/fits/wcs: linear and LOG axes, any spectral type with a
 *    wavelength equivalent), converted to metres as em_min/em_max are;
 *  - a binary or ASCII table with a wavelength-like and a flux-like column, either one row per
 *    point or one row of arrays (SDSS's `loglam` is log10 of Angstroms).
 * Pixels and rows are streamed into a min-max decimator (./decimate.ts): memory stays at
 * maxPoints whatever the file's length; only the points kept get a wavelength computed.
 * A spectral axis that has no wavelength equivalent (a velocity, no CTYPE) gives 1-based pixel
 * numbers, and says so in `unit`.
 */
import { classifyHdus, pixelCount, readPixels, readStructure, type ByteSource, type CardValue, type HduInfo } from '../fits/index.js';
import { readRows, readTableLayout, type Cell, type TableColumn } from '../fits/table/index.js';
import { parseWcs, pixelToWorld } from '../fits/wcs/index.js';
import { spectralToMetres } from '../fits/wcs/units.js';
import { MinMaxDecimator, type Decimated } from './decimate.js';

export interface SpectrumValues {
  /** Metres, or what `unit` says. */
  wavelength: Float64Array;
  /** NaN where the file has no value. */
  flux: Float64Array;
  /** 'm' once converted; else the values' own unit ('pixel' for pixel numbers). */
  unit: string | null;
  fluxUnit: string | null;
  decimated: boolean;
}

/** The spectrum in `src`, or null when the file holds no 1-D spectrum. */
export function readSpectrum(src: ByteSource, maxPoints: number): SpectrumValues | null {
  const { hdus } = readStructure(src);
  const { kind, hdu: index } = classifyHdus(hdus);
  if (kind !== 'SPECTRUM' || index === null) return null;
  const hdu = hdus[index];
  const keywords = merged(hdus[0], hdu);
  if (hdu.type === 'BINTABLE' || hdu.type === 'TABLE') return hdu.compressedImage ? null : tableSpectrum(src, hdu, keywords, maxPoints);
  return imageSpectrum(src, hdu, keywords, maxPoints);
}

function imageSpectrum(src: ByteSource, hdu: HduInfo, keywords: ReadonlyMap<string, CardValue>, maxPoints: number): SpectrumValues | null {
  const n = pixelCount(hdu);
  if (n === 0) return null;
  const decimator = new MinMaxDecimator(n, maxPoints);
  let i = 0;
  for (const chunk of readPixels(src, hdu)) for (let k = 0; k < chunk.length; k++, i++) decimator.push(i, chunk[k]);
  const d = decimator.finish();
  // The data's one real axis (a 1 x N image is a spectrum along NAXIS2).
  const axis = Math.max(0, hdu.naxis.findIndex((len) => len > 1));
  const wcs = parseWcs(keywords, hdu.naxis, hdu.index);
  const spec = wcs.spectral;
  const bunit = text(keywords.get('BUNIT'));
  if (spec && spec.supported && wcs.usable && spec.axis === axis) {
    const pixel = new Array<number>(wcs.naxes).fill(1);
    const metres = convert(d, (x) => {
      pixel[axis] = x + 1;
      const world = pixelToWorld(wcs, pixel)?.[axis];
      return world === undefined ? null : spectralToMetres(spec.type, spec.unit, world);
    });
    if (metres) return { wavelength: metres, flux: d.y, unit: 'm', fluxUnit: bunit, decimated: d.decimated };
  }
  return { wavelength: d.x.map((x) => x + 1), flux: d.y, unit: 'pixel', fluxUnit: bunit, decimated: d.decimated };
}

/** `d.x` mapped through `f`, or null as soon as one point has no value in metres. */
function convert(d: Decimated, f: (x: number) => number | null): Float64Array | null {
  const out = new Float64Array(d.x.length);
  for (let k = 0; k < out.length; k++) {
    const v = f(d.x[k]);
    if (v === null || !Number.isFinite(v)) return null;
    out[k] = v;
  }
  return out;
}

/** Column names as src/fits/classify.ts recognises them, with the spectral type each implies. */
const WAVE_TYPES: ReadonlyArray<[RegExp, string]> = [
  [/^(LOGLAM|LOGLAMBDA|LOG_LAMBDA|LOGWAVE)$/, 'LOG10_WAVE'],
  [/^(WAVE|WAVELENGTH|LAMBDA|AWAV|SPEC_AXIS)$/, 'WAVE'],
  [/^(FREQ|FREQUENCY)$/, 'FREQ'],
  [/^ENERGY$/, 'ENER'],
  [/^WAVENUMBER$/, 'WAVN'],
];
const FLUX_NAME = /^(FLUX|FLUX_.*|.*_FLUX|FLUXDENS|FLUX_DENSITY|SPECFLUX|INTENSITY|COUNTS)$/;
/** Uncertainty columns share the flux names' prefixes (FLUX_ERR): never the flux. */
const NOT_FLUX = /ERR|SIG|IVAR|VAR$|UNC|NOISE|MASK/;

function tableSpectrum(src: ByteSource, hdu: HduInfo, keywords: ReadonlyMap<string, CardValue>, maxPoints: number): SpectrumValues | null {
  const { layout } = readTableLayout(hdu);
  const upper = (c: TableColumn) => c.name.trim().toUpperCase();
  let wave: { col: number; type: string } | null = null;
  for (const [re, type] of WAVE_TYPES) {
    const col = layout.columns.findIndex((c) => re.test(upper(c)));
    if (col >= 0) {
      wave = { col, type };
      break;
    }
  }
  const fluxCols = layout.columns.map((c, i) => ({ i, name: upper(c) })).filter((c) => FLUX_NAME.test(c.name) && !NOT_FLUX.test(c.name));
  const flux = (fluxCols.find((c) => c.name === 'FLUX') ?? fluxCols[0])?.i;
  if (!wave || flux === undefined) return null;
  const waveCol = layout.columns[wave.col];
  const fluxCol = layout.columns[flux];
  const arrays = layout.rowCount === 1 && fluxCol.kind === 'binary' && (fluxCol.repeat > 1 || fluxCol.code === 'P' || fluxCol.code === 'Q');

  let decimator: MinMaxDecimator | null = arrays ? null : new MinMaxDecimator(layout.rowCount, maxPoints);
  for (const batch of readRows(src, hdu, { layout })) {
    for (const row of batch.rows) {
      if (arrays) {
        const xs = row[wave.col];
        const ys = row[flux];
        if (!Array.isArray(ys)) return null;
        decimator = new MinMaxDecimator(ys.length, maxPoints);
        for (let k = 0; k < ys.length; k++) {
          const x = number(Array.isArray(xs) ? xs[k] : null);
          if (Number.isFinite(x)) decimator.push(x, number(ys[k]));
        }
      } else {
        const x = number(row[wave.col]);
        if (Number.isFinite(x)) decimator!.push(x, number(row[flux]));
      }
    }
  }
  if (!decimator) return null;
  const d = decimator.finish();
  const fluxUnit = fluxCol.unit ?? text(keywords.get('BUNIT'));
  const unit = waveCol.unit ?? '';
  const metres =
    wave.type === 'LOG10_WAVE'
      ? convert(d, (x) => spectralToMetres('WAVE', /^log\((.*)\)$/i.exec(unit)?.[1] ?? 'Angstrom', 10 ** x))
      : unit === '' && wave.type === 'WAVE'
        ? null // a wavelength column without a unit: metres would be a guess
        : convert(d, (x) => spectralToMetres(wave.type, unit, x));
  if (metres) return { wavelength: metres, flux: d.y, unit: 'm', fluxUnit, decimated: d.decimated };
  return { wavelength: d.x, flux: d.y, unit: waveCol.unit, fluxUnit, decimated: d.decimated };
}

function number(cell: Cell | undefined): number {
  if (typeof cell === 'number') return cell;
  if (typeof cell === 'bigint') return Number(cell);
  return NaN;
}

function text(v: CardValue | undefined): string | null {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : null;
}

/** The data HDU's keywords over the primary's (inherited keywords, as the ingest reads them). */
function merged(primary: HduInfo | undefined, hdu: HduInfo): ReadonlyMap<string, CardValue> {
  if (!primary || primary === hdu) return hdu.keywords;
  const out = new Map(primary.keywords);
  for (const [k, v] of hdu.keywords) out.set(k, v);
  return out;
}
