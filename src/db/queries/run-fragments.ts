/**
 * SQL fragments shared by the statements that move an ingestion run (alias `r`). A run ends
 * in whichever statement sees the scan done and every registered file processed: that can
 * be the last batch or the scan itself (when everything was skipped). UPDATE re-reads the
 * locked row, so the check is race-free between concurrent batches.
 *
 * finished_at is clock_timestamp(), not now(): now() is when the statement *started*, and a
 * statement that waited for the run's row lock (the scan's last one waits behind every batch
 * that commits meanwhile) would stamp the run as finished seconds before it did. The bench
 * measured a blobs run "finishing" at 0.25 s that ended at 1.5 s.
 */

/**
 * The guard of every statement that writes a release's files, HDUs, issues or records: a CTE
 * `open_release` with the release's row if it is still a draft, locked FOR KEY SHARE for the
 * statement's transaction. `publishRelease` takes the row FOR UPDATE, which conflicts, so a
 * write either commits before the publication (which then sees the run, or the written
 * files, and decides on them) or waits for it and finds the release published (the lock
 * re-reads the row): nothing is written to a published release. One row lock per statement,
 * not per file; KEY SHARE, not SHARE, so it does not conflict with the other updates of a
 * release row (its rules) and concurrent batches share it.
 *
 * Each write gates on `RELEASE_OPEN`, and the statements that move a run end it FAILED
 * (finishColumns) when the release was published meanwhile, so the run does not wait for
 * files nobody will write.
 */
export const openRelease = (release: string) => `open_release AS MATERIALIZED (
  SELECT id FROM releases WHERE id = ${release} AND status <> 'published' FOR KEY SHARE
)`;

/** True while the statement's release is a draft (needs `openRelease` in the statement). */
export const RELEASE_OPEN = '(EXISTS (SELECT 1 FROM open_release))';

export const PUBLISHED_MEANWHILE = 'the release was published while this run was in progress; files not written by then were left as they were';

/**
 * `r` after adding `$processed` processed and `$failed` failed files: is it finished?
 * (finishColumns also needs the statement's `openRelease` CTE.)
 */
export const isDone = (processed: string) => `(r.scan_done AND r.processed_files + ${processed} >= r.total_files)`;

/**
 * Every catalogue load the run queued has ended, counting `queued` loads this statement adds
 * and `ended` loads it ends. Batches queue loads and load jobs end them in either order (a
 * load can end before the statement that counts its queueing commits), so the test is on
 * both counters under the run's row lock, whoever comes last.
 */
export const loadsDone = (queued: string, ended: string) => `(r.catalogue_loads_done + ${ended} >= r.catalogue_loads + ${queued})`;

/**
 * The run's status, error and finished_at after this statement. A run whose files are all
 * processed stays RUNNING while catalogue loads it queued have not ended: its tables are not
 * queryable yet, and `ingest --wait` follows the run until they are.
 */
export const finishColumns = (processed: string, failed: string, scanDone = isDone(processed), loads = { queued: '0', ended: '0' }) => `
  status = CASE WHEN NOT ${RELEASE_OPEN} THEN CASE WHEN r.status IN ('QUEUED', 'RUNNING') THEN 'FAILED' ELSE r.status END
                WHEN ${scanDone} AND ${loadsDone(loads.queued, loads.ended)}
                THEN CASE WHEN r.failed_files + ${failed} > 0 THEN 'PARTIAL' ELSE 'SUCCEEDED' END
                ELSE r.status END,
  error = CASE WHEN NOT ${RELEASE_OPEN} AND r.status IN ('QUEUED', 'RUNNING') THEN '${PUBLISHED_MEANWHILE}' ELSE r.error END,
  finished_at = CASE WHEN NOT ${RELEASE_OPEN} THEN coalesce(r.finished_at, clock_timestamp())
                     WHEN ${scanDone} AND ${loadsDone(loads.queued, loads.ended)} THEN clock_timestamp() ELSE r.finished_at END`;

/**
 * A CTE writing the run's progress row (run_progress) for `files` files processed now, when
 * there are any: the dashboard's curve of the run (a data-modifying CTE runs whether or not
 * anything reads it).
 */
export const progressRow = (run: string, files: string) =>
  `progress AS (INSERT INTO run_progress (run_id, files) SELECT ${run}, n FROM (SELECT ${files} AS n) p WHERE n <> 0)`;

/** Add a {stage: seconds} JSON object (text parameter) to r.stage_seconds. */
export const addStages = (param: string) => `
  stage_seconds = (
    SELECT coalesce(jsonb_object_agg(k, round((coalesce((r.stage_seconds->>k)::numeric, 0)
                                              + coalesce((${param}::jsonb->>k)::numeric, 0)), 6)), '{}'::jsonb)
    FROM (SELECT jsonb_object_keys(r.stage_seconds) UNION SELECT jsonb_object_keys(${param}::jsonb)) AS keys(k))`;

/** Merge a [{path, stage, seconds}] list (text parameter) into r.slowest_files, keeping the 20 slowest. */
export const mergeSlowest = (param: string) => `
  slowest_files = (
    SELECT coalesce(jsonb_agg(e ORDER BY (e->>'seconds')::float8 DESC), '[]'::jsonb)
    FROM (SELECT e FROM jsonb_array_elements(r.slowest_files || ${param}::jsonb) AS e
          ORDER BY (e->>'seconds')::float8 DESC LIMIT 20) AS top)`;

/**
 * The tail of a batch's write statement: a `counts` CTE over the files it wrote (`written`, a
 * CTE returning id, status, kind), then the run's counters, statement count, stage timings and
 * slowest files and catalogue loads queued (`loads`: an id array parameter; only files the
 * statement moved count, so a rerun cannot count a load twice) and its progress row, ending the run if this was its
 * last batch and no load is outstanding. Returns the run's status and the
 * files it moved, by "KIND/STATUS". `extra` columns of `counts` may reference CTEs that must
 * run (PostgreSQL evaluates a SELECT in WITH only as far as something reads it).
 */
export const countAndMoveRun = (p: { written: string; records: string; extra?: string; run: string; queries: string; stages: string; slowest: string; loads: string }) => `
counts AS (
  SELECT count(*)::int AS processed,
         count(*) FILTER (WHERE status = 'INGESTED')::int AS ingested,
         count(*) FILTER (WHERE status = 'INVALID')::int AS invalid,
         count(*) FILTER (WHERE status = 'FAILED')::int AS failed,
         ${p.records} AS records,
         count(*) FILTER (WHERE id = ANY(${p.loads}::bigint[]))::int AS loads,${p.extra ? `\n         ${p.extra},` : ''}
         coalesce((SELECT json_object_agg(k, n) FROM (SELECT kind || '/' || status AS k, count(*) AS n FROM ${p.written} GROUP BY 1) g), '{}') AS moved
  FROM ${p.written}
), ${progressRow(p.run, '(SELECT processed FROM counts)')}
UPDATE ingestion_runs r SET
  processed_files = r.processed_files + c.processed,
  ingested_files = r.ingested_files + c.ingested,
  invalid_files = r.invalid_files + c.invalid,
  failed_files = r.failed_files + c.failed,
  queries = r.queries + ${p.queries},
  ${addStages(p.stages)},
  ${mergeSlowest(p.slowest)},
  catalogue_loads = r.catalogue_loads + c.loads,
  ${finishColumns('c.processed', 'c.failed', undefined, { queued: 'c.loads', ended: '0' })}
FROM counts c WHERE r.id = ${p.run}
RETURNING r.status, c.moved`;
