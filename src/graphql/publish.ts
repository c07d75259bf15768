/**
 * Publishing a release: draft -> published, once, never while an ingest is queued or running
 * (the release would change after it went public). Idempotent: publishing a published
 * release returns it unchanged.
 *
 * Why a transaction with FOR UPDATE rather than one UPDATE ... WHERE NOT EXISTS: submitIngest
 * (src/ingest/submit.ts) locks the release row while it inserts its run. Waiting for that
 * lock first and only then looking for active runs (a new statement, a new snapshot) means a
 * run committed just before us is seen, and an ingest submitted just after us sees
 * `published` and refuses. retryFailed (src/ingest/retry.ts) locks the row the same way. The
 * ingest's own write statements take it FOR KEY SHARE and write nothing once the release is
 * published (src/db/queries/run-fragments.ts, openRelease): jobs left queued by a run that
 * ended (a scan that gave up) cannot change a release after this commits.
 */
import type { Database } from '../db/client.js';
import { releases } from '../db/schema.js';
import { ArchiveError, notFound } from '../errors.js';
import { selectList } from '../loaders/columns.js';
import { publishGrantSql } from '../db/queries/tap-grants.js';
import type { ReleaseModel } from './models.js';

export async function publishRelease(database: Database, releaseId: number): Promise<ReleaseModel> {
  const cols = selectList(releases, 'r');
  const client = await database.pool.connect();
  try {
    await client.query('BEGIN');
    const { rows } = await client.query<ReleaseModel>(`SELECT ${cols} FROM releases r WHERE r.id = $1 FOR UPDATE`, [releaseId]);
    if (rows.length === 0) throw notFound(`release ${releaseId} does not exist`);
    let release = rows[0];
    if (release.status !== 'published') {
      const { rows: active } = await client.query<{ id: number; status: string }>(
        `SELECT id, status FROM ingestion_runs WHERE release_id = $1 AND status IN ('QUEUED', 'RUNNING') ORDER BY id LIMIT 1`,
        [releaseId],
      );
      if (active.length) {
        throw new ArchiveError(
          'CONFLICT',
          `release ${releaseId} has run ${active[0].id} still ${active[0].status}; wait until it finishes (ingestionRun(id: "${active[0].id}")) and publish again`,
        );
      }
      // clock_timestamp(), not now(): the transaction may have waited for the lock, and a run
      // that ended while we waited must read as ended before the publication.
      const { rows: updated } = await client.query<ReleaseModel>(
        `UPDATE releases r SET status = 'published', published_at = clock_timestamp() WHERE r.id = $1 RETURNING ${cols}`,
        [releaseId],
      );
      release = updated[0];
      // Its catalogue tables become readable to anonymous TAP callers, and read-only, with it.
      await client.query(publishGrantSql(releaseId));
    }
    await client.query('COMMIT');
    return release;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}
