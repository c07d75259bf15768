/**
 * What the translator needs to know about the tables a query may reach (TAP_SCHEMA's view of
 * the database; src/vo/tap/catalogue.ts builds it). A table missing here does not exist for
 * ADQL, whatever the database holds.
 */

export interface TapColumnInfo {
  name: string;
  /** VOTable datatype as TAP_SCHEMA.columns says (double, long, char, ...). */
  datatype: string;
  arraysize?: string;
  xtype?: string;
  unit?: string;
  ucd?: string;
  utype?: string;
  description?: string;
  principal?: boolean;
  indexed?: boolean;
}

export interface TapTableInfo {
  schema: string;
  name: string;
  /** SQL relation, already quoted, e.g. ivoa.obscore or "gama_dr4"."stellarmass". */
  sqlName: string;
  columns: TapColumnInfo[];
  /** For CONTAINS(POINT(ra, dec), region) on the index: the column names (not quoted). */
  position?: { ra: string; dec: string; /** nested HEALPix id at src/sky's STORE_ORDER */ hpx: string };
  /** For ObsCore s_region INTERSECTS / CONTAINS(POINT, s_region): the coverage int8multirange column. */
  coverage?: string;
}

export interface TapCatalogue {
  /**
   * The table, or undefined; names compared exactly. The translator asks for a delimited
   * identifier as written, and for a regular one in lower case, then as written, then in upper case.
   */
  table(schema: string | undefined, name: string): TapTableInfo | undefined;
}
