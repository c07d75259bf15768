/**
 * Header cards -> a set-up WCS (the primary description only, no alternate letters).
 * Structural problems become FitsIssues; when a problem makes coordinates unreliable the
 * relevant part (`usable`, `celestial`) is switched off rather than guessed.
 */
import type { CardValue, FitsIssue } from '../types.js';
import { CardReader } from './cards.js';
import { parseCelestialCtype, type CelestialCtype } from './celestial-types.js';
import { IssueList } from './issues.js';
import { crotaMatrix, determinant, identity, scaleRows, type Matrix } from './linear.js';
import { isProjectionCode, makeProjection, type Projection, type ProjectionParams } from './projections/index.js';
import { solveFrame, type CelestialFrame } from './rotation.js';
import { readSip, type Sip } from './sip.js';
import { SPECTRAL_DEFAULT_UNITS, isSupportedAlgorithm, parseSpectralCtype } from './spectral.js';
import { degreesPer } from './units.js';

export interface WcsAxis {
  ctype: string;
  /** CUNIT as written ('' when absent). */
  cunit: string;
  crval: number;
}

export interface CelestialWcs {
  /** 0-based axis indices of longitude and latitude. */
  lng: number;
  lat: number;
  projection: Projection;
  frame: CelestialFrame;
}

export interface SpectralWcs {
  axis: number;
  type: string;
  algorithm: string;
  /** Unit of the world values: CUNIT, or the type's FITS default. */
  unit: string;
  supported: boolean;
}

export interface Wcs {
  /** Number of WCS axes (WCSAXES, else the larger of NAXIS and the highest axis number used). */
  naxes: number;
  axes: WcsAxis[];
  crpix: number[];
  /** CRVAL, celestial ones converted to degrees. */
  crval: number[];
  /** x = matrix (p - crpix): CD, or diag(CDELT) PC; celestial rows in degrees. */
  matrix: Matrix;
  sip: Sip | null;
  celestial: CelestialWcs | null;
  spectral: SpectralWcs | null;
  /** False when a value needed by the transformation is broken (bad card, singular matrix). */
  usable: boolean;
  issues: FitsIssue[];
}

const AXIS_KEY = /^(?:CTYPE|CUNIT|CRVAL|CRPIX|CDELT|CROTA)(\d+)$/;
const MATRIX_KEY = /^(?:PC|CD)(\d+)_(\d+)$/;
const PV_KEY = /^PV(\d+)_(\d+)$/;

/**
 * The keywords that can be axis, matrix or PV keywords (all start with C or P), in map order.
 * The loops below read this short list instead of every keyword: a header's other keywords
 * (most of them) cost three regex runs and three map iterations otherwise, ~2 µs a spectrum.
 */
function axisKeyCandidates(cards: CardReader): string[] {
  const out: string[] = [];
  for (const key of cards.keys()) {
    const c = key.charCodeAt(0);
    if (c === 67 /* C */ || c === 80 /* P */) out.push(key);
  }
  return out;
}

/**
 * Most axes a WCS describes: its keywords number axes 1 to 99 (FITS 4.0 section 8.2; wcslib
 * reads no more). Also a bound on the work: the matrix set-up is cubic in the axis count, and a
 * header asking for 999 axes cost two seconds, 10^20 ran the worker out of memory.
 */
const MAX_AXES = 99;

function countAxes(cards: CardReader, axisKeys: readonly string[], naxis: number[]): number {
  const wcsaxes = cards.num('WCSAXES');
  if (wcsaxes !== undefined && Number.isInteger(wcsaxes) && wcsaxes >= 1 && wcsaxes <= MAX_AXES) return wcsaxes;
  if (wcsaxes !== undefined) cards.reject('WCSAXES', `is ${wcsaxes}; must be an integer from 1 to ${MAX_AXES}`);
  // Axes beyond the 99th (a NAXIS up to 999, a CTYPE999 card) are not WCS axes.
  let n = Math.min(naxis.length, MAX_AXES);
  for (const key of axisKeys) {
    let m = AXIS_KEY.exec(key);
    if (m) n = Math.max(n, axisNumber(m[1]));
    m = MATRIX_KEY.exec(key) ?? PV_KEY.exec(key);
    if (m) n = Math.max(n, axisNumber(m[1]), MATRIX_KEY.test(key) ? axisNumber(m[2]) : 0);
  }
  return n;
}

/** An axis number from a keyword, 0 (ignored) beyond MAX_AXES. */
function axisNumber(digits: string): number {
  const i = Number(digits);
  return i <= MAX_AXES ? i : 0;
}

function pvParams(values: Map<number, number>): ProjectionParams {
  const maxM = values.size === 0 ? -1 : Math.max(...values.keys());
  return { get: (m, d) => values.get(m) ?? d, has: (m) => values.has(m), maxM };
}

/** A PCi_j or CDi_j card (per `prefix`) with both indices within the n axes. */
function hasMatrixCard(axisKeys: readonly string[], prefix: 'PC' | 'CD', n: number): boolean {
  for (const key of axisKeys) {
    const m = MATRIX_KEY.exec(key);
    if (m && key.startsWith(prefix) && Number(m[1]) <= n && Number(m[2]) <= n) return true;
  }
  return false;
}

export function parseWcs(keywords: ReadonlyMap<string, CardValue>, naxis: number[], hdu: number): Wcs {
  const issues = new IssueList(hdu);
  const cards = new CardReader(keywords, issues);
  const axisKeys = axisKeyCandidates(cards);
  const n = countAxes(cards, axisKeys, naxis);

  const axes: WcsAxis[] = [];
  const crpix: number[] = [];
  const crval: number[] = [];
  const cdelt: number[] = [];
  for (let i = 1; i <= n; i++) {
    axes.push({ ctype: (cards.str(`CTYPE${i}`) ?? '').trim(), cunit: (cards.str(`CUNIT${i}`) ?? '').trim(), crval: 0 });
    crpix.push(cards.num(`CRPIX${i}`) ?? 0);
    crval.push(cards.num(`CRVAL${i}`) ?? 0);
    axes[i - 1].crval = crval[i - 1];
    cdelt.push(cards.num(`CDELT${i}`) ?? 1);
  }

  // --- Celestial axes -----------------------------------------------------------------------
  const cel: { idx: number; t: CelestialCtype }[] = [];
  axes.forEach((a, idx) => {
    const t = parseCelestialCtype(a.ctype);
    if (t !== null) cel.push({ idx, t });
  });
  let lng = -1;
  let lat = -1;
  let celOk = false;
  if (cel.length > 0) {
    const lons = cel.filter((c) => c.t.role === 'lon');
    const lats = cel.filter((c) => c.t.role === 'lat');
    if (lons.length === 1 && lats.length === 1 && lons[0].t.family === lats[0].t.family) {
      [lng, lat] = [lons[0].idx, lats[0].idx];
      if (lons[0].t.projection !== lats[0].t.projection) {
        issues.add('WCS_UNPAIRED_CELESTIAL', `CTYPE${lat + 1}`,
          `celestial axes use different projections (${axes[lng].ctype} / ${axes[lat].ctype})`);
      } else if (!isProjectionCode(lons[0].t.projection) && lons[0].t.projection !== 'NCP') {
        issues.add('WCS_UNKNOWN_PROJECTION', `CTYPE${lng + 1}`, `unknown projection "${lons[0].t.projection}" in ${axes[lng].ctype}`);
      } else {
        celOk = true;
      }
    } else {
      const list = cel.map((c) => `CTYPE${c.idx + 1}=${axes[c.idx].ctype}`).join(', ');
      issues.add('WCS_UNPAIRED_CELESTIAL', `CTYPE${cel[0].idx + 1}`,
        `celestial axes do not form one longitude/latitude pair (${list})`);
    }
  }
  if (lng >= 0) {
    // Celestial values must be in degrees; other angular units are converted, as wcslib does.
    for (const i of [lng, lat]) {
      const unit = axes[i].cunit;
      if (unit === '' || unit === 'deg') continue;
      const f = degreesPer(unit);
      if (f === undefined) {
        issues.add('WCS_CELESTIAL_UNIT', `CUNIT${i + 1}`, `"${unit}" is not an angle; assuming deg`);
      } else {
        issues.add('WCS_CELESTIAL_UNIT', `CUNIT${i + 1}`, `celestial axis in "${unit}", FITS requires deg; converted`);
        crval[i] *= f;
      }
    }
  }

  // --- Linear transformation ---------------------------------------------------------------------
  const hasPC = hasMatrixCard(axisKeys, 'PC', n);
  const hasCD = hasMatrixCard(axisKeys, 'CD', n);
  let matrix: Matrix;
  if (hasPC) {
    if (hasCD) {
      issues.add('WCS_CD_WITH_PC', 'CD1_1',
        'CDi_j mixed with PCi_j: wcslib (astropy) uses PCi_j with CDELTi and ignores CDi_j');
    }
    const pc = identity(n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      const v = cards.num(`PC${i + 1}_${j + 1}`);
      if (v !== undefined) pc[i][j] = v;
    }
    matrix = scaleRows(pc, cdelt);
  } else if (hasCD) {
    const cdeltGiven = axes.some((_, i) => cards.has(`CDELT${i + 1}`) && cdelt[i] !== 1);
    if (cdeltGiven) {
      issues.add('WCS_CD_WITH_PC', 'CDELT1', 'CDi_j mixed with CDELTi: CDELTi is ignored when CDi_j is present');
    }
    matrix = Array.from({ length: n }, () => new Array<number>(n).fill(0));
    const touched = new Array<boolean>(n).fill(false);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      const v = cards.num(`CD${i + 1}_${j + 1}`);
      if (v !== undefined) {
        matrix[i][j] = v;
        touched[i] = true;
        touched[j] = true;
      }
    }
    // An axis with no CD card at all gets unit scale (wcslib's cdfix, applied by astropy).
    for (let i = 0; i < n; i++) if (!touched[i]) matrix[i][i] = 1;
  } else {
    const rho = lat >= 0 ? (cards.num(`CROTA${lat + 1}`) ?? cards.num(`CROTA${lng + 1}`)) : undefined;
    const pc = lng >= 0 && rho !== undefined && rho !== 0 ? crotaMatrix(n, lng, lat, rho, cdelt) : identity(n);
    matrix = scaleRows(pc, cdelt);
  }
  if (lng >= 0) {
    for (const i of [lng, lat]) {
      const f = degreesPer(axes[i].cunit) ?? 1;
      if (f !== 1) matrix[i] = matrix[i].map((v) => v * f);
    }
  }
  const det = determinant(matrix);
  let usable = true;
  if (!(Number.isFinite(det) && det !== 0)) {
    issues.add('WCS_SINGULAR_MATRIX', hasPC ? 'PC1_1' : hasCD ? 'CD1_1' : 'CDELT1',
      'the linear transformation matrix is singular (a zero CDELT, or dependent PC/CD rows)');
    usable = false;
  }

  // --- Projection and celestial frame ---------------------------------------------------------
  let celestial: CelestialWcs | null = null;
  let sip: Sip | null = null;
  if (celOk) {
    const pv = new Map<number, number>();
    const lngPv = new Map<number, number>();
    for (const key of axisKeys) {
      const m = PV_KEY.exec(key);
      if (!m) continue;
      const v = cards.num(key);
      if (v === undefined) continue;
      if (Number(m[1]) === lat + 1) pv.set(Number(m[2]), v);
      else if (Number(m[1]) === lng + 1) lngPv.set(Number(m[2]), v);
    }
    let code = axes[lng].ctype.slice(5, 8);
    if (code === 'NCP') {
      // Legacy AIPS "north celestial pole" projection: SIN with xi = 0, eta = cot(CRVAL lat),
      // the translation wcslib's celfix applies (and so astropy).
      code = 'SIN';
      pv.set(1, 0);
      pv.set(2, crval[lat] === 0 ? Number.NaN : Math.cos((crval[lat] * Math.PI) / 180) / Math.sin((crval[lat] * Math.PI) / 180));
    }
    const prj = Number.isNaN(pv.get(2)) ? 'NCP needs a non-zero reference latitude' : makeProjection(code, pvParams(pv));
    // PVi_1/PVi_2 on the longitude axis move the fiducial point off its default: not supported.
    const movedFiducial = [1, 2].some((m) => lngPv.has(m) && lngPv.get(m) !== (m === 1 ? 0 : prj !== undefined && typeof prj !== 'string' ? prj.theta0 : 0));
    if (typeof prj === 'string' || prj === undefined) {
      issues.add('WCS_PROJECTION_PARAMETERS', `PV${lat + 1}_1`, `${code}: ${prj ?? 'unknown projection'}`);
    } else if (movedFiducial) {
      issues.add('WCS_PROJECTION_PARAMETERS', `PV${lng + 1}_1`, 'a non-default fiducial point (PVi_1/PVi_2 on the longitude axis) is not supported');
    } else {
      // LONPOLE/LATPOLE may also be given as PVi_3/PVi_4 of the longitude axis.
      const lonpole = cards.num('LONPOLE') ?? lngPv.get(3);
      const latpole = cards.num('LATPOLE') ?? lngPv.get(4);
      const frame = solveFrame(crval[lng], crval[lat], prj.phi0, prj.theta0, lonpole, latpole);
      if (typeof frame === 'string') {
        issues.add('WCS_BAD_VALUE', 'LONPOLE', frame);
        usable = false;
      } else {
        celestial = { lng, lat, projection: prj, frame };
      }
    }
    if (parseCelestialCtype(axes[lng].ctype)?.sip || parseCelestialCtype(axes[lat].ctype)?.sip) sip = readSip(cards);
  }

  // --- Spectral axis ---------------------------------------------------------------------------
  let spectral: SpectralWcs | null = null;
  for (let i = 0; i < n && spectral === null; i++) {
    const t = parseSpectralCtype(axes[i].ctype);
    if (t === null) continue;
    const supported = isSupportedAlgorithm(t.algorithm);
    if (!supported) {
      issues.add('WCS_SPECTRAL_UNSUPPORTED', `CTYPE${i + 1}`,
        `spectral algorithm "${t.algorithm}" of ${axes[i].ctype} is not supported; no spectral coordinates computed`);
    }
    spectral = { axis: i, type: t.type, algorithm: t.algorithm, unit: axes[i].cunit || SPECTRAL_DEFAULT_UNITS[t.type], supported };
  }

  if (cards.bad) usable = false;
  return { naxes: n, axes, crpix, crval, matrix, sip, celestial, spectral, usable, issues: issues.issues };
}
