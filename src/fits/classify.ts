/**
 * What kind of product a FITS file is, from its headers alone (no pixels, no WCS math):
 *   SPECTRUM   1-D spectral data: an image HDU with one non-degenerate axis (or a spectral
 *              CTYPE on a 1-D axis), or a table with a wavelength-like and a flux-like column
 *   IFS_CUBE   3-D data with a spectral axis (two celestial + one spectral CTYPE, or a
 *              spectral CTYPE3)
 *   IMAGE      2-D data, including tile-compressed images
 *   CATALOGUE  tables that are not spectra
 *   BLOB       anything else (random groups, empty files, 3-D cubes without a spectral axis...)
 *
 * The file's kind is that of its first HDU with data, except that a CATALOGUE or BLOB HDU
 * yields to a later HDU of a more specific kind (a source list beside a spectrum does not
 * make the file a catalogue). CTYPE families are recognised by their 4-letter prefix here;
 * the WCS itself is src/fits/wcs/'s business.
 */
import type { FileKind, HduInfo } from './types.js';

const SPECTRAL = new Set(['FREQ', 'ENER', 'WAVN', 'VRAD', 'WAVE', 'VOPT', 'ZOPT', 'AWAV', 'VELO', 'BETA']);
const CELESTIAL = new Set(['RA--', 'DEC-', 'GLON', 'GLAT', 'ELON', 'ELAT', 'SLON', 'SLAT', 'HPLN', 'HPLT']);

export type AxisFamily = 'celestial' | 'spectral' | 'other';

/** Family of a CTYPEn value, from its first four characters. */
export function ctypeFamily(ctype: string): AxisFamily {
  const p = ctype.trim().toUpperCase().padEnd(8, '-').slice(0, 4);
  if (SPECTRAL.has(p)) return 'spectral';
  if (CELESTIAL.has(p)) return 'celestial';
  // xxLN / xxLT: any other celestial longitude/latitude pair (e.g. a planetary "PLLN").
  if ((p.endsWith('LN') || p.endsWith('LT')) && /^[A-Z]{2}$/.test(p.slice(0, 2))) return 'celestial';
  return 'other';
}

const WAVE_COLUMN = /^(WAVE|WAVELENGTH|LAMBDA|LOGLAM|LOGLAMBDA|LOG_LAMBDA|LOGWAVE|FREQ|FREQUENCY|ENERGY|WAVENUMBER|AWAV|SPEC_AXIS)$/;
const FLUX_COLUMN = /^(FLUX|FLUX_.*|.*_FLUX|FLUXDENS|FLUX_DENSITY|SPECFLUX|INTENSITY|COUNTS)$/;

/** Kind of one HDU, or null when it carries no data. */
export function classifyHdu(hdu: HduInfo): FileKind | null {
  const kw = hdu.keywords;
  if (hdu.compressedImage) return shapeKind(hdu) ?? 'BLOB';
  if (hdu.type === 'BINTABLE' || hdu.type === 'TABLE') {
    if (hdu.dataSize === 0 && hdu.naxis.length < 2) return null;
    const names = new Set<string>();
    const tfields = kw.get('TFIELDS');
    const n = typeof tfields === 'number' ? Math.min(tfields, 999) : 0;
    for (let i = 1; i <= n; i++) {
      const t = kw.get(`TTYPE${i}`);
      if (typeof t === 'string') names.add(t.trim().toUpperCase());
    }
    const names_ = [...names];
    return names_.some((s) => WAVE_COLUMN.test(s)) && names_.some((s) => FLUX_COLUMN.test(s)) ? 'SPECTRUM' : 'CATALOGUE';
  }
  if (hdu.type === 'PRIMARY' || hdu.type === 'IMAGE') {
    if (hdu.dataSize === 0) return null;
    if (hdu.type === 'PRIMARY' && hdu.naxis[0] === 0) return 'BLOB'; // random groups
    return shapeKind(hdu) ?? 'BLOB';
  }
  return hdu.dataSize > 0 ? 'BLOB' : null;
}

function shapeKind(hdu: HduInfo): FileKind | null {
  // A tile-compressed image's NAXISn are its table's: its own axes are ZNAXISn.
  const shape = hdu.compressedImage ? (hdu.imageShape ?? []) : hdu.naxis;
  const axes = shape.map((n, i) => ({ n, family: ctypeFamily(String(hdu.keywords.get(`CTYPE${i + 1}`) ?? '')) }));
  const real = axes.filter((a) => a.n > 1);
  if (real.length === 0) return axes.length > 0 ? 'SPECTRUM' : null; // a single pixel: treat as 1-D
  if (real.length === 1) return 'SPECTRUM';
  if (real.length === 2) return 'IMAGE';
  if (real.length === 3) {
    const spectral = real.filter((a) => a.family === 'spectral').length;
    const celestial = real.filter((a) => a.family === 'celestial').length;
    if (spectral === 1 && (celestial === 2 || real[2].family === 'spectral')) return 'IFS_CUBE';
  }
  return 'BLOB';
}

const RANK: Record<FileKind, number> = { IFS_CUBE: 3, SPECTRUM: 3, IMAGE: 3, CATALOGUE: 1, BLOB: 0 };

export function classifyHdus(hdus: readonly HduInfo[]): { kind: FileKind; hdu: number | null } {
  let best: { kind: FileKind; hdu: number | null } = { kind: 'BLOB', hdu: null };
  let bestRank = -1;
  for (const hdu of hdus) {
    const kind = classifyHdu(hdu);
    if (kind === null) continue;
    if (RANK[kind] > bestRank) {
      best = { kind, hdu: hdu.index };
      bestRank = RANK[kind];
      if (bestRank === 3) break;
    }
  }
  // Random groups and other undecidable data: BLOB, not tied to an HDU.
  if (best.kind === 'BLOB') best.hdu = null;
  return best;
}
