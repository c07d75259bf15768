/**
 * Batch stage "write" (2/3), one statement for the whole batch: every HDU header and every
 * validation issue, as parallel arrays through unnest (a bulk insert without COPY's extra
 * protocol round trips). The headers go in PostgreSQL's binary array format (text-column.ts),
 * and so do the number columns (number-array.ts).
 *
 * Plain INSERTs, no ON CONFLICT: the batch has already cleared every file that could have
 * rows (files processed before, and every file of a job's rerun: clear-file-results.ts), and
 * a speculative insert costs ~8 us of server CPU more per spectrum. Should a row exist anyway,
 * the statement fails, the job is retried, and the rerun clears first. Nothing is inserted
 * into a release published meanwhile (run-fragments.ts, openRelease).
 */
import type pg from 'pg';
import type { AnalysisColumns } from '../../ingest/analyze/columns.js';
import { INT4, INT8, numberArrayParam } from '../number-array.js';
import { stringArrayParam, textArrayParam } from '../text-column.js';
import { openRelease, RELEASE_OPEN } from './run-fragments.js';

export async function insertFileResults(pool: pg.Pool, releaseId: number, { hdus: h, issues: i }: AnalysisColumns): Promise<void> {
  if (!h.fileId.length && !i.fileId.length) return;
  await pool.query(
    `WITH ${openRelease('$13')}, h AS (
       INSERT INTO hdus (file_id, index, type, bitpix, naxis, header)
       SELECT file_id, index, type, bitpix, naxis::int[], header
       FROM unnest($1::bigint[], $2::int[], $3::text[], $4::int[], $5::text[], $6::text[])
            AS t(file_id, index, type, bitpix, naxis, header)
       WHERE ${RELEASE_OPEN})
     INSERT INTO validation_issues (file_id, severity, code, message, hdu, keyword)
     SELECT * FROM unnest($7::bigint[], $8::text[], $9::text[], $10::text[], $11::int[], $12::text[]) WHERE ${RELEASE_OPEN}`,
    [...hduIssueParams(h, i), releaseId],
  );
}

/**
 * The HDU and issue columns as the 12 parameters both statements unnest (here and the
 * write-once statement, write-new-files.ts): hdus file_id, index, type, bitpix, naxis, header,
 * then issues file_id, severity, code, message, hdu, keyword.
 */
export function hduIssueParams(h: AnalysisColumns['hdus'], i: AnalysisColumns['issues']): unknown[] {
  return [
    numberArrayParam(INT8, h.fileId),
    numberArrayParam(INT4, h.index),
    stringArrayParam(h.type),
    numberArrayParam(INT4, h.bitpix),
    stringArrayParam(h.naxis),
    textArrayParam(h.header),
    numberArrayParam(INT8, i.fileId),
    stringArrayParam(i.severity),
    stringArrayParam(i.code),
    stringArrayParam(i.message),
    numberArrayParam(INT4, i.hdu),
    stringArrayParam(i.keyword),
  ];
}
