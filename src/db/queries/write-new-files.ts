/**
 * Batch stage "write" of a write-once run, ONE statement for the whole batch: the files in
 * their final state, their HDUs, issues and records, the files to retry later (written
 * PENDING, with their own job), and the run's counters (ending the run if this was its last
 * batch). One statement is one transaction: a batch that crashes has written nothing, so its
 * rerun simply does it all again, and a rerun after a crash *after* the commit finds its
 * files written (load-run.ts) and stops.
 *
 * Plain INSERTs: the files are new to the release (it was empty when the run began), their
 * ids came from the sequence at the scan, and nothing else writes rows for them.
 *
 * Every insert is gated on the release still being a draft (run-fragments.ts, openRelease):
 * a batch that finds its release published writes nothing and ends the run FAILED.
 */
import type pg from 'pg';
import type { AnalysisColumns, SlowFile } from '../../ingest/analyze/columns.js';
import { FLOAT8, INT8, numberArrayParam } from '../number-array.js';
import { stringArrayParam } from '../text-column.js';
import { batchJobKeyPrefix } from './enqueue-new-files.js';
import { recordParams } from './finish-batch.js';
import { hduIssueParams } from './insert-file-results.js';
import { OBSCORE_COLUMNS, OBSCORE_PARAMS, obscoreArrays, obscoreParams, obscoreValues, obsPrefix } from './record-obscore.js';
import { countAndMoveRun, openRelease, RELEASE_OPEN } from './run-fragments.js';

/** Files as a write-once job carries them (enqueue-new-files.ts). */
export interface NewFiles {
  ids: number[];
  paths: string[];
  sizes: number[];
  mtimesMs: number[];
}

export interface RetryLater {
  ids: number[];
  /** Seconds from now until the retry job may run. */
  delaySeconds: number;
}

const SQL = `
WITH ${openRelease('$1')}, ${obsPrefix('$1')}, given AS (
  SELECT * FROM unnest($2::bigint[], $3::text[], $4::int8[], $5::float8[]) AS t(id, path, size_bytes, mtime_ms)
), f_in AS (
  SELECT * FROM unnest($6::bigint[], $7::text[], $8::text[], $9::text[], $10::int8[]) AS t(id, status, kind, checksum, size_bytes)
), written AS (
  INSERT INTO files (id, release_id, path, size_bytes, mtime_ms, checksum, kind, status, run_id, processed_at)
  SELECT i.id, $1, g.path, i.size_bytes, g.mtime_ms, i.checksum, i.kind, i.status, $11, now()
  FROM f_in i JOIN given g ON g.id = i.id
  WHERE ${RELEASE_OPEN}
  RETURNING id, status, kind
), retry AS (
  INSERT INTO files (id, release_id, path, size_bytes, mtime_ms, status, run_id, attempts)
  SELECT g.id, $1, g.path, g.size_bytes, g.mtime_ms, 'PENDING', $11, 1
  FROM given g WHERE g.id = ANY($12::bigint[]) AND ${RELEASE_OPEN}
  RETURNING id
), retry_job AS (
  SELECT graphile_worker.add_job('ingest_batch', json_build_object('runId', $11::bigint, 'fileIds', array_agg(id ORDER BY id)),
                                 run_at => now() + make_interval(secs => $13::float8), max_attempts => $14,
                                 job_key => $15 || 'retry:' || min(id))
  FROM retry HAVING count(*) > 0
), h AS (
  INSERT INTO hdus (file_id, index, type, bitpix, naxis, header)
  SELECT file_id, index, type, bitpix, naxis::int[], header
  FROM unnest($16::bigint[], $17::int[], $18::text[], $19::int[], $20::text[], $21::text[]) AS t(file_id, index, type, bitpix, naxis, header)
  WHERE ${RELEASE_OPEN}
), iss AS (
  INSERT INTO validation_issues (file_id, severity, code, message, hdu, keyword)
  SELECT * FROM unnest($22::bigint[], $23::text[], $24::text[], $25::text[], $26::int[], $27::text[])
  WHERE ${RELEASE_OPEN}
), recs AS (
  INSERT INTO records (file_id, release_id, product_type, source_id, center_ra, center_dec, footprint,
                       spectral_min, spectral_max, spectral_unit, catalogue, obs_id, invalid, ${OBSCORE_COLUMNS})
  SELECT t.file_id, $1, t.product_type, t.source_id, t.center_ra, t.center_dec, t.footprint, t.spectral_min, t.spectral_max,
         t.spectral_unit, t.catalogue, (SELECT p FROM obs_prefix) || g.path, t.outcome = 'INVALID', ${obscoreValues('t')}
  FROM unnest($6::bigint[], $28::text[], $29::bigint[], $30::float8[], $31::float8[], $32::jsonb[],
              $33::float8[], $34::float8[], $35::text[], $36::jsonb[], $37::bool[], $7::text[], ${obscoreArrays(41)})
    AS t(file_id, product_type, source_id, center_ra, center_dec, footprint, spectral_min, spectral_max, spectral_unit, catalogue, has_record,
         outcome, ${OBSCORE_COLUMNS})
  JOIN given g ON g.id = t.file_id
  WHERE t.has_record AND ${RELEASE_OPEN}
  RETURNING 1
), ${countAndMoveRun({
  written: 'written',
  records: '(SELECT count(*) FROM recs)::int',
  extra: '(SELECT count(*) FROM retry_job)::int AS retry_jobs',
  run: '$11',
  queries: '$38',
  stages: '$39',
  slowest: '$40',
  loads: `$${41 + OBSCORE_PARAMS}`,
})}`;

export async function writeNewFiles(
  pool: pg.Pool,
  runId: number,
  releaseId: number,
  given: NewFiles,
  { files: f, hdus: h, issues: i }: AnalysisColumns,
  sourceIds: (number | null)[],
  retry: RetryLater,
  maxJobAttempts: number,
  queries: number,
  stages: Record<string, number>,
  slowest: SlowFile[],
  /** Files whose catalogue load is queued after this statement (the run waits for them). */
  loadIds: readonly number[] = [],
): Promise<{ runStatus: string; moved: Record<string, number> }> {
  const { rows } = await pool.query(SQL, [
    releaseId,
    numberArrayParam(INT8, given.ids),
    stringArrayParam(given.paths),
    numberArrayParam(INT8, given.sizes),
    numberArrayParam(FLOAT8, given.mtimesMs),
    numberArrayParam(INT8, f.id),
    stringArrayParam(f.outcome),
    stringArrayParam(f.kind),
    stringArrayParam(f.checksum),
    numberArrayParam(INT8, f.sizeBytes),
    runId,
    retry.ids,
    retry.delaySeconds,
    maxJobAttempts,
    batchJobKeyPrefix(runId),
    ...hduIssueParams(h, i),
    ...recordParams(f, sourceIds),
    queries + 1,
    JSON.stringify(stages),
    JSON.stringify(slowest),
    ...obscoreParams(f),
    loadIds,
  ]);
  return { runStatus: rows[0]?.status ?? 'UNKNOWN', moved: rows[0]?.moved ?? {} };
}
