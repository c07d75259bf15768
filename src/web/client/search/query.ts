/**
 * What the search box means. One box takes a source name, a position `ra dec` (degrees, or
 * sexagesimal: RA in hours `02:42:40.7` / `2h42m40.7s`, Dec in degrees `-00:00:47.8` /
 * `-0d00m47.8s`), or `ra dec radius`. The radius is in arcminutes unless it carries a unit
 * (`30"`, `30arcsec`, `2'`, `0.5d`, `0.5deg`); without one the cone is DEFAULT_RADIUS_ARCMIN.
 * Pure: unit-tested in test/web/search-query.test.ts.
 */

export const DEFAULT_RADIUS_ARCMIN = 1;

export type ParsedQuery =
  | { kind: 'all' }
  | { kind: 'name'; name: string }
  | {
      kind: 'cone';
      ra: number;
      dec: number;
      radius: number;
      radiusGiven: boolean;
    }
  | { kind: 'error'; message: string };

const NUM = String.raw`\d+(?:\.\d*)?|\.\d+`;
const DECIMAL = new RegExp(String.raw`^([+-]?(?:${NUM}))(?:d|deg|°)?$`, 'i');
const SEXA_COLON = new RegExp(String.raw`^([+-]?)(\d{1,3}):(\d{1,2})(?::(${NUM}))?$`);
const SEXA_HMS = new RegExp(String.raw`^([+-]?)(\d{1,3})[h](?:(\d{1,2})[m](?:(${NUM})[s]?)?)?$`, 'i');
const SEXA_DMS = new RegExp(String.raw`^([+-]?)(\d{1,3})[d°](?:(\d{1,2})['m′](?:(${NUM})(?:["s″]|'')?)?)?$`, 'i');
const RADIUS = new RegExp(String.raw`^(${NUM})\s*(arcsec|arcmin|deg|''|["'d°′″s]|m)?$`, 'i');

/** A sexagesimal token's value in its own unit (hours or degrees), or null; `colon` tells if it was written with colons. */
function sexagesimal(token: string, hours: boolean): number | null {
  const m = SEXA_COLON.exec(token) ?? (hours ? SEXA_HMS.exec(token) : SEXA_DMS.exec(token));
  if (!m) return null;
  const [, sign, a, b = '0', c = '0'] = m;
  const min = Number(b);
  const sec = Number(c);
  if (min >= 60 || sec >= 60) return null;
  const v = Number(a) + min / 60 + sec / 3600;
  return sign === '-' ? -v : v;
}

function parseRa(token: string): number | null {
  const d = DECIMAL.exec(token);
  if (d) return Number(d[1]);
  const h = sexagesimal(token, true);
  return h === null ? null : h * 15;
}

function parseDec(token: string): number | null {
  const d = DECIMAL.exec(token);
  if (d) return Number(d[1]);
  return sexagesimal(token, false);
}

/** Radius in degrees: arcminutes by default. */
function parseRadius(token: string): number | null {
  const m = RADIUS.exec(token);
  if (!m) return null;
  const v = Number(m[1]);
  const unit = (m[2] ?? "'").toLowerCase();
  if (unit === '"' || unit === "''" || unit === '″' || unit === 's' || unit === 'arcsec') return v / 3600;
  if (unit === 'd' || unit === 'deg' || unit === '°') return v;
  return v / 60;
}

function cone(ra: number | null, dec: number | null, radius: number | null, radiusGiven: boolean): ParsedQuery | null {
  if (ra === null || dec === null || radius === null) return null;
  if (!(ra >= 0 && ra < 360))
    return {
      kind: 'error',
      message: `RA ${ra}° is outside 0-360° (RA in hours needs h/m/s or colons: 2h42m40s, 02:42:40)`,
    };
  if (!(dec >= -90 && dec <= 90)) return { kind: 'error', message: `Dec ${dec}° is outside -90° to +90°` };
  if (!(radius > 0 && radius <= 180))
    return {
      kind: 'error',
      message: 'the radius must be more than 0 and at most 180°',
    };
  return { kind: 'cone', ra, dec, radius, radiusGiven };
}

export function parseQuery(input: string): ParsedQuery {
  const text = input.trim();
  if (!text) return { kind: 'all' };
  const tokens = text.replace(/,/g, ' ').split(/\s+/);
  // Units written apart from their number ("2 arcmin") belong to the radius.
  if (tokens.length >= 2 && /^(arcsec|arcmin|deg|["'″′])$/i.test(tokens[tokens.length - 1])) {
    const unit = tokens.pop()!;
    tokens[tokens.length - 1] += unit;
  }
  const r = DEFAULT_RADIUS_ARCMIN / 60;
  if (tokens.length === 2 || tokens.length === 3) {
    const parsed = cone(parseRa(tokens[0]), parseDec(tokens[1]), tokens.length === 3 ? parseRadius(tokens[2]) : r, tokens.length === 3);
    if (parsed) return parsed;
  }
  // "02 42 40.7 -00 00 47.8 [radius]": six sexagesimal fields separated by spaces.
  if ((tokens.length === 6 || tokens.length === 7) && tokens.slice(0, 6).every((t) => /^[+-]?\d+(\.\d*)?$/.test(t))) {
    const ra = sexagesimal(tokens.slice(0, 3).join(':'), true);
    const dec = sexagesimal(tokens.slice(3, 6).join(':'), false);
    const parsed = cone(ra === null ? null : ra * 15, dec, tokens.length === 7 ? parseRadius(tokens[6]) : r, tokens.length === 7);
    if (parsed) return parsed;
  }
  return { kind: 'name', name: text };
}

const pad = (n: number, w: number) => String(n).padStart(w, '0');

/** `02h42m40.71s` */
export function formatRa(deg: number): string {
  let cs = Math.round(((((deg % 360) + 360) % 360) / 15) * 3600 * 100);
  if (cs >= 24 * 3600 * 100) cs = 0;
  const h = Math.floor(cs / 360000);
  const m = Math.floor((cs % 360000) / 6000);
  const s = (cs % 6000) / 100;
  return `${pad(h, 2)}h${pad(m, 2)}m${s.toFixed(2).padStart(5, '0')}s`;
}

/** `−00°00′47.8″` (a real minus sign) */
export function formatDec(deg: number): string {
  const ds = Math.round(Math.abs(deg) * 36000);
  const d = Math.floor(ds / 36000);
  const m = Math.floor((ds % 36000) / 600);
  const s = (ds % 600) / 10;
  return `${deg < 0 ? '−' : '+'}${pad(d, 2)}°${pad(m, 2)}′${s.toFixed(1).padStart(4, '0')}″`;
}

/** An angle in degrees as ″, ′ or ° with sensible precision. */
export function formatAngle(deg: number): string {
  const arcsec = deg * 3600;
  if (arcsec < 60) return `${arcsec.toFixed(arcsec < 10 ? 2 : 1)}″`;
  if (arcsec < 3600) return `${(arcsec / 60).toFixed(2)}′`;
  return `${deg.toFixed(2)}°`;
}

/** MJD (UTC) at the start of a `YYYY-MM-DD` day, or null. */
export function dateToMjd(date: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return null;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return Number.isFinite(ms) ? ms / 86_400_000 + 40_587 : null;
}

/** `YYYY-MM-DD` of an MJD. */
export function mjdToDate(mjd: number): string {
  return new Date((mjd - 40_587) * 86_400_000).toISOString().slice(0, 10);
}
