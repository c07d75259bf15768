/**
 * One text formatter per column, chosen once from the FIELD (not per cell): TABLEDATA, CSV and
 * TSV all write a cell as text and differ only in how special values and strings are spelt.
 * A formatter never sees null; each serialisation writes its own NULL.
 */
import type { VoField } from './fields.js';
import { floatSpecial, integerText, textOf, timestampText, toArray, toBoolean, toBytes } from './values.js';

export type CellText = (v: unknown) => string;

export interface TextStyle {
  /** How NaN and the infinities are written (TABLEDATA: NaN +Inf -Inf, VOTable 1.4 §6). */
  nan: string;
  posInf: string;
  negInf: string;
  true: string;
  false: string;
  /** Escapes or quotes a string cell (applied to strings and timestamps, not to numbers). */
  text: (s: string) => string;
}

export function isArrayField(f: VoField): boolean {
  return f.arraysize !== undefined && f.datatype !== 'char' && f.datatype !== 'unicodeChar';
}

export function cellFormatter(f: VoField, style: TextStyle): CellText {
  const num = numberFormatter(f, style);
  if (num) {
    if (!isArrayField(f)) return num;
    if (f.datatype === 'unsignedByte') return (v) => Array.from(toBytes(v)).join(' ');
    // Array elements that are NULL in PostgreSQL: NaN for floating point, 0 otherwise
    // (VOTable arrays have no per-element NULL without a VALUES null declaration).
    const nullElement = f.datatype === 'float' || f.datatype === 'double' ? style.nan : '0';
    return (v) => {
      const a = toArray(v);
      let s = '';
      for (let i = 0; i < a.length; i++) s += (i ? ' ' : '') + (a[i] == null ? nullElement : num(a[i]));
      return s;
    };
  }
  if (f.datatype === 'boolean') {
    const one = (v: unknown) => (toBoolean(v) ? style.true : style.false);
    if (!isArrayField(f)) return one;
    return (v) =>
      toArray(v)
        .map((e) => (e == null ? '?' : one(e)))
        .join(' ');
  }
  const { text } = style;
  if (f.xtype === 'timestamp') return (v) => text(timestampText(v) ?? '');
  return (v) => text(textOf(v));
}

function numberFormatter(f: VoField, style: TextStyle): CellText | undefined {
  switch (f.datatype) {
    case 'unsignedByte':
    case 'short':
    case 'int':
    case 'long':
      return integerText;
    case 'float':
    case 'double': {
      const { nan, posInf, negInf } = style;
      const special = (k: 'NaN' | '+Inf' | '-Inf') => (k === 'NaN' ? nan : k === '+Inf' ? posInf : negInf);
      return (v) => {
        if (typeof v === 'string') {
          const k = floatSpecial(v);
          return k === undefined ? v : special(k);
        }
        if (typeof v === 'number') {
          if (v === v && v !== Infinity && v !== -Infinity) return String(v);
          return v !== v ? nan : v > 0 ? posInf : negInf;
        }
        return String(v);
      };
    }
    default:
      return undefined;
  }
}
