/** Helpers for tests that run real ingests: a worker on the test database, and waiting for runs. */
import type { AsyncTapLimits } from '../../src/config.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Database } from '../../src/db/client.js';
import { createLogger } from '../../src/log.js';
import { ActivityBoard } from '../../src/monitor/activity.js';
import { startWorker, type RunningWorker } from '../../src/worker/runner.js';
import { DEFAULT_INGEST_SETTINGS, type IngestSettings } from '../../src/ingest/settings.js';

export function tempDir(prefix = 'astroarchive-data-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export async function startTestWorker(
  database: Database,
  settings: Partial<IngestSettings> = {},
  activity = new ActivityBoard(),
  tapLimits?: AsyncTapLimits,
): Promise<RunningWorker> {
  return startWorker({
    tapLimits,
    pool: database.pool,
    logger: createLogger('silent'),
    activity,
    settings: { ...DEFAULT_INGEST_SETTINGS, ...settings },
    concurrency: 2,
    threads: 2,
    pollIntervalMs: 100,
  });
}

export interface RunState {
  id: number;
  status: string;
  total_files: number;
  processed_files: number;
  ingested_files: number;
  invalid_files: number;
  failed_files: number;
  skipped_files: number;
  missing_files: number;
  queries: number;
  stage_seconds: Record<string, number>;
  error: string | null;
}

export async function waitForRun(database: Database, runId: number, timeoutMs = 60_000): Promise<RunState> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await database.pool.query<RunState>(`SELECT * FROM ingestion_runs WHERE id = $1`, [runId]);
    const run = rows[0];
    if (run && ['SUCCEEDED', 'PARTIAL', 'FAILED'].includes(run.status)) return run;
    if (Date.now() > deadline) throw new Error(`run ${runId} did not finish in ${timeoutMs} ms: ${JSON.stringify(run)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * The per-file tables have no foreign keys (see src/db/schema.ts): the ingest keeps them
 * consistent itself, and this is the check that it does. Counts rows that point at nothing.
 */
export async function orphanRows(database: Database): Promise<Record<string, number>> {
  const { rows } = await database.pool.query(
    `SELECT (SELECT count(*) FROM hdus h WHERE NOT EXISTS (SELECT 1 FROM files f WHERE f.id = h.file_id))::int AS hdus,
            (SELECT count(*) FROM validation_issues i WHERE NOT EXISTS (SELECT 1 FROM files f WHERE f.id = i.file_id))::int AS issues,
            (SELECT count(*) FROM records r WHERE NOT EXISTS (SELECT 1 FROM files f WHERE f.id = r.file_id AND f.release_id = r.release_id))::int AS records,
            (SELECT count(*) FROM records r WHERE r.source_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM sources s WHERE s.id = r.source_id))::int AS record_sources,
            (SELECT count(*) FROM files f WHERE NOT EXISTS (SELECT 1 FROM releases r WHERE r.id = f.release_id))::int AS files`,
  );
  return rows[0];
}
