/**
 * Units of celestial axes. FITS requires degrees (CUNIT absent means deg); wcslib converts other
 * angular units to degrees when it sets up the transformation, so we do the same and report it.
 */

const ANGLE_TO_DEG: Record<string, number> = {
  deg: 1,
  arcmin: 1 / 60,
  arcsec: 1 / 3600,
  mas: 1 / 3.6e6,
  rad: 180 / Math.PI,
};

/** Degrees per unit for an angular CUNIT (case-insensitive), undefined when not an angle unit. */
export function degreesPer(unit: string): number | undefined {
  const u = unit.trim();
  if (u === '') return 1;
  const exact = ANGLE_TO_DEG[u];
  if (exact !== undefined) return exact;
  const lower = u.toLowerCase();
  for (const [name, f] of Object.entries(ANGLE_TO_DEG)) if (name === lower) return f;
  if (lower === 'degree' || lower === 'degrees') return 1;
  return undefined;
}

/*
 * Spectral units, for ObsCore's em_min / em_max (wavelengths in metres). Every spectral type
 * with a wavelength equivalent converts: wavelengths scale, frequencies, wavenumbers and
 * energies invert (lambda = c / nu = 1 / sigma = h c / E). Velocities and redshifts (VRAD, VOPT,
 * ZOPT, VELO, BETA) need a rest frequency and are left out.
 */
const C = 299_792_458; // m/s
const HC = 6.62607015e-34 * C; // J m

/** SI prefixes as FITS (Greisen et al. 2006 / the FITS standard, Table 28) allows them. */
const PREFIX: Readonly<Record<string, number>> = {
  '': 1, y: 1e-24, z: 1e-21, a: 1e-18, f: 1e-15, p: 1e-12, n: 1e-9, u: 1e-6, 'µ': 1e-6, m: 1e-3, c: 1e-2, d: 1e-1,
  da: 1e1, h: 1e2, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18, Z: 1e21, Y: 1e24,
};

/** Base units per family: the factor to metres, Hz, m^-1 or joules. */
const LENGTH: Readonly<Record<string, number>> = { m: 1, Angstrom: 1e-10, angstrom: 1e-10, AA: 1e-10, A: 1e-10 };
const FREQUENCY: Readonly<Record<string, number>> = { Hz: 1 };
const ENERGY: Readonly<Record<string, number>> = { J: 1, eV: 1.602176634e-19, erg: 1e-7, Ry: 2.1798723611035e-18 };

/** The factor of a prefixed unit within a family (`nm` -> 1e-9 of `m`), or undefined. */
function prefixed(unit: string, family: Readonly<Record<string, number>>): number | undefined {
  if (Object.hasOwn(family, unit)) return family[unit];
  for (const base of Object.keys(family)) {
    // Prefixes go on SI units only (a "kAngstrom" is not a unit FITS knows).
    if (base === 'Angstrom' || base === 'angstrom' || base === 'AA' || base === 'A' || base === 'Ry') continue;
    if (unit.endsWith(base)) {
      const p = unit.slice(0, unit.length - base.length);
      if (p !== '' && Object.hasOwn(PREFIX, p)) return PREFIX[p] * family[base];
    }
  }
  return undefined;
}

/** A wavenumber unit ("m-1", "cm-1", "/m", "1/cm", "m**-1", "m^-1") as its factor to m^-1. */
function wavenumberFactor(unit: string): number | undefined {
  const m = /^(?:1\s*\/\s*|\/\s*)?([a-zµ]*m)(?:\s*(?:\*\*|\^)?\s*\(?-1\)?)?$/.exec(unit);
  if (!m) return undefined;
  const inverse = unit.startsWith('/') || unit.startsWith('1');
  const negative = /-1\)?$/.test(unit);
  if (inverse === negative) return undefined; // "m" alone, or "1/m-1"
  const length = prefixed(m[1], { m: 1 });
  return length === undefined ? undefined : 1 / length;
}

/**
 * A spectral world value in metres of wavelength, or null when the type has no wavelength
 * equivalent, the unit is not one this layer knows for the type, or the value is not positive
 * where it is inverted.
 */
export function spectralToMetres(type: string, unit: string, value: number): number | null {
  const u = unit.trim();
  if (!Number.isFinite(value)) return null;
  switch (type) {
    case 'WAVE':
    case 'AWAV': {
      const f = prefixed(u || 'm', LENGTH);
      return f === undefined ? null : value * f;
    }
    case 'FREQ': {
      const f = prefixed(u || 'Hz', FREQUENCY);
      return f === undefined || value <= 0 ? null : C / (value * f);
    }
    case 'ENER': {
      const f = prefixed(u || 'J', ENERGY);
      return f === undefined || value <= 0 ? null : HC / (value * f);
    }
    case 'WAVN': {
      const f = wavenumberFactor(u || 'm-1');
      return f === undefined || value <= 0 ? null : 1 / (value * f);
    }
    default:
      return null;
  }
}

/** A spectral range [a, b] in the file's unit as [min, max] metres (inverting types swap ends), or null. */
export function spectralRangeMetres(type: string, unit: string, a: number, b: number): { min: number; max: number } | null {
  const x = spectralToMetres(type, unit, a);
  const y = spectralToMetres(type, unit, b);
  if (x === null || y === null) return null;
  return { min: Math.min(x, y), max: Math.max(x, y) };
}
