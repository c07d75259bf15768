/**
 * CSV catalogues: a header line, then one record per row (RFC 4180 quoting: fields may be
 * quoted, "" is a quote inside a quoted field, quoted fields may hold commas and newlines).
 *
 * The file is streamed from a ByteSource in chunks (1 MiB by default) through a streaming
 * UTF-8 decoder, so a catalogue of any size is summarized in bounded memory.
 *
 * Typing: each column gets the narrowest type that fits all its non-empty values, in the
 * type vocabulary of FITS table summaries: bool (true/false/t/f, any case) < int64 (integer
 * literals; beyond 2^53 kept exact as bigint) < float64 (decimal/exponent literals, nan, inf)
 * < string. Empty (or all-blank) fields are null; in a float64 column NaN counts as null too,
 * as in FITS tables. A column with no value at all is typed string.
 * min/max follow summarizeTable: numbers for numeric columns, false/true for bool, and
 * lexicographic (UTF-16 code unit) order of the raw text for strings.
 *
 * Leniency: a lone CR or LF ends a record as CRLF does; completely blank lines are skipped;
 * text after a closing quote is kept literally. A UTF-8 byte order mark is dropped.
 */
import type { ByteSource, FitsIssue } from '../fits/types.js';
import type { ColumnSummary, StatValue } from '../fits/table/summary.js';

/** A CSV finding: `hdu` is always null; `keyword` is the column name when one is concerned. */
export interface CsvIssue extends FitsIssue {
  /** 1-based physical line where the record concerned starts; null for file-level findings. */
  line: number | null;
}

export const CSV_ISSUE = {
  /** A record whose field count differs from the header's. ERROR. */
  RAGGED_ROW: 'CSV_RAGGED_ROW',
  /** Empty file, or a first line that looks like data (every field numeric). ERROR. */
  NO_HEADER: 'CSV_NO_HEADER',
  /** Two header names equal ignoring case and surrounding blanks (SQL would fold them). ERROR. */
  DUPLICATE_COLUMN: 'CSV_DUPLICATE_COLUMN',
  /** A quoted field still open at the end of the file. ERROR. */
  UNTERMINATED_QUOTE: 'CSV_UNTERMINATED_QUOTE',
  /** A blank header name; the column is called col<n>. WARNING. */
  EMPTY_COLUMN_NAME: 'CSV_EMPTY_COLUMN_NAME',
} as const;

/** Individual CSV_RAGGED_ROW issues reported before they are summed up in one more. */
export const MAX_RAGGED_ISSUES = 100;
export const DEFAULT_CSV_CHUNK_BYTES = 1 << 20;

export interface CsvRecord {
  fields: string[];
  /** 1-based line where the record starts. */
  line: number;
}

export interface CsvSummary {
  rowCount: number;
  columns: ColumnSummary[];
  issues: CsvIssue[];
}

export interface CsvOptions {
  chunkBytes?: number;
}

function csvIssue(severity: CsvIssue['severity'], code: string, line: number | null, column: string | null, what: string): CsvIssue {
  const where = line === null ? 'CSV' : `CSV line ${line}`;
  return { severity, code, message: `${where}: ${what}`, hdu: null, keyword: column, line };
}

const QUOTE = 34;
const COMMA = 44;
const CR = 13;
const LF = 10;

/**
 * Yields the records of a CSV byte stream. `onIssue` receives CSV_UNTERMINATED_QUOTE when
 * the file ends inside a quoted field (that last record is still yielded, as read).
 */
export function* readCsvRecords(
  src: ByteSource,
  opts: CsvOptions & { onIssue?: (i: CsvIssue) => void } = {},
): Generator<CsvRecord, void, undefined> {
  const chunkBytes = Math.max(1, opts.chunkBytes ?? DEFAULT_CSV_CHUNK_BYTES);
  const decoder = new TextDecoder('utf-8');
  let fields: string[] = [];
  let field = '';
  // 0: at field start, 1: unquoted field, 2: inside quotes, 3: quote seen inside quotes
  let state = 0;
  let line = 1;
  let recordLine = 1;
  let quoteLine = 1;
  let skipLF = false; // the LF of a CRLF split across chunks
  let recordStarted = false;

  const endRecord = (): CsvRecord | null => {
    fields.push(field);
    field = '';
    const rec = { fields, line: recordLine };
    fields = [];
    state = 0;
    const blank = rec.fields.length === 1 && rec.fields[0] === '' && !recordStarted;
    recordStarted = false;
    return blank ? null : rec;
  };

  for (let offset = 0; offset < src.size; offset += chunkBytes) {
    const bytes = src.read(offset, chunkBytes);
    if (bytes.length === 0) break;
    const text = decoder.decode(bytes, { stream: offset + bytes.length < src.size });
    const out: CsvRecord[] = [];
    const n = text.length;
    let i = 0;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (skipLF) {
        skipLF = false;
        if (c === LF) {
          i++;
          continue;
        }
      }
      if (state === 2) {
        // Inside quotes: copy up to the next quote, counting newlines for line numbers.
        const q = text.indexOf('"', i);
        const end = q < 0 ? n : q;
        for (let k = i; k < end; k++) {
          const ck = text.charCodeAt(k);
          if (ck === LF && !(k > i && text.charCodeAt(k - 1) === CR)) line++;
          else if (ck === CR) line++;
        }
        field += text.slice(i, end);
        i = end;
        if (q >= 0) {
          state = 3;
          i++;
        }
        continue;
      }
      if (c === COMMA) {
        if (state === 0 && fields.length === 0 && field === '') recordStarted = true;
        fields.push(field);
        field = '';
        state = 0;
        i++;
        continue;
      }
      if (c === CR || c === LF) {
        const rec = endRecord();
        if (rec) out.push(rec);
        line++;
        recordLine = line;
        skipLF = c === CR;
        i++;
        continue;
      }
      if (state === 0 && c === QUOTE) {
        state = 2;
        recordStarted = true;
        quoteLine = line;
        i++;
        continue;
      }
      if (state === 3 && c === QUOTE) {
        field += '"';
        state = 2;
        i++;
        continue;
      }
      // Unquoted text (or text after a closing quote, kept literally): up to , CR or LF.
      let k = i;
      while (k < n) {
        const ck = text.charCodeAt(k);
        if (ck === COMMA || ck === CR || ck === LF) break;
        k++;
      }
      field += text.slice(i, k);
      state = 1;
      recordStarted = true;
      i = k;
    }
    yield* out;
  }
  const tail = decoder.decode();
  if (tail) field += tail;
  if (state === 2) {
    opts.onIssue?.(
      csvIssue('ERROR', CSV_ISSUE.UNTERMINATED_QUOTE, quoteLine, null, `a quoted field opened on line ${quoteLine} is never closed`),
    );
  }
  if (state !== 0 || fields.length > 0 || field !== '') {
    const rec = endRecord();
    if (rec) yield rec;
  }
}

// Literal forms of the inferred types (trimmed text).
const BOOL = /^(true|false|t|f)$/i;
const INT = /^[+-]?\d+$/;
const FLOAT = /^[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|nan|inf|infinity)$/i;

function parseInt64(t: string): number | bigint {
  const digits = t.length - (t[0] === '+' || t[0] === '-' ? 1 : 0);
  if (digits <= 15) return Number(t);
  const big = BigInt(t);
  return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
}

/** Running statistics for every candidate type at once, since the type is known only at the end. */
class CsvColumnStats {
  empty = 0;
  nan = 0;
  canBool = true;
  canInt = true;
  canFloat = true;
  sawTrue = false;
  sawFalse = false;
  intMin: number | bigint | null = null;
  intMax: number | bigint | null = null;
  floatMin: number | null = null;
  floatMax: number | null = null;
  strMin: string | null = null;
  strMax: string | null = null;

  add(raw: string): void {
    const t = raw.trim();
    if (t === '') {
      this.empty++;
      return;
    }
    if (this.strMin === null || raw < this.strMin) this.strMin = raw;
    if (this.strMax === null || raw > this.strMax) this.strMax = raw;
    if (this.canBool) {
      if (BOOL.test(t)) {
        const v = t[0] === 't' || t[0] === 'T';
        if (v) this.sawTrue = true;
        else this.sawFalse = true;
      } else this.canBool = false;
    }
    if (this.canInt) {
      if (INT.test(t)) {
        const v = parseInt64(t);
        if (this.intMin === null || v < this.intMin) this.intMin = v;
        if (this.intMax === null || v > this.intMax) this.intMax = v;
      } else this.canInt = false;
    }
    if (this.canFloat) {
      if (FLOAT.test(t)) {
        const v = Number(/^[+-]?inf$/i.test(t) ? t.replace(/inf$/i, 'Infinity') : /nan$/i.test(t) ? NaN : t);
        if (Number.isNaN(v)) this.nan++;
        else {
          if (this.floatMin === null || v < this.floatMin) this.floatMin = v;
          if (this.floatMax === null || v > this.floatMax) this.floatMax = v;
        }
      } else this.canFloat = false;
    }
  }

  summary(name: string): ColumnSummary {
    const hasValues = this.strMin !== null;
    let type = 'string';
    let min: StatValue | null = this.strMin;
    let max: StatValue | null = this.strMax;
    let nullCount = this.empty;
    if (hasValues && this.canBool) {
      type = 'bool';
      min = !this.sawFalse;
      max = this.sawTrue;
    } else if (hasValues && this.canInt) {
      type = 'int64';
      min = this.intMin;
      max = this.intMax;
    } else if (hasValues && this.canFloat) {
      type = 'float64';
      min = this.floatMin;
      max = this.floatMax;
      nullCount += this.nan;
    }
    return { name, type, unit: null, nullCount, min, max };
  }
}

/** Streams a CSV catalogue once and summarizes its columns. */
export function summarizeCsv(src: ByteSource, opts: CsvOptions = {}): CsvSummary {
  const issues: CsvIssue[] = [];
  let names: string[] | null = null;
  let stats: CsvColumnStats[] = [];
  let rowCount = 0;
  let ragged = 0;

  const addRow = (rec: CsvRecord, width: number): void => {
    rowCount++;
    if (rec.fields.length !== width) {
      ragged++;
      if (ragged <= MAX_RAGGED_ISSUES) {
        issues.push(
          csvIssue('ERROR', CSV_ISSUE.RAGGED_ROW, rec.line, null, `record has ${rec.fields.length} fields, the header has ${width}`),
        );
      }
    }
    // Missing trailing fields count as empty; extra ones belong to no column.
    for (let c = 0; c < width; c++) stats[c].add(rec.fields[c] ?? '');
  };

  for (const rec of readCsvRecords(src, { ...opts, onIssue: (i) => issues.push(i) })) {
    if (names === null) {
      const header = rec.fields;
      stats = header.map(() => new CsvColumnStats());
      if (header.every((f) => FLOAT.test(f.trim()))) {
        issues.push(
          csvIssue('ERROR', CSV_ISSUE.NO_HEADER, rec.line, null, 'the first line holds only numbers: no header line; columns named col1..coln'),
        );
        names = header.map((_, i) => `col${i + 1}`);
        addRow(rec, names.length);
        continue;
      }
      names = header.map((f, i) => {
        const t = f.trim();
        if (t !== '') return t;
        issues.push(csvIssue('WARNING', CSV_ISSUE.EMPTY_COLUMN_NAME, rec.line, null, `column ${i + 1} has no name; called col${i + 1}`));
        return `col${i + 1}`;
      });
      const seen = new Map<string, number>();
      names.forEach((name, i) => {
        const key = name.toLowerCase();
        const first = seen.get(key);
        if (first !== undefined) {
          issues.push(
            csvIssue('ERROR', CSV_ISSUE.DUPLICATE_COLUMN, rec.line, name,
              `column ${i + 1} '${name}' repeats column ${first + 1} '${names![first]}' (names compare ignoring case)`),
          );
        } else seen.set(key, i);
      });
      continue;
    }
    addRow(rec, names.length);
  }

  if (names === null) {
    issues.push(csvIssue('ERROR', CSV_ISSUE.NO_HEADER, null, null, 'the file is empty: no header line'));
    names = [];
  }
  if (ragged > MAX_RAGGED_ISSUES) {
    issues.push(
      csvIssue('ERROR', CSV_ISSUE.RAGGED_ROW, null, null, `${ragged - MAX_RAGGED_ISSUES} more records with a field count unlike the header's`),
    );
  }
  const finalNames = names;
  return { rowCount, columns: stats.map((s, i) => s.summary(finalNames[i])), issues };
}
