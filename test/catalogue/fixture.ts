/** Shared set-up of the catalogue load tests: a release of catalogue fixtures, ingested and loaded. */
import fs from 'node:fs';
import path from 'node:path';
import type { Database } from '../../src/db/client.js';
import { submitIngest } from '../../src/ingest/submit.js';

export const FIXTURES = path.join(import.meta.dirname, '..', 'fixtures', 'catalogue');

/**
 * Jobs still queued or running, of any task. A run ends only after its catalogue loads, but a
 * test's own loads (loadCatalogue called directly) and failed jobs are not a run's, so the
 * loading tests wait for an empty queue as well.
 */
export async function pendingJobs(database: Database): Promise<number> {
  const { rows } = await database.pool.query(`SELECT count(*)::int AS n FROM graphile_worker._private_jobs`);
  return rows[0].n;
}

/** Ingests `dir` under root and waits until the run and every catalogue load it queued are done. */
export async function ingestAndLoad(database: Database, root: string, dir: string, survey: string, release: string, timeoutMs = 90_000): Promise<number> {
  const run = await submitIngest(database, root, { survey, release, path: dir });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await database.pool.query(`SELECT status FROM ingestion_runs WHERE id = $1`, [run.id]);
    if (['SUCCEEDED', 'PARTIAL', 'FAILED'].includes(rows[0]?.status) && (await pendingJobs(database)) === 0) return run.id;
    if (Date.now() > deadline) {
      const { rows: jobs } = await database.pool.query(`SELECT payload, attempts, last_error FROM graphile_worker._private_jobs`);
      throw new Error(`run ${run.id} and its catalogue loads did not finish in ${timeoutMs} ms: ${JSON.stringify(jobs)}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function copyFixture(name: string, dir: string, as = name): void {
  fs.copyFileSync(path.join(FIXTURES, name), path.join(dir, as));
}
