/**
 * The end of a catalogue load, one statement whatever its outcome:
 * - its findings replace the file's earlier load findings (codes CATALOGUE_*): a rerun
 *   reports each problem once, and the analysis's own issues stay;
 * - a load that rejected a table (an ERROR finding) makes an INGESTED file INVALID, and a load
 *   given up after its last attempt makes the file FAILED (`retryFailed` takes it again), so
 *   the file's status says what its tables are, and the run that counted the file moves it
 *   from one count to the other (its record follows, as records.invalid does at the write);
 * - the load's run counts one more load ended, and ends if this was the last thing it waited
 *   for (run-fragments.ts, loadsDone).
 * Nothing about the file's status is changed once its release is published (openRelease).
 */
import type pg from 'pg';
import { finishColumns, isDone, openRelease, RELEASE_OPEN } from './run-fragments.js';

export interface LoadIssue {
  severity: string;
  code: string;
  message: string;
  hdu: number | null;
  keyword: string | null;
}

export interface LoadEnd {
  fileId: number;
  /** The run whose job this was (null: a load outside any run, e.g. the bench). */
  runId: number | null;
  issues: readonly LoadIssue[];
  /** The file's new status: INVALID (a table rejected), FAILED (given up), or null (as it is). */
  status: 'INVALID' | 'FAILED' | null;
}

// Which statuses each outcome may move a file from: a rejection never turns FAILED into
// INVALID, a give-up takes a file whose tables are not all there whatever it was.
const SQL = `
WITH ${openRelease('(SELECT release_id FROM files WHERE id = $1)')}, gone AS (
  DELETE FROM validation_issues WHERE file_id = $1 AND code LIKE 'CATALOGUE\\_%'
), ins AS (
  INSERT INTO validation_issues (file_id, severity, code, message, hdu, keyword)
  SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::int[], $6::text[])
), old AS (
  SELECT id, status FROM files WHERE id = $1
), moved AS (
  UPDATE files f SET status = $8 FROM old o
  WHERE f.id = o.id AND o.status = ANY(CASE $8::text WHEN 'INVALID' THEN ARRAY['INGESTED'] WHEN 'FAILED' THEN ARRAY['INGESTED', 'INVALID'] END)
    AND ${RELEASE_OPEN}
  RETURNING f.run_id, o.status AS was, f.status AS now
), rec AS (
  UPDATE records SET invalid = true WHERE file_id = $1 AND EXISTS (SELECT 1 FROM moved WHERE now = 'INVALID')
), delta AS (
  SELECT id, sum(ingested)::int AS ingested, sum(invalid)::int AS invalid, sum(failed)::int AS failed, sum(ended)::int AS ended
  FROM (SELECT run_id AS id, (now = 'INGESTED')::int - (was = 'INGESTED')::int AS ingested,
               (now = 'INVALID')::int - (was = 'INVALID')::int AS invalid, (now = 'FAILED')::int AS failed, 0 AS ended
        FROM moved WHERE run_id IS NOT NULL
        UNION ALL
        SELECT $7::bigint, 0, 0, 0, 1 WHERE $7::bigint IS NOT NULL) d
  GROUP BY id
)
UPDATE ingestion_runs r SET
  ingested_files = r.ingested_files + d.ingested,
  invalid_files = r.invalid_files + d.invalid,
  failed_files = r.failed_files + d.failed,
  catalogue_loads_done = r.catalogue_loads_done + d.ended,
  -- Only a run still going can end here: the file's earlier run keeps its status and time.
  ${finishColumns('0', 'd.failed', `(r.status IN ('QUEUED', 'RUNNING') AND ${isDone('0')})`, { queued: '0', ended: 'd.ended' })}
FROM delta d WHERE r.id = d.id`;

export async function endCatalogueLoad(pool: pg.Pool, end: LoadEnd): Promise<void> {
  const i = end.issues;
  await pool.query(SQL, [
    end.fileId,
    i.map((x) => x.severity),
    i.map((x) => x.code),
    i.map((x) => x.message),
    i.map((x) => x.hdu),
    i.map((x) => x.keyword),
    end.runId,
    end.status,
  ]);
}
