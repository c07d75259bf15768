/**
 * Scan stage of a write-once run (the release's first ingest), one statement per chunk: take
 * the files' ids from the sequence, count them into the run, and enqueue one `ingest_batch`
 * job that carries the files themselves. No row is written per file here: the batch writes
 * each file once, in its final state (ingest/run-new-files.ts). Registering them first and
 * updating them later cost ~12 us more server CPU per file (statement harness, blobs:
 * register ~9.5 + load ~4 us, and the update was no cheaper than the insert).
 *
 * The job's key (`ingest:<run>:<first id>`) is how a rerun of a crashed scan finds the jobs
 * of its first attempt (reset-write-once-run.ts).
 */
import type pg from 'pg';
import { SKIPPED_ENTRIES, skippedColumns, type ChunkToRegister } from './run-issues.js';

export const batchJobKeyPrefix = (runId: number) => `ingest:${runId}:`;

// The chunk's skipped entries (symlinks, FIFOs, ...) are listed on the run in the same
// statement (run-issues.ts): a chunk of only those enqueues no job.
const SQL = `
WITH ids AS (
  SELECT array_agg(nextval(pg_get_serial_sequence('files', 'id'))) AS ids FROM generate_series(1, cardinality($2::text[]))
), run AS (
  UPDATE ingestion_runs r SET total_files = r.total_files + cardinality($2::text[]),
                              skipped_entries = r.skipped_entries + cardinality($7::text[])
  WHERE r.id = $1 RETURNING r.id
), ${SKIPPED_ENTRIES('$1', '$7', '$8', '$9')}
SELECT graphile_worker.add_job('ingest_batch',
         json_build_object('runId', $1::bigint,
                           'files', json_build_object('ids', ids.ids, 'paths', $2::text[], 'sizes', $3::int8[], 'mtimesMs', $4::float8[])),
         max_attempts => $5, job_key => $6 || ids.ids[1]) IS NOT NULL AS enqueued,
       (SELECT count(*) FROM run)::int AS runs
FROM ids WHERE ids.ids IS NOT NULL`;

export async function enqueueNewFiles(pool: pg.Pool, runId: number, files: ChunkToRegister, maxAttempts: number): Promise<number> {
  if (!files.paths.length && !files.skipped?.paths.length) return 0;
  await pool.query(SQL, [runId, files.paths, files.sizes, files.mtimesMs, maxAttempts, batchJobKeyPrefix(runId), ...skippedColumns(files)]);
  return files.paths.length;
}
