/**
 * Batch stage "write" (2/3), one statement for the whole batch: every HDU header and every
 * validation issue, as parallel arrays through unnest (a bulk insert without COPY's extra
 * protocol round trips).
 *
 * Plain INSERTs, no ON CONFLICT: the batch has already cleared every file that could have
 * rows (files processed before, and every file of a job's rerun: clear-file-results.ts), and
 * a speculative insert costs ~8 us of server CPU more per spectrum. Should a row exist anyway,
 * the statement fails, the job is retried, and the rerun clears first.
 */
import type pg from 'pg';
import type { FileAnalysis } from '../../ingest/analyze/types.js';

export async function insertFileResults(pool: pg.Pool, files: FileAnalysis[]): Promise<void> {
  const h = { file: [] as number[], index: [] as number[], type: [] as string[], bitpix: [] as (number | null)[], naxis: [] as string[], header: [] as string[] };
  const i = { file: [] as number[], severity: [] as string[], code: [] as string[], message: [] as string[], hdu: [] as (number | null)[], keyword: [] as (string | null)[] };
  for (const f of files) {
    for (const hdu of f.hdus) {
      h.file.push(f.id);
      h.index.push(hdu.index);
      h.type.push(hdu.type);
      h.bitpix.push(hdu.bitpix);
      h.naxis.push(`{${hdu.naxis.join(',')}}`);
      h.header.push(noNul(hdu.header));
    }
    for (const issue of f.issues) {
      i.file.push(f.id);
      i.severity.push(issue.severity);
      i.code.push(issue.code);
      i.message.push(noNul(issue.message));
      i.hdu.push(issue.hdu);
      i.keyword.push(issue.keyword === null ? null : noNul(issue.keyword));
    }
  }
  if (!h.file.length && !i.file.length) return;
  await pool.query(
    `WITH h AS (
       INSERT INTO hdus (file_id, index, type, bitpix, naxis, header)
       SELECT file_id, index, type, bitpix, naxis::int[], header
       FROM unnest($1::bigint[], $2::int[], $3::text[], $4::int[], $5::text[], $6::text[])
            AS t(file_id, index, type, bitpix, naxis, header))
     INSERT INTO validation_issues (file_id, severity, code, message, hdu, keyword)
     SELECT * FROM unnest($7::bigint[], $8::text[], $9::text[], $10::text[], $11::int[], $12::text[])`,
    [h.file, h.index, h.type, h.bitpix, h.naxis, h.header, i.file, i.severity, i.code, i.message, i.hdu, i.keyword],
  );
}

/**
 * PostgreSQL text cannot hold NUL. A header with NUL bytes is already an ERROR
 * (FITS_ILLEGAL_CHARACTER); storing it with U+FFFD in their place keeps every other byte.
 */
function noNul(s: string): string {
  return s.includes('\0') ? s.replace(/\0/g, '\uFFFD') : s;
}
