/**
 * What a record says in ObsCore 1.1's terms, worked out in the analysis thread with the rest of
 * the file's analysis (README, "What a record says"): product type, calibration level, facility
 * and instrument, spectral coverage in metres, time span in MJD, field of view, and the sky
 * index (src/sky): the centre's HEALPix id and the footprint's pixel ranges (a MOC).
 * obs_id (survey/release/path) is put together by the write statements, which know the names.
 */
import type { CardValue, FileKind, FitsIssue, SkyPosition } from '../../fits/types.js';
import { observationTime } from '../../fits/time.js';
import { STORE_ORDER, ang2pixNest, coneRanges, convexPolygon, polygonMoc, smallestEnclosingCircle, type ConvexPolygon, type PixelRange } from '../../sky/index.js';
import { terminalOrderFor } from '../../sky/coverage.js';

/**
 * How many orders coarser than src/sky's default the footprint search stops refining. The
 * default (pixels 1/32 of the footprint's radius) cost ~280 us per footprint in the analysis
 * threads, more than the rest of an image's analysis (bench: images 4,700 -> 1,200 files/s).
 * Each order coarser roughly halves the pixels judged and doubles the excess area: for the
 * bench's 23" images, 2 orders judge ~290 pixels and cover 1.8x the footprint's area in ~17
 * ranges, 3 orders ~170 pixels, 2.9x, ~10 ranges (4: ~110, 5.6x). In the bench, where an
 * analysis thread sees ~150 images, most of that code still runs unoptimised (~5x slower than
 * once V8 has compiled it), so the pixel count is the cost. Still a superset, so searches stay
 * complete; the exact test drops the rest (test/sky/footprint-coverage.test.ts).
 */
const COARSER_ORDERS = 3;

export interface ObsCoreFields {
  dataproductType: string;
  calibLevel: number | null;
  facilityName: string | null;
  instrumentName: string | null;
  emMin: number | null;
  emMax: number | null;
  tMin: number | null;
  tMax: number | null;
  tExptime: number | null;
  /** Degrees. */
  fov: number | null;
  hpx: number | null;
  /** int8multirange text, '{[a,b),...}'. */
  coverage: string | null;
}

/** ObsCore dataproduct_type per kind; catalogues are `measurements`, blobs `other`. */
export const DATAPRODUCT_TYPE: Readonly<Record<FileKind, string>> = {
  SPECTRUM: 'spectrum',
  IFS_CUBE: 'cube',
  IMAGE: 'image',
  CATALOGUE: 'measurements',
  BLOB: 'other',
};

/**
 * calib_level when the release's rules do not say: survey releases publish calibrated, science
 * ready spectra, cubes and images (2); a catalogue holds measurements made on them (4, analysis
 * products); a blob could be anything (unknown).
 */
export const DEFAULT_CALIB_LEVEL: Readonly<Record<FileKind, number | null>> = {
  SPECTRUM: 2,
  IFS_CUBE: 2,
  IMAGE: 2,
  CATALOGUE: 4,
  BLOB: null,
};

const NO_KEYWORDS: ReadonlyMap<string, CardValue> = new Map();

export interface ObsCoreInput {
  kind: FileKind;
  /** From the release's rules, else null. */
  calibLevel: number | null;
  /** The data HDU's keywords over the primary's; none for CSV and unreadable FITS. */
  keywords?: ReadonlyMap<string, CardValue>;
  center: SkyPosition | null;
  footprint: SkyPosition[] | null;
  /** The spectral range as wavelengths in metres (fits/wcs: emRange). */
  emRange: { min: number; max: number } | null;
}

export function obscoreFields(input: ObsCoreInput, issues: FitsIssue[]): ObsCoreFields {
  const keywords = input.keywords ?? NO_KEYWORDS;
  const time = observationTime(keywords);
  // One object of one shape per record (no spread of a second one): ~0.5 us a spectrum.
  const fields: ObsCoreFields = {
    dataproductType: DATAPRODUCT_TYPE[input.kind],
    calibLevel: input.calibLevel ?? DEFAULT_CALIB_LEVEL[input.kind],
    facilityName: text(keywords.get('TELESCOP')),
    instrumentName: text(keywords.get('INSTRUME')),
    emMin: input.emRange?.min ?? null,
    emMax: input.emRange?.max ?? null,
    tMin: time.tMin,
    tMax: time.tMax,
    tExptime: time.tExptime,
    fov: null,
    hpx: null,
    coverage: null,
  };
  skyIndex(input.center, input.footprint, issues, fields);
  return fields;
}

/**
 * The empty answer, for files not read or without a record: the same frozen object for every
 * file of a kind and calibration level (a blob paid ~0.6 us a file building it afresh; it is
 * only read, by columns.ts).
 */
export function noObsCore(kind: FileKind, calibLevel: number | null): ObsCoreFields {
  const key = `${kind} ${calibLevel}`;
  let fields = EMPTY.get(key);
  if (!fields) {
    fields = Object.freeze(obscoreFields({ kind, calibLevel, center: null, footprint: null, emRange: null }, []));
    EMPTY.set(key, fields);
  }
  return fields;
}
const EMPTY = new Map<string, Readonly<ObsCoreFields>>();

function text(v: CardValue | undefined): string | null {
  return typeof v === 'string' ? v.trim().replace(/\s+/g, ' ') || null : null;
}

/**
 * The centre's pixel id, and the footprint's coverage and field of view. A footprint that is not
 * a convex polygon smaller than a hemisphere (a twisted WCS, corners in a line) is covered by its
 * enclosing circle instead (still a superset: searches stay complete); one that has no enclosing
 * circle either gets no coverage, with a WARNING saying the record cannot be found by footprint.
 */
function skyIndex(center: SkyPosition | null, footprint: SkyPosition[] | null, issues: FitsIssue[], out: ObsCoreFields): void {
  if (center) {
    try {
      out.hpx = ang2pixNest(STORE_ORDER, center.ra, center.dec);
    } catch {
      // Dec outside [-90, 90] or not a number: no pixel; describeWcs has said what is wrong.
    }
  }
  if (!footprint || footprint.length < 3) return;
  if (!warmed) warmCoverage();
  let fov: number | null = null;
  let ranges: PixelRange[] | null = null;
  try {
    // One preparation for both: the convex polygon carries its enclosing circle (fov).
    let polygon: ConvexPolygon | null = null;
    try {
      polygon = convexPolygon(footprint);
    } catch (err) {
      if (!(err instanceof RangeError)) throw err;
    }
    const circle = polygon ? polygon.cap : smallestEnclosingCircle(footprint);
    fov = 2 * circle.radius;
    ranges = polygon
      ? polygonMoc(polygon, { order: Math.max(0, terminalOrderFor((circle.radius * Math.PI) / 180) - COARSER_ORDERS) })
      : coneRanges(circle.ra, circle.dec, circle.radius, { maxRanges: 64 });
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
    issues.push({
      severity: 'WARNING',
      code: 'FOOTPRINT_NOT_INDEXED',
      message: `the footprint (${footprint.map((p) => `${round(p.ra)} ${round(p.dec)}`).join(', ')}) has no enclosing circle smaller than a hemisphere (${err.message}); the record cannot be found by its footprint`,
      hdu: null,
      keyword: null,
    });
    return;
  }
  out.fov = fov;
  out.coverage = multirange(ranges);
}

let warmed = false;
/** Whether this thread has warmed its coverage code (warmCoverage). */
export const coverageWarmed = (): boolean => warmed;
/** Footprints the warm-up covers: enough calls for V8 to optimise the coverage code. */
const WARM_CALLS = 200;

/**
 * Once per thread, before its first footprint: cover WARM_CALLS synthetic footprints (squares of
 * 10" to 0.2 deg at scattered positions), so that the thread's real footprints run optimised
 * code. Without it the first few hundred images of each analysis thread ran the coverage code
 * unoptimised, ~4-8x its optimised cost (bench: 300 images over 2 threads never got there).
 * Costs ~30-60 ms of CPU once per thread (the JIT work the first ~600 footprints paid otherwise), and only in threads that meet a footprint.
 */
export function warmCoverage(): void {
  warmed = true;
  const out: ObsCoreFields = { ...noObsCore('IMAGE', null) };
  let seed = 12345;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (let i = 0; i < WARM_CALLS; i++) {
    const ra = next() * 360;
    const dec = next() * 160 - 80;
    const half = [0.003, 0.006, 0.02, 0.1][i & 3];
    const dra = half / Math.cos((dec * Math.PI) / 180);
    const corners = [
      { ra: ra - dra, dec: dec - half },
      { ra: ra + dra, dec: dec - half },
      { ra: ra + dra, dec: dec + half },
      { ra: ra - dra, dec: dec + half },
    ].map((p) => ({ ra: (p.ra + 360) % 360, dec: p.dec }));
    skyIndex({ ra, dec }, corners, [], out);
  }
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

/** PostgreSQL's int8multirange text form. */
export function multirange(ranges: readonly PixelRange[]): string {
  let s = '{';
  for (let i = 0; i < ranges.length; i++) s += (i ? ',[' : '[') + decimal(ranges[i][0]) + ',' + decimal(ranges[i][1]) + ')';
  return s + '}';
}

/**
 * A pixel id (a safe integer) in decimal, from two halves below 1e8: small integers take V8's
 * fast path, ids near 3e15 its general double-to-string one (17 ranges: ~5.5 -> ~3 us).
 */
function decimal(n: number): string {
  if (n < 1e8) return '' + n;
  const hi = Math.floor(n / 1e8);
  const lo = '' + (n - hi * 1e8);
  return hi + ZEROS[8 - lo.length] + lo;
}
const ZEROS = ['', '0', '00', '000', '0000', '00000', '000000', '0000000'];
