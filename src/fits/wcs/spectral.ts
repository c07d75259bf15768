/**
 * Spectral axes, Greisen et al. 2006 (FITS WCS paper III). CTYPE is a four-letter type, optionally
 * followed by "-" and a three-letter algorithm code: none (linear in the type itself), LOG
 * (logarithmic: S = CRVAL exp(w / CRVAL)), TAB (lookup table in a binary table) or a non-linear
 * "X2P" conversion such as F2W. We compute the linear and LOG cases; anything else gets a warning
 * and no number, because a wrong wavelength is worse than none.
 */

/** Spectral types and their default units (Greisen et al. 2006, Table 1). */
export const SPECTRAL_DEFAULT_UNITS: Readonly<Record<string, string>> = {
  FREQ: 'Hz',
  ENER: 'J',
  WAVN: 'm-1',
  VRAD: 'm/s',
  WAVE: 'm',
  VOPT: 'm/s',
  ZOPT: '',
  AWAV: 'm',
  VELO: 'm/s',
  BETA: '',
};

export interface SpectralType {
  /** Four-letter type, e.g. WAVE. */
  type: string;
  /** Algorithm code after the dash ('' for linear). */
  algorithm: string;
}

/** Recognise a spectral CTYPE ("WAVE", "FREQ-LOG", "VOPT-F2W", ...), else null. */
export function parseSpectralCtype(ctype: string): SpectralType | null {
  const type = ctype.slice(0, 4);
  if (!Object.hasOwn(SPECTRAL_DEFAULT_UNITS, type)) return null;
  const rest = ctype.slice(4);
  if (rest === '') return { type, algorithm: '' };
  if (rest[0] !== '-') return null;
  return { type, algorithm: rest.slice(1).replace(/-+$/, '').trim() };
}

export function isSupportedAlgorithm(algorithm: string): boolean {
  return algorithm === '' || algorithm === 'LOG';
}

/**
 * World coordinate from the intermediate coordinate w (already CDELT-scaled, header units), or
 * null when the algorithm is not supported or the value is undefined.
 */
export function spectralWorld(algorithm: string, crval: number, w: number): number | null {
  if (algorithm === '') return crval + w;
  if (algorithm === 'LOG') {
    if (crval === 0) return null;
    return crval * Math.exp(w / crval);
  }
  return null;
}
