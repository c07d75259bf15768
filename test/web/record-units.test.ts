/** The spectrum plot's wavelength axis (src/web/client/record/units.ts): pure, no browser. */
import { describe, expect, it } from 'vitest';
import { wavelengthAxis } from '../../src/web/client/record/units.js';

describe("the spectrum's wavelength axis", () => {
  it("is in the file's unit when that is a length (metres from the API scaled back)", () => {
    const a = wavelengthAxis('m', 'Angstrom');
    expect(a).toMatchObject({ label: 'wavelength (Å)', fileUnit: true });
    expect(4715e-10 * a.scale).toBeCloseTo(4715, 9);
    expect(wavelengthAxis('m', 'nm').label).toBe('wavelength (nm)');
    expect(wavelengthAxis('m', 'um')).toMatchObject({ scale: 1e6, label: 'wavelength (µm)' });
  });

  it('falls back to nanometres, saying so, when the file wrote a frequency or energy; pixels stay pixels', () => {
    expect(wavelengthAxis('m', 'Hz')).toEqual({ scale: 1e9, label: 'wavelength (nm)', fileUnit: false });
    expect(wavelengthAxis('m', null)).toEqual({ scale: 1e9, label: 'wavelength (nm)', fileUnit: false });
    expect(wavelengthAxis('pixel', 'pixel')).toMatchObject({ scale: 1, label: 'pixel (1-based)' });
  });
});
