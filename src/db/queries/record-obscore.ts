/**
 * The records' ObsCore-shaped and sky-index columns as both write statements bind them
 * (write-new-files.ts for a first ingest, finish-batch.ts for a re-ingest): more arrays in the
 * same unnest as the other record columns, so a batch still writes its records in one
 * statement whatever its size. Parameters come last in each statement, from `first` on.
 */
import type { AnalysisColumns } from '../../ingest/analyze/columns.js';
import { FLOAT8, INT4, INT8, numberArrayParam, type NumberElement } from '../number-array.js';
import { stringArrayParam } from '../text-column.js';

/** [column, SQL element type, AnalysisColumns property], in parameter order. */
const COLUMNS = [
  ['dataproduct_type', 'text', 'dataproductType'],
  ['calib_level', 'int', 'calibLevel'],
  ['facility_name', 'text', 'facilityName'],
  ['instrument_name', 'text', 'instrumentName'],
  ['em_min', 'float8', 'emMin'],
  ['em_max', 'float8', 'emMax'],
  ['t_min', 'float8', 'tMin'],
  ['t_max', 'float8', 'tMax'],
  ['t_exptime', 'float8', 'tExptime'],
  ['fov', 'float8', 'fov'],
  ['hpx', 'int8', 'hpx'],
  // Bound as text and cast once per row: pg has no array serialiser for multiranges.
  ['coverage', 'text', 'coverage'],
] as const satisfies ReadonlyArray<readonly [string, string, keyof AnalysisColumns['files']]>;

/** Parameters obscoreParams binds (a statement's parameters after them start at first + this). */
export const OBSCORE_PARAMS = COLUMNS.length;

/** `$first::text[], ...`: the arrays to add to the statement's unnest(...). */
export const obscoreArrays = (first: number): string => COLUMNS.map(([, type], i) => `$${first + i}::${type}[]`).join(', ');

/** The unnest's column aliases, and the records columns they fill (same names). */
export const OBSCORE_COLUMNS = COLUMNS.map(([name]) => name).join(', ');

/** The SELECT list for those columns from the unnest alias `t`. */
export const obscoreValues = (t: string): string =>
  COLUMNS.map(([name]) => (name === 'coverage' ? `${t}.coverage::int8multirange` : `${t}.${name}`)).join(', ');

/** `col = EXCLUDED.col, ...` for an upsert. */
export const OBSCORE_UPDATE = COLUMNS.map(([name]) => `${name} = EXCLUDED.${name}`).join(', ');

/** All in binary: number columns (number-array.ts), text ones (text-column.ts). */
const BINARY: Record<string, NumberElement | undefined> = { float8: FLOAT8, int8: INT8, int: INT4 };

export function obscoreParams(f: AnalysisColumns['files']): unknown[] {
  return COLUMNS.map(([, type, prop]) => {
    const binary = BINARY[type];
    return binary ? numberArrayParam(binary, f[prop] as (number | null)[]) : stringArrayParam(f[prop] as (string | null)[]);
  });
}

/**
 * obs_id: survey/release/path (ObsCore's obs_id, stable across re-ingests). A one-row CTE of
 * the statement's release; the write joins its file paths to it.
 */
export const obsPrefix = (release: string): string => `obs_prefix AS MATERIALIZED (
  SELECT s.name || '/' || rel.name || '/' AS p FROM releases rel JOIN surveys s ON s.id = rel.survey_id WHERE rel.id = ${release}
)`;
