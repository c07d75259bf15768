/**
 * The spectrum's wavelength axis in the file's own unit. The API sends wavelengths in metres
 * (SpectrumData.unit "m") and says which unit the file wrote (SpectralRange.unit); when that
 * is a length we know, the axis is shown in it, otherwise in nanometres, labelled as such.
 * Pure: unit-tested in test/web/record-units.test.ts.
 */

const LENGTHS: Record<string, { metres: number; label: string }> = {
  m: { metres: 1, label: 'm' },
  cm: { metres: 1e-2, label: 'cm' },
  mm: { metres: 1e-3, label: 'mm' },
  um: { metres: 1e-6, label: 'µm' },
  µm: { metres: 1e-6, label: 'µm' },
  micron: { metres: 1e-6, label: 'µm' },
  microns: { metres: 1e-6, label: 'µm' },
  nm: { metres: 1e-9, label: 'nm' },
  angstrom: { metres: 1e-10, label: 'Å' },
  angstroms: { metres: 1e-10, label: 'Å' },
  aa: { metres: 1e-10, label: 'Å' },
  å: { metres: 1e-10, label: 'Å' },
  pm: { metres: 1e-12, label: 'pm' },
};

export interface WavelengthAxis {
  /** Multiply a value the API sent by this to get the axis value. */
  scale: number;
  label: string;
  /** Whether this is the file's own unit (else a stand-in: nm, or the API's own unit). */
  fileUnit: boolean;
}

/** `apiUnit`: SpectrumData.unit; `fileUnit`: SpectralRange.unit (may be null). */
export function wavelengthAxis(apiUnit: string | null, fileUnit: string | null): WavelengthAxis {
  if (apiUnit !== 'm') {
    // Not a wavelength (pixels, or an axis without a wavelength equivalent): the values as sent.
    return { scale: 1, label: apiUnit ? (apiUnit === 'pixel' ? 'pixel (1-based)' : apiUnit) : 'axis value (no unit given)', fileUnit: true };
  }
  const known = fileUnit ? LENGTHS[fileUnit.trim().toLowerCase()] ?? LENGTHS[fileUnit.trim()] : undefined;
  if (known) return { scale: 1 / known.metres, label: `wavelength (${known.label})`, fileUnit: true };
  return { scale: 1e9, label: 'wavelength (nm)', fileUnit: false };
}
