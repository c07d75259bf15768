/**
 * When an observation was made, from its FITS header: ObsCore's t_min / t_max (MJD, UTC) and
 * t_exptime (seconds). Pure: keywords in, numbers out.
 *
 * Start: MJD-OBS, else DATE-OBS (or DATE-BEG). End: MJD-END, else DATE-END, else the start plus
 * TELAPSE (elapsed time), else plus EXPTIME (or XPOSURE, EXPOSURE), else the start itself (an instant).
 * FITS (Rots et al. 2015) gives these in the scale TIMESYS names; without one UTC is assumed.
 * TT, TDB and TCG are treated as TT (within 2 ms of it near the Earth), GPS as TAI - 19 s, and
 * everything is returned as UTC: UTC = TAI - (TAI - UTC), with TAI = TT - 32.184 s and TAI - UTC
 * from the IERS table below (37 s since 2017-01-01). Before 1972 (when UTC had rubber seconds)
 * the 1972 value of 10 s is used: an approximation of up to ~10 s for older data. A leap second
 * announced after this table was written is not known here: times after it are off by 1 s.
 */
import type { CardValue } from './types.js';

/** Days from the MJD epoch (1858-11-17T00:00 UTC) to the Unix epoch. */
const MJD_UNIX_EPOCH = 40587;
const DAY_MS = 86_400_000;
const TT_MINUS_TAI = 32.184;

/** [MJD (UTC) from which it holds, TAI - UTC in seconds], IERS Bulletin C, 1972-2017. */
const LEAP_SECONDS: ReadonlyArray<readonly [number, number]> = [
  [41317, 10], [41499, 11], [41683, 12], [42048, 13], [42413, 14], [42778, 15], [43144, 16],
  [43509, 17], [43874, 18], [44239, 19], [44786, 20], [45151, 21], [45516, 22], [46247, 23],
  [47161, 24], [47892, 25], [48257, 26], [48804, 27], [49169, 28], [49534, 29], [50083, 30],
  [50630, 31], [51179, 32], [53736, 33], [54832, 34], [56109, 35], [57204, 36], [57754, 37],
];

export interface ObservationTime {
  /** MJD (UTC). */
  tMin: number | null;
  tMax: number | null;
  /** Seconds. */
  tExptime: number | null;
}

/** TAI - UTC in seconds at an MJD (UTC); 10 s before 1972 (see above). */
export function taiMinusUtc(mjdUtc: number): number {
  let offset = LEAP_SECONDS[0][1];
  for (const [from, seconds] of LEAP_SECONDS) {
    if (mjdUtc >= from) offset = seconds;
    else break;
  }
  return offset;
}

/** Seconds to add to a time in `timesys` to get TAI, or null for a scale we do not convert. */
function toTaiSeconds(timesys: string): number | null {
  switch (timesys) {
    case 'TAI':
    case 'IAT':
      return 0;
    case 'TT':
    case 'TDT':
    case 'ET':
    case 'TDB':
    case 'TCG':
      return -TT_MINUS_TAI;
    case 'GPS':
      return 19;
    default:
      return null;
  }
}

/**
 * An MJD in the scale `timesys` as an MJD in UTC, or null for a scale that is not supported
 * (local or barycentric coordinate times other than TDB, e.g. TCB, LOCAL).
 */
export function mjdToUtc(mjd: number, timesys: string): number | null {
  const sys = timesys.trim().toUpperCase() || 'UTC';
  if (sys === 'UTC' || sys === 'GMT' || sys === 'UT' || sys === 'UT1') return mjd;
  const toTai = toTaiSeconds(sys);
  if (toTai === null) return null;
  const tai = mjd + toTai / 86400;
  // The offset at the UTC instant; evaluated at tai - offset, which lands on the same side of a
  // leap second except within the leap second itself.
  const offset = taiMinusUtc(tai - taiMinusUtc(tai) / 86400);
  return tai - offset / 86400;
}

/**
 * A FITS date string as an MJD in its own scale: "YYYY-MM-DD", "YYYY-MM-DDThh:mm:ss[.s...]"
 * (an optional trailing "Z"), or the pre-2000 "DD/MM/YY" (19YY). Null when it is not one of those
 * or not a real calendar date.
 */
export function parseFitsDate(value: string): number | null {
  const s = value.trim();
  const iso = isoDate(s);
  if (iso !== undefined) return iso;
  let m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(\.\d*)?)?)?Z?$/.exec(s);
  let year: number, month: number, day: number;
  let hour = 0, minute = 0, second = 0, fraction = 0;
  if (m) {
    [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (m[4] !== undefined) {
      hour = Number(m[4]);
      minute = Number(m[5]);
      second = m[6] === undefined ? 0 : Number(m[6]);
      fraction = m[7] === undefined || m[7] === '.' ? 0 : Number(m[7]);
    }
  } else {
    m = /^(\d{2})\/(\d{2})\/(\d{2})$/.exec(s);
    if (!m) return null;
    [day, month, year] = [Number(m[1]), Number(m[2]), 1900 + Number(m[3])];
  }
  // 60 s: a leap second (23:59:60) is a real UTC time.
  if (month < 1 || month > 12 || day < 1 || hour > 24 || minute > 59 || second > 60) return null;
  const ms = Date.UTC(year, month - 1, day);
  // Date.UTC rolls 2023-02-30 over to March: not a date.
  if (new Date(ms).getUTCDate() !== day) return null;
  // Whole days and seconds apart, so the fraction of a second keeps its digits.
  return ms / DAY_MS + MJD_UNIX_EPOCH + (hour * 3600 + minute * 60 + second + fraction) / 86400;
}

/** Days in each month of a common year; February gains one in a leap year. */
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const ZERO = 48;

/** The digits at s[at], s[at + 1] as a number, or -1 if either is not a digit. */
function two(s: string, at: number): number {
  const a = s.charCodeAt(at) - ZERO, b = s.charCodeAt(at + 1) - ZERO;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/**
 * parseFitsDate's common forms read character by character, the way nearly every header
 * writes them ("YYYY-MM-DD" and "YYYY-MM-DDThh:mm:ss[.s...]", optional "Z"): the same MJD as
 * the general path below, without a RegExp match, its arrays and a Date per header (a few us
 * of each spectrum's analysis). Undefined for anything else, which the general path decides;
 * years before 100 go there too, where Date.UTC reads them as 19YY.
 */
function isoDate(s: string): number | null | undefined {
  const n = s.length;
  const end = s.charCodeAt(n - 1) === 90 /* Z */ ? n - 1 : n;
  if (end !== 10 && end < 19) return undefined;
  const y1 = two(s, 0), y2 = two(s, 2), month = two(s, 5), day = two(s, 8);
  if (y1 < 0 || y2 < 0 || month < 0 || day < 0 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return undefined;
  const year = y1 * 100 + y2;
  if (year < 100) return undefined;
  let seconds = 0;
  if (end > 10) {
    if (s.charCodeAt(10) !== 84 /* T */ || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return undefined;
    const hour = two(s, 11), minute = two(s, 14), second = two(s, 17);
    if (hour < 0 || minute < 0 || second < 0) return undefined;
    let fraction = 0;
    if (end > 19) {
      if (s.charCodeAt(19) !== 46 /* . */) return undefined;
      for (let i = 20; i < end; i++) {
        const c = s.charCodeAt(i) - ZERO;
        if (c < 0 || c > 9) return undefined;
      }
      // Number() of the same characters as the general path: the same double.
      if (end > 20) fraction = Number(s.slice(19, end));
    }
    // 60 s: a leap second (23:59:60) is a real UTC time.
    if (hour > 24 || minute > 59 || second > 60) return null;
    seconds = hour * 3600 + minute * 60 + second + fraction;
  }
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (month < 1 || month > 12 || day < 1 || day > MONTH_DAYS[month - 1] + (month === 2 && leap ? 1 : 0)) return null;
  return civilDays(year, month, day) + MJD_UNIX_EPOCH + seconds / 86400;
}

/** Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function civilDays(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  return era * 146097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719468;
}

function num(v: CardValue | undefined): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function str(v: CardValue | undefined): string | null {
  return typeof v === 'string' && v.trim() !== '' ? v : null;
}

/** MJD (own scale) from an MJD keyword, else a date keyword. */
function mjdFrom(keywords: ReadonlyMap<string, CardValue>, mjdKey: string, dateKeys: readonly string[]): number | null {
  const mjd = num(keywords.get(mjdKey));
  if (mjd !== null) return mjd;
  for (const key of dateKeys) {
    const s = str(keywords.get(key));
    if (s !== null) {
      const d = parseFitsDate(s);
      if (d !== null) return d;
    }
  }
  return null;
}

/** t_min, t_max (MJD, UTC) and t_exptime (s) from a header's keywords (see the module comment). */
export function observationTime(keywords: ReadonlyMap<string, CardValue>): ObservationTime {
  const exptime = num(keywords.get('EXPTIME')) ?? num(keywords.get('XPOSURE')) ?? num(keywords.get('EXPOSURE'));
  const tExptime = exptime !== null && exptime >= 0 ? exptime : null;
  const timesys = str(keywords.get('TIMESYS')) ?? 'UTC';
  const start = mjdFrom(keywords, 'MJD-OBS', ['DATE-OBS', 'DATE-BEG']);
  const tMin = start === null ? null : mjdToUtc(start, timesys);
  if (tMin === null) return { tMin: null, tMax: null, tExptime };
  const end = mjdFrom(keywords, 'MJD-END', ['DATE-END']);
  let tMax = end === null ? null : mjdToUtc(end, timesys);
  if (tMax === null || tMax < tMin) {
    const elapsed = num(keywords.get('TELAPSE'));
    const seconds = elapsed !== null && elapsed >= 0 ? elapsed : tExptime;
    tMax = seconds === null ? tMin : tMin + seconds / 86400;
  }
  return { tMin, tMax, tExptime };
}
