/**
 * The functions a query may call: ADQL 2.0's mathematical, trigonometric and string functions
 * (section 2.3) plus COALESCE (2.1), each mapped onto PostgreSQL. Nothing else reaches the SQL:
 * pg_sleep, set_config, current_setting, lo_import and every other name are AdqlErrors.
 * Aggregates and geometry functions are handled by the translator itself.
 */

export interface ScalarFunction {
  min: number;
  max: number;
  /** SQL from the translated arguments. */
  sql(args: string[]): string;
  /** VOTable datatype of the result ('same': the first argument's). */
  datatype: 'double' | 'char' | 'same';
}

const unary = (pg: string): ScalarFunction => ({ min: 1, max: 1, sql: (a) => `${pg}(${a[0]})`, datatype: 'double' });

export const SCALAR_FUNCTIONS: ReadonlyMap<string, ScalarFunction> = new Map<string, ScalarFunction>([
  ['ABS', { min: 1, max: 1, sql: (a) => `abs(${a[0]})`, datatype: 'same' }],
  ['CEILING', { min: 1, max: 1, sql: (a) => `ceil(${a[0]})`, datatype: 'same' }],
  ['FLOOR', { min: 1, max: 1, sql: (a) => `floor(${a[0]})`, datatype: 'same' }],
  ['DEGREES', unary('degrees')],
  ['RADIANS', unary('radians')],
  ['EXP', unary('exp')],
  // ADQL's LOG is the natural logarithm; PostgreSQL's log() is base 10.
  ['LOG', unary('ln')],
  ['LOG10', unary('log')],
  ['SQRT', unary('sqrt')],
  // PostgreSQL has mod() only for integers and numeric: a float argument goes through numeric.
  ['MOD', { min: 2, max: 2, sql: (a) => `mod((${a[0]})::numeric, (${a[1]})::numeric)`, datatype: 'double' }],
  ['PI', { min: 0, max: 0, sql: () => 'pi()', datatype: 'double' }],
  ['POWER', { min: 2, max: 2, sql: (a) => `power(${a[0]}, ${a[1]})`, datatype: 'double' }],
  // RAND(seed): the seed is ignored (setseed would change the session's state).
  ['RAND', { min: 0, max: 1, sql: () => 'random()', datatype: 'double' }],
  // round/trunc to n places exist only for numeric in PostgreSQL.
  ['ROUND', { min: 1, max: 2, sql: (a) => (a.length === 1 ? `round(${a[0]})` : `round((${a[0]})::numeric, (${a[1]})::int4)`), datatype: 'double' }],
  ['TRUNCATE', { min: 1, max: 2, sql: (a) => (a.length === 1 ? `trunc(${a[0]})` : `trunc((${a[0]})::numeric, (${a[1]})::int4)`), datatype: 'double' }],
  ['SIN', unary('sin')],
  ['COS', unary('cos')],
  ['TAN', unary('tan')],
  ['COT', unary('cot')],
  ['ASIN', unary('asin')],
  ['ACOS', unary('acos')],
  ['ATAN', unary('atan')],
  ['ATAN2', { min: 2, max: 2, sql: (a) => `atan2(${a[0]}, ${a[1]})`, datatype: 'double' }],
  ['LOWER', { min: 1, max: 1, sql: (a) => `lower(${a[0]})`, datatype: 'char' }],
  ['UPPER', { min: 1, max: 1, sql: (a) => `upper(${a[0]})`, datatype: 'char' }],
  ['COALESCE', { min: 1, max: 100, sql: (a) => `coalesce(${a.join(', ')})`, datatype: 'same' }],
]);

export const AGGREGATES: ReadonlySet<string> = new Set(['COUNT', 'AVG', 'MIN', 'MAX', 'SUM']);

/** The ADQL geometry functions the translator evaluates (TAPRegExt features-adqlgeo forms). */
export const GEOMETRY_FUNCTIONS: readonly string[] = ['POINT', 'CIRCLE', 'BOX', 'POLYGON', 'CONTAINS', 'INTERSECTS', 'DISTANCE', 'COORD1', 'COORD2', 'COORDSYS'];

/** ADQL geometry functions this service does not evaluate, with what to do instead. */
export const UNSUPPORTED_GEOMETRY: ReadonlyMap<string, string> = new Map([
  ['AREA', 'AREA is not supported by this service'],
  ['CENTROID', 'CENTROID is not supported by this service'],
  ['REGION', 'REGION is not supported by this service: use CIRCLE, BOX or POLYGON'],
]);

/** CAST targets (ADQL 2.1) and their PostgreSQL types. */
export const CAST_TYPES: ReadonlyMap<string, { pg: string; datatype: string }> = new Map([
  ['SMALLINT', { pg: 'int2', datatype: 'short' }],
  ['INTEGER', { pg: 'int4', datatype: 'int' }],
  ['BIGINT', { pg: 'int8', datatype: 'long' }],
  ['REAL', { pg: 'float4', datatype: 'float' }],
  ['DOUBLE PRECISION', { pg: 'float8', datatype: 'double' }],
  ['CHAR', { pg: 'char', datatype: 'char' }],
  ['VARCHAR', { pg: 'varchar', datatype: 'char' }],
  ['TIMESTAMP', { pg: 'timestamp', datatype: 'char' }],
]);
