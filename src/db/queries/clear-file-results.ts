/**
 * Batch stage "write" (1/3): forget what an earlier ingest or a crashed attempt wrote for
 * these files' HDUs and issues (they are rewritten next), and drop the records of files
 * that now FAILED (a file that cannot be read has no record). Records of other files are
 * upserted in place so their ids stay stable across re-ingests. Nothing is cleared in a
 * release published meanwhile (run-fragments.ts, openRelease).
 */
import type pg from 'pg';
import { openRelease, RELEASE_OPEN } from './run-fragments.js';

export async function clearFileResults(pool: pg.Pool, releaseId: number, fileIds: number[], failedIds: number[]): Promise<void> {
  await pool.query(
    `WITH ${openRelease('$3')},
          h AS (DELETE FROM hdus WHERE file_id = ANY($1::bigint[]) AND ${RELEASE_OPEN}),
          r AS (DELETE FROM records WHERE file_id = ANY($2::bigint[]) AND ${RELEASE_OPEN})
     DELETE FROM validation_issues WHERE file_id = ANY($1::bigint[]) AND ${RELEASE_OPEN}`,
    [fileIds, failedIds, releaseId],
  );
}
