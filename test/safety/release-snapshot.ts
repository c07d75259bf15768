/**
 * What the "a published release never changes" tests compare: everything a user can see of a
 * release's files, as one value, and a wait for whatever the ingest queued to be done.
 */
import type { Database } from '../../src/db/client.js';
import { waitFor } from '../helpers/processes.js';

/** Each file with its status, attempts, checksum, HDU count, issues and record, in id order. */
export async function releaseSnapshot(database: Database, releaseId: number): Promise<unknown[]> {
  const { rows } = await database.pool.query(
    `SELECT f.id, f.path, f.status, f.attempts, f.checksum, f.size_bytes, f.missing, f.run_id, f.processed_at::text AS processed_at,
            (SELECT count(*) FROM hdus h WHERE h.file_id = f.id)::int AS hdus,
            (SELECT coalesce(array_agg(i.code || ':' || i.message ORDER BY i.id), '{}') FROM validation_issues i WHERE i.file_id = f.id) AS issues,
            (SELECT row_to_json(r)::text FROM records r WHERE r.file_id = f.id) AS record
     FROM files f WHERE f.release_id = $1 ORDER BY f.id`,
    [releaseId],
  );
  return rows;
}

/** No job left in the queue and no run still going: whatever was queued has been done. */
export async function ingestSettled(database: Database, timeoutMs = 120_000): Promise<void> {
  await waitFor(
    async () => {
      const { rows } = await database.pool.query(
        `SELECT (SELECT count(*) FROM graphile_worker._private_jobs)::int AS jobs,
                (SELECT count(*) FROM ingestion_runs WHERE status IN ('QUEUED', 'RUNNING'))::int AS active`,
      );
      return rows[0].jobs === 0 && rows[0].active === 0 ? true : undefined;
    },
    timeoutMs,
    50,
    'the queue to drain and every run to end',
  );
}
