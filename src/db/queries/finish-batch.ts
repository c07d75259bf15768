/**
 * Batch stage "write" (3/3), one statement: set each file's outcome, write the records, and
 * move the run's counters, stage timings and slowest-file list — and end the run if this
 * was its last batch. Only files still PENDING in this run are updated, and the counters
 * count only those rows, so a batch that reruns after a crash cannot count a file twice.
 *
 * Records of files that may already have one (`mayHaveRecord`: processed before, or any file
 * of a job's rerun; all files when not given) are upserted, so their ids stay stable; the
 * others are plain inserts, which skip ON CONFLICT's speculative insertion (measured ~8 us of
 * server CPU per file on HDU rows). A record that exists anyway fails the batch; its rerun
 * passes every file as `mayHaveRecord`.
 *
 * Nothing is written to a release published meanwhile (run-fragments.ts, openRelease): the
 * files stay as they were and the run ends FAILED. Records are only written for `upd` rows.
 */
import type pg from 'pg';
import type { AnalysisColumns, SlowFile } from '../../ingest/analyze/columns.js';
import { OBSCORE_COLUMNS, OBSCORE_PARAMS, OBSCORE_UPDATE, obscoreArrays, obscoreParams, obscoreValues, obsPrefix } from './record-obscore.js';
import { FLOAT8, INT8, numberArrayParam } from '../number-array.js';
import { stringArrayParam } from '../text-column.js';
import { countAndMoveRun, openRelease, RELEASE_OPEN } from './run-fragments.js';

export interface BatchFinish {
  runStatus: string;
  /** Files this statement moved out of PENDING, by "KIND/STATUS". */
  moved: Record<string, number>;
}

/** The batch's records, for files this statement moved out of PENDING. */
const INSERT_RECORDS = `INSERT INTO records (file_id, release_id, product_type, source_id, center_ra, center_dec, footprint,
                       spectral_min, spectral_max, spectral_unit, catalogue, obs_id, invalid, ${OBSCORE_COLUMNS})
  SELECT r.file_id, $17, r.product_type, r.source_id, r.center_ra, r.center_dec, r.footprint,
         r.spectral_min, r.spectral_max, r.spectral_unit, r.catalogue, (SELECT p FROM obs_prefix) || upd.path, upd.status = 'INVALID', ${obscoreValues('r')}
  FROM rec_in r JOIN upd ON upd.id = r.file_id`;

const SQL = `
WITH ${openRelease('$17')}, ${obsPrefix('$17')}, f_in AS (
  SELECT * FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::int8[])
    AS t(id, status, kind, checksum, size_bytes)
), upd AS (
  UPDATE files f SET status = i.status, kind = i.kind, checksum = i.checksum,
                     size_bytes = i.size_bytes, processed_at = now()
  FROM f_in i
  -- The planner must not trust statistics about this run's files: taken early in the run (or
  -- before it), they say its PENDING files are rare, and with run_id/status as plain filters
  -- it estimated one row and chose a nested loop over a seq scan of files: 1.2-1.6 s per batch
  -- instead of ~30 ms (auto_explain, bench blobs; PostgreSQL 15 and 18 alike). So the batch's
  -- ids come first (id = ANY: a primary-key path with a row count from the array), and the
  -- run/status guard is a subselect, which the planner does not estimate from statistics and
  -- which is still rechecked on rows that change under the statement.
  WHERE f.id = ANY($2::bigint[]) AND f.id = i.id AND (SELECT f.run_id = $1 AND f.status = 'PENDING') AND ${RELEASE_OPEN}
  RETURNING f.id, f.status, f.kind, f.path
), rec_in AS (
  SELECT * FROM unnest($2::bigint[], $7::text[], $8::bigint[], $9::float8[], $10::float8[], $11::jsonb[],
                       $12::float8[], $13::float8[], $14::text[], $15::jsonb[], $16::bool[], $21::bool[], ${obscoreArrays(22)})
    AS t(file_id, product_type, source_id, center_ra, center_dec, footprint, spectral_min, spectral_max, spectral_unit, catalogue, has_record, existing,
         ${OBSCORE_COLUMNS})
  WHERE has_record
), recs_new AS (
  ${INSERT_RECORDS}
  WHERE NOT r.existing
  RETURNING 1
), recs AS (
  ${INSERT_RECORDS}
  WHERE r.existing
  ON CONFLICT (file_id) DO UPDATE SET
    product_type = EXCLUDED.product_type, source_id = EXCLUDED.source_id,
    center_ra = EXCLUDED.center_ra, center_dec = EXCLUDED.center_dec, footprint = EXCLUDED.footprint,
    spectral_min = EXCLUDED.spectral_min, spectral_max = EXCLUDED.spectral_max,
    spectral_unit = EXCLUDED.spectral_unit, catalogue = EXCLUDED.catalogue, obs_id = EXCLUDED.obs_id, invalid = EXCLUDED.invalid, ${OBSCORE_UPDATE}
  RETURNING 1
), ${countAndMoveRun({
  written: 'upd',
  records: '(SELECT count(*) FROM recs)::int + (SELECT count(*) FROM recs_new)::int',
  run: '$1',
  queries: '$18',
  stages: '$19',
  slowest: '$20',
  loads: `$${22 + OBSCORE_PARAMS}`,
})}`;

export async function finishBatch(
  pool: pg.Pool,
  runId: number,
  releaseId: number,
  { files: f }: AnalysisColumns,
  sourceIds: (number | null)[],
  queries: number,
  stages: Record<string, number>,
  slowest: SlowFile[],
  mayHaveRecord?: ReadonlySet<number>,
  /** Files whose catalogue load this batch queued (the run waits for them). */
  loadIds: readonly number[] = [],
): Promise<BatchFinish> {
  const { rows } = await pool.query(SQL, [
    runId,
    numberArrayParam(INT8, f.id),
    stringArrayParam(f.outcome),
    stringArrayParam(f.kind),
    stringArrayParam(f.checksum),
    numberArrayParam(INT8, f.sizeBytes),
    ...recordParams(f, sourceIds),
    releaseId,
    queries + 1,
    JSON.stringify(stages),
    JSON.stringify(slowest),
    mayHaveRecord ? f.id.map((id) => mayHaveRecord.has(id)) : f.id.map(() => true),
    ...obscoreParams(f),
    loadIds,
  ]);
  return {
    runStatus: rows[0]?.status ?? 'UNKNOWN',
    moved: rows[0]?.moved ?? {},
  };
}

/**
 * A batch's record columns as statement parameters, in the order both write statements
 * unnest them: product_type, source_id, center_ra, center_dec, footprint, spectral_min,
 * spectral_max, spectral_unit, catalogue, has_record.
 */
export function recordParams(f: AnalysisColumns['files'], sourceIds: (number | null)[]): unknown[] {
  return [
    stringArrayParam(f.productType),
    numberArrayParam(INT8, sourceIds),
    numberArrayParam(FLOAT8, f.centerRa),
    numberArrayParam(FLOAT8, f.centerDec),
    f.footprint,
    numberArrayParam(FLOAT8, f.spectralMin),
    numberArrayParam(FLOAT8, f.spectralMax),
    stringArrayParam(f.spectralUnit),
    f.catalogue,
    f.hasRecord,
  ];
}
