/**
 * Batch stage "write" (1/3): forget what an earlier ingest or a crashed attempt wrote for
 * these files' HDUs and issues (they are rewritten next), and drop the records of files
 * that now FAILED (a file that cannot be read has no record). Records of other files are
 * upserted in place so their ids stay stable across re-ingests.
 */
import type pg from 'pg';

export async function clearFileResults(pool: pg.Pool, fileIds: number[], failedIds: number[]): Promise<void> {
  await pool.query(
    `WITH h AS (DELETE FROM hdus WHERE file_id = ANY($1::bigint[])),
          r AS (DELETE FROM records WHERE file_id = ANY($2::bigint[]))
     DELETE FROM validation_issues WHERE file_id = ANY($1::bigint[])`,
    [fileIds, failedIds],
  );
}
