/**
 * CSV (RFC 4180: CRLF line ends, fields with , " CR or LF quoted, quotes doubled) and TSV
 * (IANA text/tab-separated-values: no tabs or line breaks inside a field, so they are written
 * as the escapes \t \n \r, and \ as \\, as PostgreSQL's COPY does). Both start with a header
 * line of column names. NULL is an empty field; in CSV an empty string is "" to tell it apart.
 * Neither format can say that MAXREC cut the result or that an error ended it (DALI §4.4.1).
 */
import { cellFormatter, type TextStyle } from './cells.js';
import type { VoField } from './fields.js';

const CSV_SPECIAL = /[",\r\n]/;
function csvText(s: string): string {
  if (s === '') return '""';
  if (!CSV_SPECIAL.test(s) && s.charCodeAt(0) !== 32 && s.charCodeAt(s.length - 1) !== 32) return s;
  return '"' + s.replace(/"/g, '""') + '"';
}

const TSV_SPECIAL = /[\t\n\r\\]/;
const TSV_ESCAPE: Record<string, string> = { '\t': '\\t', '\n': '\\n', '\r': '\\r', '\\': '\\\\' };
function tsvText(s: string): string {
  return TSV_SPECIAL.test(s) ? s.replace(/[\t\n\r\\]/g, (c) => TSV_ESCAPE[c]!) : s;
}

const COMMON = { nan: 'NaN', posInf: 'Infinity', negInf: '-Infinity', true: 'true', false: 'false' };

export function delimitedEncoder(fields: VoField[], kind: 'csv' | 'tsv') {
  const text = kind === 'csv' ? csvText : tsvText;
  const sep = kind === 'csv' ? ',' : '\t';
  const eol = kind === 'csv' ? '\r\n' : '\n';
  // Numbers and booleans never need quoting; strings, timestamps and arrays (space-separated) may.
  const cells = fields.map((f) => {
    const raw = cellFormatter(f, { ...COMMON, text: (s) => s });
    const needsText = f.datatype === 'char' || f.datatype === 'unicodeChar' || f.arraysize !== undefined;
    return needsText ? (v: unknown) => text(raw(v)) : raw;
  });
  const n = cells.length;
  return {
    head: () => fields.map((f) => text(f.name)).join(sep) + eol,
    rows(rows: unknown[][]): string {
      let s = '';
      for (let r = 0; r < rows.length; r++) {
        const row = rows[r]!;
        for (let c = 0; c < n; c++) {
          const v = row[c];
          if (c) s += sep;
          if (v != null) s += cells[c]!(v);
        }
        s += eol;
      }
      return s;
    },
  };
}
