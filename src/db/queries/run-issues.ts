/**
 * What a run's scan left out (run_issues), and the part of a chunk statement that lists a
 * chunk's skipped entries: set-at-a-time, from three parallel arrays (path, code, message).
 */
import type pg from 'pg';

/** A CTE (`issues AS (...)`) inserting the skipped entries bound at `paths`, `codes`, `messages`. */
export const SKIPPED_ENTRIES = (runId: string, paths: string, codes: string, messages: string) => `issues AS (
  INSERT INTO run_issues (run_id, path, code, message)
  SELECT ${runId}, t.path, t.code, t.message FROM unnest(${paths}::text[], ${codes}::text[], ${messages}::text[]) AS t(path, code, message)
)`;

import type { ScanChunk, SkippedEntries } from '../../ingest/scan.js';

/** A chunk as the chunk statements take it: skipped entries optional (none). */
export type ChunkToRegister = Omit<ScanChunk, 'skipped'> & { skipped?: SkippedEntries };

/** The three parameters SKIPPED_ENTRIES binds: paths, codes, messages. */
export function skippedColumns(chunk: ChunkToRegister): [string[], string[], string[]] {
  const s = chunk.skipped;
  return s ? [s.paths, s.codes, s.messages] : [[], [], []];
}

export interface RunIssueRow {
  runId: number;
  path: string;
  code: string;
  message: string;
}

/** The first `first` issues of each run, in the order the scan found them, in one statement. */
export async function loadRunIssues(pool: pg.Pool, runIds: readonly number[], first: number): Promise<RunIssueRow[]> {
  const { rows } = await pool.query(
    `SELECT i.run_id, i.path, i.code, i.message
     FROM unnest($1::bigint[]) AS r(id)
     CROSS JOIN LATERAL (SELECT * FROM run_issues WHERE run_id = r.id ORDER BY id LIMIT $2) i`,
    [runIds, first],
  );
  return rows.map((r) => ({ runId: Number(r.run_id), path: r.path, code: r.code, message: r.message }));
}

/**
 * A scan rerun walks the whole release again and lists its skipped entries again: the ones
 * an earlier attempt listed go first (only on a rerun, so a scan's first attempt never pays).
 */
export async function clearRunIssues(pool: pg.Pool, runId: number): Promise<void> {
  await pool.query(
    `WITH cleared AS (DELETE FROM run_issues WHERE run_id = $1)
     UPDATE ingestion_runs SET skipped_entries = 0 WHERE id = $1`,
    [runId],
  );
}
