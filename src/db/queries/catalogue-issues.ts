/**
 * A catalogue load's findings replace the file's earlier load findings (codes CATALOGUE_*),
 * in one statement: a rerun reports each problem once, and the analysis's own issues stay.
 */
import type pg from 'pg';

export interface LoadIssue {
  severity: string;
  code: string;
  message: string;
  hdu: number | null;
  keyword: string | null;
}

export async function replaceLoadIssues(pool: pg.Pool, fileId: number, issues: readonly LoadIssue[]): Promise<void> {
  await pool.query(
    `WITH gone AS (DELETE FROM validation_issues WHERE file_id = $1 AND code LIKE 'CATALOGUE\\_%')
     INSERT INTO validation_issues (file_id, severity, code, message, hdu, keyword)
     SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::int[], $6::text[])`,
    [fileId, issues.map((i) => i.severity), issues.map((i) => i.code), issues.map((i) => i.message), issues.map((i) => i.hdu), issues.map((i) => i.keyword)],
  );
}
