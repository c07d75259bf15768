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
