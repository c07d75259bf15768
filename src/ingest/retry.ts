/**
 * `retryFailed(runId)`: re-queue only the FAILED files of a finished run. A run whose scan
 * itself failed (nothing or only part of the directory was registered) is scanned again;
 * the scan skips what it already registered.
 */
import type { Database } from '../db/client.js';
import { ArchiveError, notFound } from '../errors.js';
import { requeueFailed } from '../db/queries/requeue-failed.js';
import { DEFAULT_INGEST_SETTINGS, type IngestSettings } from './settings.js';
import { toRunRow, type RunRow } from './submit.js';

export async function retryFailed(database: Database, runId: number, settings: IngestSettings = DEFAULT_INGEST_SETTINGS): Promise<RunRow> {
  const { rows } = await database.pool.query(
    `SELECT r.status, r.scan_done, rel.status AS release_status FROM ingestion_runs r JOIN releases rel ON rel.id = r.release_id WHERE r.id = $1`,
    [runId],
  );
  const run = rows[0];
  if (!run) throw notFound(`ingestion run ${runId} does not exist`);
  if (run.release_status === 'published') throw new ArchiveError('BAD_USER_INPUT', `run ${runId} belongs to a published release, which is immutable`, 'runId');
  if (run.status === 'QUEUED' || run.status === 'RUNNING') {
    throw new ArchiveError('CONFLICT', `run ${runId} is still ${run.status}; retry its failed files when it has finished`);
  }
  if (!run.scan_done) {
    const { rows: again } = await database.pool.query(
      `WITH j AS (SELECT graphile_worker.add_job('scan_release', json_build_object('runId', $1::bigint), job_key => 'scan:' || $1))
       UPDATE ingestion_runs SET status = 'QUEUED', error = NULL, finished_at = NULL WHERE id = $1 AND (SELECT count(*) FROM j) = 1 RETURNING *`,
      [runId],
    );
    return toRunRow(again[0]);
  }
  const row = await requeueFailed(database.pool, runId, settings.batchSize, settings.maxJobAttempts);
  return toRunRow(row!);
}
