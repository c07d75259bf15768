/**
 * The thread side of a load: plan a file's tables, then stream one table's rows as binary COPY
 * chunks. Rows come from the streamed row iterators (src/fits/table/rows.ts readRows,
 * src/catalogue/csv.ts readCsvRecords), one ~1 MiB chunk of rows at a time, so memory stays
 * flat whatever the table's size. The HEALPix index of each row's position is computed here.
 */
import path from 'node:path';
import { readStructure } from '../fits/structure.js';
import { readTableLayout, readRows, type TableColumn } from '../fits/table/index.js';
import type { ByteSource, HduInfo } from '../fits/types.js';
import { ang2pixNest, STORE_ORDER } from '../sky/index.js';
import { CSV_ISSUE, readCsvRecords, summarizeCsv } from './csv.js';
import { ColumnStats, type ColumnStatsOut } from './column-stats.js';
import { CopyWriter, LoadProblem, writeField } from './copy-binary.js';
import { LOAD_ISSUE, planCsvTable, planFitsTable, type CatalogueRules, type TablePlan } from './plan.js';

export type CatalogueFormat = 'fits' | 'csv';

export function formatOf(src: ByteSource): CatalogueFormat {
  return src.size >= 2880 && Buffer.from(src.read(0, 9)).toString('latin1') === 'SIMPLE  =' ? 'fits' : 'csv';
}

const TABLE_TYPES = new Set(['BINTABLE', 'TABLE']);

/** Every table of the file, planned. A tile-compressed image is not a catalogue table. */
export function planFile(src: ByteSource, relPath: string, rules: CatalogueRules): TablePlan[] {
  const base = path.basename(relPath).replace(/\.(fits?|fit|fts|csv)(\.gz)?$/i, '');
  if (formatOf(src) === 'csv') {
    const summary = summarizeCsv(src);
    const plan = planCsvTable(summary.columns.map((c) => c.name), summary.columns.map((c) => c.type), summary.rowCount, base, rules);
    const broken = summary.issues.find((i) => i.code === CSV_ISSUE.RAGGED_ROW || i.code === CSV_ISSUE.UNTERMINATED_QUOTE || (i.code === CSV_ISSUE.NO_HEADER && summary.columns.length === 0));
    if (broken && !plan.rejected) {
      plan.rejected = { severity: 'ERROR', code: LOAD_ISSUE.RAGGED, message: `${broken.message}; the table is not loaded`, keyword: null };
    }
    return [plan];
  }
  const tables = readStructure(src).hdus.filter(isTable);
  return tables.map((hdu) => {
    const { layout } = readTableLayout(hdu);
    return planFitsTable(hdu, layout.columns, layout.tfields, layout.rowCount, base, tables.length, rules);
  });
}

function isTable(hdu: HduInfo): boolean {
  return TABLE_TYPES.has(hdu.type.trim().toUpperCase()) && hdu.keywords.get('ZIMAGE') !== true;
}

/**
 * The table's rows as COPY (FORMAT binary) chunks of about `chunkBytes`, header first and
 * trailer last. `_row` (1-based) leads every row, `_hpx` follows when the table has a position.
 */
export interface EncodedTable {
  rows: number;
  stats: ColumnStatsOut[];
}

export function* encodeTable(src: ByteSource, plan: TablePlan, chunkBytes = 1 << 20): Generator<Uint8Array, EncodedTable, undefined> {
  const w = new CopyWriter(chunkBytes);
  w.header();
  const { sources, columns, raCell, decCell } = plan;
  const sky = raCell !== null && decCell !== null;
  const fieldCount = 1 + (sky ? 1 : 0) + sources.length;
  let rowNumber = 0;
  const stats = sources.map((s) => new ColumnStats(!s.array));
  let rawView: DataView<ArrayBufferLike> = new DataView(new ArrayBuffer(0));
  // FITS fields whose bytes already are PostgreSQL's binary form (see rawFields), copied as
  // they are; `rawRow`/`rawPos` locate the current row's bytes when there are any.
  let raw: Array<RawField | null> = sources.map(() => null);
  let rawRow: Uint8Array = new Uint8Array(0);
  let rawPos = 0;
  // `where`: the CSV line (csv) or nothing (FITS: the row number says it); no closure per row.
  const isCsv = formatOf(src) === 'csv';
  const writeRow = (cells: readonly unknown[], csvLine: number): void => {
    rowNumber++;
    w.int16(fieldCount);
    w.ensure(12);
    w.buf.writeInt32BE(8, w.pos);
    w.buf.writeInt32BE(Math.floor(rowNumber / 4294967296), w.pos + 4);
    w.buf.writeUInt32BE(rowNumber % 4294967296, w.pos + 8);
    w.pos += 12;
    if (sky) {
      const ra = cells[raCell] as number | null;
      const dec = cells[decCell] as number | null;
      if (typeof ra === 'number' && typeof dec === 'number' && Number.isFinite(ra) && dec >= -90 && dec <= 90) {
        const pix = ang2pixNest(STORE_ORDER, ((ra % 360) + 360) % 360, dec);
        w.ensure(12);
        w.buf.writeInt32BE(8, w.pos);
        const hi = Math.floor(pix / 4294967296);
        w.buf.writeInt32BE(hi, w.pos + 4);
        w.buf.writeUInt32BE(pix - hi * 4294967296, w.pos + 8);
        w.pos += 12;
      } else w.nullField();
    }
    for (let c = 0; c < sources.length; c++) {
      const f = raw[c];
      if (f !== null) {
        stats[c].add(copyRaw(w, rawView, rawPos + f.offset, f));
        continue;
      }
      const s = sources[c];
      const cell = cells[s.cell];
      stats[c].add(s.array || s.part === null || cell === null || cell === undefined ? cell : (cell as Record<string, unknown>)[s.part]);
      if (!writeField(w, s, cells[s.cell])) {
        throw new LoadProblem(LOAD_ISSUE.VALUE_OVERFLOW, `column '${columns[c].name}': the value ${show(cells[s.cell])} at ${isCsv ? `CSV line ${csvLine}` : `row ${rowNumber}`} does not fit its type ${columns[c].type}; the table is not loaded`, columns[c].name);
      }
    }
  };

  if (isCsv) {
    const convert = plan.sources.map((s) => (CSV_CONVERT[s.scalar] ?? CSV_CONVERT.text)!);
    let header = true;
    for (const rec of readCsvRecords(src)) {
      if (header) {
        header = false;
        // A file without a header line has its first record as data (csv.ts names the columns col<n>).
        if (!rec.fields.every((f) => FLOAT.test(f.trim()))) continue;
      }
      const cells = rec.fields.map((f, i) => (i < convert.length ? convert[i](f) : null));
      writeRow(cells, rec.line);
      if (w.full) yield w.take();
    }
  } else {
    const hdu = readStructure(src).hdus[plan.hdu];
    const { layout } = readTableLayout(hdu);
    raw = rawFields(plan, layout.columns);
    // The row iterator decodes only the cells the raw copy does not cover (and RA/Dec for _hpx).
    const needed = new Set<number>(sources.filter((_s, c) => raw[c] === null).map((s) => s.cell));
    if (sky) needed.add(raCell).add(decCell);
    const keep = [...needed].sort((a, b) => a - b);
    const at = new Map(keep.map((cell, i) => [cell, i]));
    const cells: unknown[] = new Array(layout.columns.length).fill(null);
    const anyRaw = raw.some((f) => f !== null);
    const reduced = { ...layout, columns: keep.map((cell) => layout.columns[cell]) };
    const rowBytes = layout.rowBytes;
    for (const batch of readRows(src, hdu, { chunkBytes, layout: reduced })) {
      const n = batch.rows.length;
      if (anyRaw) {
        rawRow = src.read(hdu.dataStart + batch.firstRow * rowBytes, n * rowBytes);
        rawView = new DataView(rawRow.buffer, rawRow.byteOffset, rawRow.byteLength);
      }
      for (let r = 0; r < n; r++) {
        const decoded = batch.rows[r];
        for (const cell of keep) cells[cell] = decoded[at.get(cell)!];
        rawPos = r * rowBytes;
        writeRow(cells, 0);
        if (w.full) yield w.take();
      }
    }
  }
  w.trailer();
  yield w.take();
  return { rows: rowNumber, stats: stats.map((x) => x.out()) };
}

function show(v: unknown): string {
  const s = typeof v === 'string' ? `'${v}'` : typeof v === 'bigint' ? v.toString() : JSON.stringify(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

const FLOAT = /^[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|nan|inf|infinity)$/i;

/** CSV text -> the value of the column's inferred type (csv.ts's literal forms); blank -> null. */
const CSV_CONVERT: Partial<Record<string, (raw: string) => unknown>> = {
  boolean: (raw) => {
    const t = raw.trim().toLowerCase();
    return t === '' ? null : t === 't' || t === 'true' ? true : t === 'f' || t === 'false' ? false : raw;
  },
  bigint: (raw) => {
    const t = raw.trim();
    if (t === '') return null;
    if (!/^[+-]?\d+$/.test(t)) return raw;
    const b = BigInt(t);
    return b >= BigInt(Number.MIN_SAFE_INTEGER) && b <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(b) : b;
  },
  'double precision': (raw) => {
    const t = raw.trim();
    if (t === '') return null;
    if (!FLOAT.test(t)) return raw;
    if (/nan$/i.test(t)) return null;
    return Number(/inf(inity)?$/i.test(t) ? t.replace(/inf(inity)?$/i, 'Infinity') : t);
  },
  text: (raw) => (raw.trim() === '' ? null : raw),
};

interface RawField {
  /** Byte offset in the row. */
  offset: number;
  width: 2 | 4 | 8;
  /** Floating point: a NaN (any payload) is NULL. */
  float: boolean;
}

/**
 * Columns whose stored bytes are their PostgreSQL binary value (both big-endian, two's
 * complement / IEEE): scalar I, J, K, E, D without TNULL, TSCAL or TZERO. Copying them skips
 * decoding into JavaScript values and encoding back (most of a GALAH-shaped table's cells).
 */
function rawFields(plan: TablePlan, columns: TableColumn[]): Array<RawField | null> {
  return plan.sources.map((s) => {
    const col = columns[s.cell];
    if (!col || col.kind !== 'binary' || s.array || s.part !== null || col.repeat !== 1 || col.code !== col.element) return null;
    if (col.tnull !== null || col.scale !== 1 || Number(col.zero) !== 0) return null;
    const width = ({ I: 2, J: 4, K: 8, E: 4, D: 8 } as const)[col.code as 'I' | 'J' | 'K' | 'E' | 'D'];
    if (!width) return null;
    return { offset: col.offset, width, float: col.code === 'E' || col.code === 'D' };
  });
}

/**
 * Copies the field into the COPY stream; returns its value (null for NaN) for the statistics.
 * Through DataViews (one big-endian read, one write), not byte by byte: a GALAH-shaped table is
 * 180 of these per row, and this was half the load thread's CPU. A float goes through a
 * JavaScript number unchanged: every float32/float64 but NaN round-trips exactly (-0 too), and
 * NaN is written as NULL.
 */
function copyRaw(w: CopyWriter, view: DataView, at: number, f: RawField): number | bigint | null {
  let v: number;
  if (f.float) {
    v = f.width === 8 ? view.getFloat64(at) : view.getFloat32(at);
    if (v !== v) {
      w.nullField();
      return null;
    }
  } else if (f.width === 2) v = view.getInt16(at);
  else if (f.width === 4) v = view.getInt32(at);
  else {
    const hi = view.getInt32(at);
    const lo = view.getUint32(at + 4);
    w.ensure(12);
    w.view.setInt32(w.pos, 8);
    w.view.setInt32(w.pos + 4, hi);
    w.view.setUint32(w.pos + 8, lo);
    w.pos += 12;
    // |hi| < 2^21: exact as a number, no bigint.
    return hi >= -0x200000 && hi < 0x200000 ? hi * 4294967296 + lo : view.getBigInt64(at);
  }
  w.ensure(4 + f.width);
  const out = w.view;
  const p = w.pos;
  out.setInt32(p, f.width);
  if (f.float) {
    if (f.width === 8) out.setFloat64(p + 4, v);
    else out.setFloat32(p + 4, v);
  } else if (f.width === 2) out.setInt16(p + 4, v);
  else out.setInt32(p + 4, v);
  w.pos = p + 4 + f.width;
  return v;
}
