/**
 * VOTable column metadata, and what a PostgreSQL column becomes in a VOTable (VOTable 1.4 §2.1,
 * DALI 1.1 §3.3 for xtype="timestamp").
 *
 * Text columns become unicodeChar, not char: VOTable 1.4's char is 7-bit ASCII (astropy refuses
 * anything else), and catalogue or ObsCore text can hold any character. A FIELD declared char by
 * the caller still works: non-ASCII text is then written as UTF-8 (VOTable 1.5's reading of char).
 */
export type VoDatatype =
  | 'boolean'
  | 'unsignedByte'
  | 'short'
  | 'int'
  | 'long'
  | 'float'
  | 'double'
  | 'char'
  | 'unicodeChar';

export interface VoField {
  name: string;
  datatype: VoDatatype;
  /** Absent for a scalar; '*' for a variable-length array or string; 'n' fixed; 'n*' at most n. */
  arraysize?: string;
  xtype?: string;
  unit?: string;
  ucd?: string;
  utype?: string;
  description?: string;
}

const SCALARS: Record<string, Pick<VoField, 'datatype' | 'arraysize' | 'xtype'>> = {
  int2: { datatype: 'short' },
  int4: { datatype: 'int' },
  int8: { datatype: 'long' },
  oid: { datatype: 'long' },
  float4: { datatype: 'float' },
  float8: { datatype: 'double' },
  // numeric has no VOTable equivalent; double keeps 15-17 significant digits, which is what
  // every VO client would turn it into anyway.
  numeric: { datatype: 'double' },
  bool: { datatype: 'boolean' },
  text: { datatype: 'unicodeChar', arraysize: '*' },
  varchar: { datatype: 'unicodeChar', arraysize: '*' },
  bpchar: { datatype: 'unicodeChar', arraysize: '*' },
  name: { datatype: 'unicodeChar', arraysize: '*' },
  // "char" is PostgreSQL's one-byte internal type.
  char: { datatype: 'char', arraysize: '1' },
  uuid: { datatype: 'char', arraysize: '36' },
  timestamp: { datatype: 'char', arraysize: '*', xtype: 'timestamp' },
  timestamptz: { datatype: 'char', arraysize: '*', xtype: 'timestamp' },
  date: { datatype: 'char', arraysize: '*', xtype: 'timestamp' },
  bytea: { datatype: 'unsignedByte', arraysize: '*' },
};

/** Element types an array column may have and still be a VOTable array (arraysize '*'). */
const ARRAY_ELEMENTS = new Set(['int2', 'int4', 'int8', 'float4', 'float8', 'numeric', 'bool']);

/**
 * From PostgreSQL's pg_type.typname. Arrays of numbers and booleans (`_int4`, `_float8` ...)
 * become variable-length VOTable arrays; any other type (json, interval, arrays of text ...)
 * travels as its PostgreSQL text form in a unicodeChar column, so nothing is ever refused.
 */
export function voFieldForPgType(name: string, typname: string, meta: Partial<VoField> = {}): VoField {
  let base: Pick<VoField, 'datatype' | 'arraysize' | 'xtype'>;
  if (typname.startsWith('_') && ARRAY_ELEMENTS.has(typname.slice(1))) {
    base = { datatype: SCALARS[typname.slice(1)]!.datatype, arraysize: '*' };
  } else {
    base = SCALARS[typname] ?? { datatype: 'unicodeChar', arraysize: '*' };
  }
  const field: VoField = { name, ...base };
  for (const [k, v] of Object.entries(meta)) if (v !== undefined) (field as unknown as Record<string, unknown>)[k] = v;
  return field;
}
