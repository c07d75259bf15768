/**
 * A batch's analysis results as parallel arrays, one row per file (and per HDU, per issue):
 * the shape that crosses from the analysis threads to the main thread and the shape the write
 * statements bind (unnest arrays).
 *
 * Why not the per-file FileAnalysis objects: each one is a dozen small objects (stages, HDUs,
 * naxis arrays, record, centre, ...). Structured-cloning them cost ~6 µs per spectrum to
 * serialise in the thread and ~10 µs to deserialise on the main thread, plus the main thread's
 * garbage collection of them, and the write statements then walked them again to build their
 * arrays. As columns, a chunk of files is a few dozen arrays of numbers and strings.
 *
 * Per-file stage timings are summed here too (what the run reports), and only the slowest few
 * files are kept (what slowestFiles reports).
 */
import { concatText, emptyTextColumn, pickText, pushText, type TextColumn } from '../../db/text-column.js';
import type { AnalysisOutcome, FileAnalysis } from './types.js';

export interface SlowFile {
  path: string;
  stage: string;
  seconds: number;
}

export interface AnalysisColumns {
  files: {
    id: number[];
    outcome: AnalysisOutcome[];
    kind: string[];
    sizeBytes: number[];
    checksum: (string | null)[];
    /** The system error of a FAILED/TRANSIENT read, else null. */
    error: (string | null)[];
    /** Record columns: null / false where the file has no record (it could not be read). */
    hasRecord: boolean[];
    productType: (string | null)[];
    sourceName: (string | null)[];
    centerRa: (number | null)[];
    centerDec: (number | null)[];
    /** JSON [[ra, dec], ...] or null. */
    footprint: (string | null)[];
    spectralMin: (number | null)[];
    spectralMax: (number | null)[];
    spectralUnit: (string | null)[];
    /** JSON catalogue summary (64-bit min/max as exact decimal strings) or null. */
    catalogue: (string | null)[];
    /** ObsCore-shaped columns and the sky index (obscore.ts); null where there is no record. */
    dataproductType: (string | null)[];
    calibLevel: (number | null)[];
    facilityName: (string | null)[];
    instrumentName: (string | null)[];
    emMin: (number | null)[];
    emMax: (number | null)[];
    tMin: (number | null)[];
    tMax: (number | null)[];
    tExptime: (number | null)[];
    fov: (number | null)[];
    hpx: (number | null)[];
    /** int8multirange text or null. */
    coverage: (string | null)[];
  };
  hdus: {
    fileId: number[];
    index: number[];
    type: string[];
    bitpix: (number | null)[];
    naxis: string[];
    /** Packed headers, already in the form the hdus insert binds (db/text-column.ts). */
    header: TextColumn;
  };
  issues: {
    fileId: number[];
    severity: string[];
    code: string[];
    message: string[];
    hdu: (number | null)[];
    keyword: (string | null)[];
  };
  /** Seconds per stage, summed over the files. */
  stages: Record<string, number>;
  /** The slowest files, slowest first (at most SLOWEST). */
  slowest: SlowFile[];
}

/** Slowest files kept per chunk and per batch. */
export const SLOWEST = 5;

export function emptyColumns(): AnalysisColumns {
  return {
    files: {
      id: [],
      outcome: [],
      kind: [],
      sizeBytes: [],
      checksum: [],
      error: [],
      hasRecord: [],
      productType: [],
      sourceName: [],
      centerRa: [],
      centerDec: [],
      footprint: [],
      spectralMin: [],
      spectralMax: [],
      spectralUnit: [],
      catalogue: [],
      dataproductType: [],
      calibLevel: [],
      facilityName: [],
      instrumentName: [],
      emMin: [],
      emMax: [],
      tMin: [],
      tMax: [],
      tExptime: [],
      fov: [],
      hpx: [],
      coverage: [],
    },
    hdus: {
      fileId: [],
      index: [],
      type: [],
      bitpix: [],
      naxis: [],
      header: emptyTextColumn(),
    },
    issues: {
      fileId: [],
      severity: [],
      code: [],
      message: [],
      hdu: [],
      keyword: [],
    },
    stages: {},
    slowest: [],
  };
}

/** Appends one file's analysis (in the thread, or for files given up on). */
export function appendAnalysis(c: AnalysisColumns, a: FileAnalysis): void {
  const f = c.files;
  const r = a.record;
  f.id.push(a.id);
  f.outcome.push(a.outcome);
  f.kind.push(a.kind);
  f.sizeBytes.push(a.sizeBytes);
  f.checksum.push(a.checksum);
  f.error.push(a.error ?? null);
  f.hasRecord.push(r !== null);
  f.productType.push(r?.productType ?? null);
  f.sourceName.push(r?.sourceName ?? null);
  f.centerRa.push(r?.center?.ra ?? null);
  f.centerDec.push(r?.center?.dec ?? null);
  f.footprint.push(r?.footprint ? JSON.stringify(r.footprint.map((p) => [p.ra, p.dec])) : null);
  f.spectralMin.push(r?.spectralRange?.min ?? null);
  f.spectralMax.push(r?.spectralRange?.max ?? null);
  f.spectralUnit.push(r?.spectralRange?.unit ?? null);
  f.catalogue.push(r?.catalogue ? JSON.stringify(r.catalogue, jsonSafe) : null);
  const o = r?.obscore;
  f.dataproductType.push(o?.dataproductType ?? null);
  f.calibLevel.push(o?.calibLevel ?? null);
  f.facilityName.push(o?.facilityName == null ? null : noNul(o.facilityName));
  f.instrumentName.push(o?.instrumentName == null ? null : noNul(o.instrumentName));
  f.emMin.push(o?.emMin ?? null);
  f.emMax.push(o?.emMax ?? null);
  f.tMin.push(o?.tMin ?? null);
  f.tMax.push(o?.tMax ?? null);
  f.tExptime.push(o?.tExptime ?? null);
  f.fov.push(o?.fov ?? null);
  f.hpx.push(o?.hpx ?? null);
  f.coverage.push(o?.coverage ?? null);
  for (const h of a.hdus) {
    c.hdus.fileId.push(a.id);
    c.hdus.index.push(h.index);
    c.hdus.type.push(h.type);
    c.hdus.bitpix.push(h.bitpix);
    c.hdus.naxis.push(`{${h.naxis.join(',')}}`);
    pushText(c.hdus.header, noNul(h.header));
  }
  for (const i of a.issues) {
    c.issues.fileId.push(a.id);
    c.issues.severity.push(i.severity);
    c.issues.code.push(i.code);
    c.issues.message.push(noNul(i.message));
    c.issues.hdu.push(i.hdu);
    c.issues.keyword.push(i.keyword === null ? null : noNul(i.keyword));
  }
  let total = 0;
  let top = 'read';
  let topSeconds = 0;
  for (const stage in a.stages) {
    const s = a.stages[stage];
    c.stages[stage] = (c.stages[stage] ?? 0) + s;
    total += s;
    if (s > topSeconds) {
      top = stage;
      topSeconds = s;
    }
  }
  keepSlowest(c.slowest, {
    path: a.path,
    stage: top,
    seconds: Math.round(total * 1e6) / 1e6,
  });
}

/** All parts' rows, in order; stage sums added; the slowest of all kept. */
export function concatColumns(parts: AnalysisColumns[]): AnalysisColumns {
  const out = emptyColumns();
  for (const p of parts) {
    appendRows(out.files, p.files);
    const { header: _header, ...hdus } = p.hdus;
    appendRows(out.hdus, hdus);
    appendRows(out.issues, p.issues);
    for (const stage in p.stages) out.stages[stage] = (out.stages[stage] ?? 0) + p.stages[stage];
    for (const s of p.slowest) keepSlowest(out.slowest, s);
  }
  out.hdus.header = concatText(parts.map((p) => p.hdus.header));
  return out;
}

/** Only the files for which `keep(fileId)` holds, with their HDUs and issues. */
export function filterFiles(c: AnalysisColumns, keep: (fileId: number) => boolean): AnalysisColumns {
  const { header, ...hdus } = c.hdus;
  const keepHdu = c.hdus.fileId.map(keep);
  return {
    files: pickRows(c.files, c.files.id.map(keep)),
    hdus: { ...pickRows(hdus, keepHdu), header: pickText(header, keepHdu) },
    issues: pickRows(c.issues, c.issues.fileId.map(keep)),
    stages: c.stages,
    slowest: c.slowest,
  };
}

type Table = Record<string, unknown[]>;

function appendRows<T extends Table>(into: T, from: T): void {
  for (const k in from) {
    const dst = into[k];
    for (const v of from[k]) dst.push(v);
  }
}

function pickRows<T extends Table>(t: T, mask: boolean[]): T {
  const out = {} as Table;
  for (const k in t) out[k] = t[k].filter((_v, i) => mask[i]);
  return out as T;
}

function keepSlowest(list: SlowFile[], s: SlowFile): void {
  if (list.length >= SLOWEST && s.seconds <= list[list.length - 1].seconds) return;
  let i = list.length;
  while (i > 0 && list[i - 1].seconds < s.seconds) i--;
  list.splice(i, 0, s);
  if (list.length > SLOWEST) list.pop();
}

/**
 * PostgreSQL text cannot hold NUL. A header with NUL bytes is already an ERROR
 * (FITS_ILLEGAL_CHARACTER); storing it with U+FFFD in their place keeps every other byte.
 */
function noNul(s: string): string {
  return s.includes('\0') ? s.replace(/\0/g, '\uFFFD') : s;
}

/**
 * Catalogue min/max may be bigint (64-bit columns): keep them exact as decimal strings.
 * jsonb cannot hold NUL, which a FITS string column may contain.
 */
function jsonSafe(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'string' && value.includes('\0')) return value.replace(/\0/g, '\uFFFD');
  return value;
}
