/**
 * Scan stage, one statement per chunk of scanned files: upsert the files, move the run's
 * counters, and enqueue one `ingest_batch` job for the files that need reading.
 *
 * - A file already registered by THIS run is left alone (the WHERE on the conflict update),
 *   so a scan job that crashed and reruns neither double-counts nor double-enqueues.
 * - A file whose size and mtime are unchanged since it was INGESTED/INVALID keeps its status
 *   and record and counts as skipped, unless a download found it changed on disk
 *   (`changed_on_disk`, src/http/download); anything else becomes PENDING and is enqueued.
 * - The chunk's skipped directory entries (symlinks, FIFOs, ...) are listed on the run, and its
 *   skipped files (processed at once) are the run's progress row.
 * - Nothing is registered into a release published meanwhile (run-fragments.ts, openRelease);
 *   the scan's last statement then ends the run.
 */
import type pg from 'pg';
import { SKIPPED_ENTRIES, skippedColumns, type ChunkToRegister } from './run-issues.js';
import { openRelease, progressRow, RELEASE_OPEN } from './run-fragments.js';

export interface RegisterResult {
  registered: number;
  skipped: number;
  enqueued: number;
}

const sql = (onConflict: string) => `
WITH ${openRelease('$1')}, input AS (
  SELECT * FROM unnest($3::text[], $4::int8[], $5::float8[]) AS t(path, size_bytes, mtime_ms)
), upserted AS (
  INSERT INTO files AS f (release_id, path, size_bytes, mtime_ms, status, run_id)
  SELECT $1, path, size_bytes, mtime_ms, 'PENDING', $2 FROM input WHERE ${RELEASE_OPEN}
${onConflict}  RETURNING f.id, f.status
), counts AS (
  SELECT count(*)::int AS registered,
         count(*) FILTER (WHERE status <> 'PENDING')::int AS skipped,
         array_agg(id ORDER BY id) FILTER (WHERE status = 'PENDING') AS pending
  FROM upserted
), run AS (
  UPDATE ingestion_runs r SET
    total_files = r.total_files + c.registered,
    skipped_files = r.skipped_files + c.skipped,
    processed_files = r.processed_files + c.skipped,
    skipped_entries = r.skipped_entries + cardinality($7::text[])
  FROM counts c WHERE r.id = $2
  RETURNING r.id
), ${progressRow('$2', '(SELECT skipped FROM counts)')}, ${SKIPPED_ENTRIES('$2', '$7', '$8', '$9')}, job AS (
  SELECT graphile_worker.add_job('ingest_batch', json_build_object('runId', $2::bigint, 'fileIds', c.pending), max_attempts => $6)
  FROM counts c WHERE c.pending IS NOT NULL
)
SELECT c.registered, c.skipped, coalesce(cardinality(c.pending), 0) AS enqueued,
       (SELECT count(*) FROM run) AS runs, (SELECT count(*) FROM job) AS jobs
FROM counts c`;

const UPSERT = `
  ON CONFLICT (release_id, path) DO UPDATE SET
    status = CASE
      WHEN f.size_bytes = EXCLUDED.size_bytes AND f.mtime_ms = EXCLUDED.mtime_ms
           AND f.status IN ('INGESTED', 'INVALID') AND NOT f.changed_on_disk THEN f.status
      ELSE 'PENDING' END,
    size_bytes = EXCLUDED.size_bytes,
    mtime_ms = EXCLUDED.mtime_ms,
    run_id = EXCLUDED.run_id,
    attempts = 0,
    missing = false,
    changed_on_disk = false
  WHERE f.run_id IS DISTINCT FROM EXCLUDED.run_id
`;
const SQL_UPSERT = sql(UPSERT);
/**
 * A release with no files when its run started takes plain inserts: no other run can add
 * files to it meanwhile (one run per release at a time), and ON CONFLICT's speculative
 * insertion is a measurable part of the per-file server CPU. A scan rerun after a crash finds
 * the files of its first attempt, so it is never "empty" and upserts. (A first ingest is
 * normally write-once and registers nothing: enqueue-new-files.ts. This path is for the scan
 * whose first attempt died before it could decide that.)
 */
const SQL_INSERT = sql('');

export async function registerFiles(
  pool: pg.Pool,
  releaseId: number,
  runId: number,
  files: ChunkToRegister,
  maxAttempts: number,
  releaseWasEmpty = false,
): Promise<RegisterResult> {
  const { rows } = await pool.query(releaseWasEmpty ? SQL_INSERT : SQL_UPSERT, [
    releaseId,
    runId,
    files.paths,
    files.sizes,
    files.mtimesMs,
    maxAttempts,
    ...skippedColumns(files),
  ]);
  const r = rows[0];
  return { registered: r.registered, skipped: r.skipped, enqueued: r.enqueued };
}
