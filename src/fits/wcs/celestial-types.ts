/**
 * Which CTYPEs are celestial and how longitude and latitude axes pair up. FITS (C&G 2002 section
 * 3.1) allows RA/DEC and the families xLON/xLAT (GLON/GLAT, ELON/ELAT, SLON/SLAT, HLON/HLAT) and
 * xyLN/xyLT; the two axes of a pair must name the same family and the same projection.
 */

export interface CelestialCtype {
  role: 'lon' | 'lat';
  /** Family key shared by the two axes of a valid pair, e.g. "EQ" for RA/DEC, "G" for GLON/GLAT. */
  family: string;
  /** Three-letter projection code (may be unknown). */
  projection: string;
  /** True when the CTYPE carries the "-SIP" distortion suffix. */
  sip: boolean;
}

/** Parse "RA---TAN", "DEC--SIN-SIP", "GLON-CAR", ...; null for non-celestial CTYPEs. */
export function parseCelestialCtype(ctype: string): CelestialCtype | null {
  // Celestial CTYPEs are "tttt-ppp" with the type padded by dashes to four characters.
  if (ctype.length < 8 || ctype[4] !== '-') return null;
  const type = ctype.slice(0, 4).replace(/-+$/, '');
  const projection = ctype.slice(5, 8);
  const suffix = ctype.slice(8);
  if (suffix !== '' && suffix !== '-SIP') return null;
  let role: 'lon' | 'lat';
  let family: string;
  if (type === 'RA') [role, family] = ['lon', 'EQ'];
  else if (type === 'DEC') [role, family] = ['lat', 'EQ'];
  else if (/^[A-Z]LON$/.test(type)) [role, family] = ['lon', type[0]];
  else if (/^[A-Z]LAT$/.test(type)) [role, family] = ['lat', type[0]];
  else if (/^[A-Z]{2}LN$/.test(type)) [role, family] = ['lon', type.slice(0, 2)];
  else if (/^[A-Z]{2}LT$/.test(type)) [role, family] = ['lat', type.slice(0, 2)];
  else return null;
  return { role, family, projection, sip: suffix === '-SIP' };
}
