/**
 * `retryFailed(runId)`: re-queue only the FAILED files of a finished run. A run whose scan
 * itself failed (nothing or only part of the directory was registered) is scanned again;
 * the scan skips what it already registered.
 *
 * One transaction that first locks the release row FOR UPDATE, as `publishRelease` and
 * `ingestRelease` do: a retry and a publication of the same release are serialised. Whichever
 * comes second sees the other's outcome: a retry after the publication is refused (a
 * published release is immutable), a publication after the retry sees the run RUNNING and is
 * refused until it ends. Checked without the lock, both could win, and a FAILED file became
 * INGESTED after the release went public.
 */
import type { Database } from '../db/client.js';
import { ArchiveError, notFound } from '../errors.js';
import { requeueFailed } from '../db/queries/requeue-failed.js';
import { DEFAULT_INGEST_SETTINGS, type IngestSettings } from './settings.js';
import { toRunRow, type RunRow } from './submit.js';

export async function retryFailed(database: Database, runId: number, settings: IngestSettings = DEFAULT_INGEST_SETTINGS): Promise<RunRow> {
  const client = await database.pool.connect();
  try {
    await client.query('BEGIN');
    const { rows: rel } = await client.query<{ status: string }>(
      `SELECT rel.status FROM releases rel JOIN ingestion_runs r ON r.release_id = rel.id WHERE r.id = $1 FOR UPDATE OF rel`,
      [runId],
    );
    if (!rel[0]) throw notFound(`ingestion run ${runId} does not exist`);
    if (rel[0].status === 'published') throw new ArchiveError('BAD_USER_INPUT', `run ${runId} belongs to a published release, which is immutable`, 'runId');
    // A new statement after the lock: it sees every run committed before we got it.
    const { rows } = await client.query<{ status: string; scan_done: boolean; other_id: string | null; other_status: string | null }>(
      `SELECT r.status, r.scan_done, o.id AS other_id, o.status AS other_status
       FROM ingestion_runs r
       LEFT JOIN LATERAL (SELECT id, status FROM ingestion_runs o WHERE o.release_id = r.release_id AND o.id <> r.id
                          AND o.status IN ('QUEUED', 'RUNNING') ORDER BY o.id LIMIT 1) o ON true
       WHERE r.id = $1`,
      [runId],
    );
    const run = rows[0];
    if (run.status === 'QUEUED' || run.status === 'RUNNING') {
      throw new ArchiveError('CONFLICT', `run ${runId} is still ${run.status}; retry its failed files when it has finished`);
    }
    if (run.other_id !== null) {
      // One run at a time per release: the other run may be re-registering these very files.
      throw new ArchiveError('CONFLICT', `run ${run.other_id} of the same release is still ${run.other_status}; retry run ${runId} when it has finished`);
    }
    let row: Record<string, unknown> | undefined;
    if (!run.scan_done) {
      const { rows: again } = await client.query(
        `WITH j AS (SELECT graphile_worker.add_job('scan_release', json_build_object('runId', $1::bigint), job_key => 'scan:' || $1))
         UPDATE ingestion_runs SET status = 'QUEUED', error = NULL, finished_at = NULL WHERE id = $1 AND (SELECT count(*) FROM j) = 1 RETURNING *`,
        [runId],
      );
      row = again[0];
    } else {
      row = await requeueFailed(client, runId, settings.batchSize, settings.maxJobAttempts);
    }
    await client.query('COMMIT');
    return toRunRow(row!);
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}
