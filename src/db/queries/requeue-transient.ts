/**
 * Files that could not be read *now* (EIO, EMFILE, ...): count the attempt and enqueue them
 * again as a new batch after an exponential backoff. One statement, only when there are any;
 * nothing in a release published meanwhile (run-fragments.ts, openRelease).
 */
import type pg from 'pg';
import { openRelease, RELEASE_OPEN } from './run-fragments.js';

export async function requeueTransient(
  pool: pg.Pool,
  runId: number,
  releaseId: number,
  fileIds: number[],
  baseDelaySeconds: number,
  maxJobAttempts: number,
): Promise<void> {
  await pool.query(
    `WITH ${openRelease('$5')}, bumped AS (
       UPDATE files SET attempts = attempts + 1
       WHERE id = ANY($2::bigint[]) AND run_id = $1 AND status = 'PENDING' AND ${RELEASE_OPEN}
       RETURNING id, attempts)
     SELECT graphile_worker.add_job('ingest_batch',
              json_build_object('runId', $1::bigint, 'fileIds', array_agg(id ORDER BY id)),
              run_at => now() + make_interval(secs => $3::float8 * power(2, max(attempts) - 1)),
              max_attempts => $4)
     FROM bumped HAVING count(*) > 0`,
    [runId, fileIds, baseDelaySeconds, maxJobAttempts, releaseId],
  );
}
