/**
 * Starting an ingest: the `ingestRelease` mutation's work. Validates the path, creates the
 * survey and draft release on first use, refuses published releases and concurrent runs,
 * and records the run and its scan job in ONE transaction, so a run never exists without
 * the job that will drive it (nor a job without its run).
 */
import type { Database } from '../db/client.js';
import type { ingestionRuns } from '../db/schema.js';
import { badInput, ArchiveError } from '../errors.js';
import { resolveInsideDataRoot } from './data-root.js';
import { loadRules } from './rules.js';

export type RunRow = typeof ingestionRuns.$inferSelect;

export interface IngestRequest {
  survey: string;
  release: string;
  path: string;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9 ._+-]{0,99}$/;

export async function submitIngest(database: Database, dataRoot: string, req: IngestRequest): Promise<RunRow> {
  const survey = checkName(req.survey, 'input.survey', 'survey');
  const release = checkName(req.release, 'input.release', 'release');
  const dir = await resolveInsideDataRoot(dataRoot, req.path);
  // Checked now, so a broken rules file is the caller's error to fix, not a failed run.
  const rules = await loadRules(dir);
  const client = await database.pool.connect();
  try {
    await client.query('BEGIN');
    // The upsert row-locks the release until COMMIT, so two concurrent submissions for one
    // release serialise here and the second sees the first's run.
    const { rows: rel } = await client.query<{ id: number; status: string }>(
      `WITH s AS (
         INSERT INTO surveys (name) VALUES ($1)
         ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name RETURNING id)
       INSERT INTO releases (survey_id, name) SELECT s.id, $2 FROM s
       ON CONFLICT (survey_id, name) DO UPDATE SET name = EXCLUDED.name
       RETURNING id, status`,
      [survey, release],
    );
    const { id: releaseId, status } = rel[0];
    if (status === 'published') {
      throw new ArchiveError(
        'BAD_USER_INPUT',
        `release ${survey}/${release} is published and immutable; ingest into a new release name instead`,
        'input.release',
      );
    }
    const { rows: active } = await client.query<{ id: number; status: string }>(
      `SELECT id, status FROM ingestion_runs WHERE release_id = $1 AND status IN ('QUEUED', 'RUNNING') LIMIT 1`,
      [releaseId],
    );
    if (active.length) {
      throw new ArchiveError(
        'CONFLICT',
        `run ${active[0].id} of ${survey}/${release} is still ${active[0].status}; wait for it (ingestionRun(id: "${active[0].id}")) before ingesting again`,
      );
    }
    await client.query(`UPDATE releases SET rules = $2 WHERE id = $1`, [releaseId, JSON.stringify(rules)]);
    const { rows: run } = await client.query<RunRow>(
      `WITH r AS (INSERT INTO ingestion_runs (release_id, path) VALUES ($1, $2) RETURNING *),
            j AS (SELECT graphile_worker.add_job('scan_release', json_build_object('runId', (SELECT id FROM r)), job_key => 'scan:' || (SELECT id FROM r)))
       SELECT r.* FROM r, j`,
      [releaseId, dir],
    );
    await client.query('COMMIT');
    return toRunRow(run[0]);
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

function checkName(value: string, field: string, what: string): string {
  const v = typeof value === 'string' ? value.trim() : '';
  if (!NAME.test(v)) {
    throw badInput(
      `${what} name ${JSON.stringify(value)} is not allowed: use 1-100 letters, digits, spaces or . _ + -, starting with a letter or digit`,
      field,
    );
  }
  return v;
}

/** Raw SQL rows arrive snake_cased; the rest of the code speaks drizzle's camelCase. */
export function toRunRow(r: Record<string, unknown>): RunRow {
  return {
    id: Number(r.id),
    releaseId: Number(r.release_id),
    status: r.status as string,
    path: r.path as string,
    totalFiles: r.total_files as number,
    processedFiles: r.processed_files as number,
    ingestedFiles: r.ingested_files as number,
    invalidFiles: r.invalid_files as number,
    failedFiles: r.failed_files as number,
    catalogueLoads: r.catalogue_loads as number,
    catalogueLoadsDone: r.catalogue_loads_done as number,
    skippedFiles: r.skipped_files as number,
    missingFiles: r.missing_files as number,
    skippedEntries: (r.skipped_entries as number | undefined) ?? 0,
    scanDone: r.scan_done as boolean,
    writeOnce: (r.write_once as boolean | undefined) ?? false,
    queries: Number(r.queries),
    stageSeconds: r.stage_seconds,
    slowestFiles: r.slowest_files,
    error: (r.error as string | null) ?? null,
    createdAt: r.created_at as Date,
    startedAt: (r.started_at as Date | null) ?? null,
    finishedAt: (r.finished_at as Date | null) ?? null,
  };
}
