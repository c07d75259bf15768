/**
 * The API benchmark's data: one PUBLISHED release of generated spectra and blobs, written
 * through the real ingest (scan, analysis threads, batch statements) rather than by SQL of
 * our own, so that every row (packed headers, issues, records, sources) is what production
 * serves. The files are generated once per --dir and reused (src/bench/run.ts generateOnce).
 */
import path from 'node:path';
import pg from 'pg';
import type { Database } from '../../db/client.js';
import { publishRelease } from '../../graphql/publish.js';
import { submitIngest } from '../../ingest/submit.js';
import { DEFAULT_INGEST_SETTINGS } from '../../ingest/settings.js';
import { createLogger } from '../../log.js';
import { ActivityBoard } from '../../monitor/activity.js';
import { startWorker } from '../../worker/runner.js';
import type { ReleaseShape } from '../generate.js';
import { generateOnce } from '../run.js';

/** The release: 20,000 spectra of 5,000 sources (4 records a source) plus 3,000 blobs. */
export const API_SHAPE: ReleaseShape = { spectra: 20_000, cubes: 0, images: 0, catalogues: 0, blobs: 3_000, sources: 5_000 };

export interface ApiDataset {
  releaseId: number;
  files: number;
  /** A spectrum in the middle of the release: Q3's file (two HDUs, a full header each). */
  spectrumFileId: number;
  ingestSeconds: number;
}

/** Generate (or reuse) the files under `root`, ingest them as one release, publish it, analyse. */
export async function loadApiDataset(database: Database, root: string, shape: ReleaseShape, log: (m: string) => void): Promise<ApiDataset> {
  const name = `api-${shape.spectra}s-${shape.blobs}b-${shape.sources}src`;
  const releaseDir = generateOnce(root, name, shape, log);
  const worker = await startWorker({
    pool: database.pool,
    logger: createLogger(process.env.LOG_LEVEL ?? 'warn'),
    activity: new ActivityBoard(),
    settings: DEFAULT_INGEST_SETTINGS,
  });
  const watcher = new pg.Client({ connectionString: database.url });
  await watcher.connect();
  try {
    const t0 = performance.now();
    log(`ingesting ${releaseDir} as release BENCH/${name} ...`);
    const run = await submitIngest(database, root, { survey: 'BENCH', release: name, path: path.relative(root, releaseDir) });
    let status = 'QUEUED';
    while (!['SUCCEEDED', 'PARTIAL', 'FAILED'].includes(status)) {
      await new Promise((r) => setTimeout(r, 50));
      ({ status } = (await watcher.query(`SELECT status FROM ingestion_runs WHERE id = $1`, [run.id])).rows[0]);
      // A job that failed will be retried for hours (graphile-worker's backoff): a bench
      // that waits for it would hang. Say why instead.
      const { rows: failed } = await watcher.query(`SELECT task_identifier, last_error FROM graphile_worker.jobs WHERE last_error IS NOT NULL LIMIT 1`);
      if (failed.length) throw new Error(`the API bench's ingest failed: job ${failed[0].task_identifier}: ${String(failed[0].last_error).split('\n')[0]}`);
    }
    if (status === 'FAILED') throw new Error(`the API bench's ingest run ${run.id} failed`);
    const ingestSeconds = (performance.now() - t0) / 1000;
    // Wait for the worker to finish its last job before it is stopped (nothing left queued).
    for (let i = 0; i < 500; i++) {
      const { rows } = await watcher.query(`SELECT count(*)::int AS n FROM graphile_worker._private_jobs`);
      if (rows[0].n === 0) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    await publishRelease(database, run.releaseId);
    // Both servers plan against fresh statistics, and neither pays for the ingest's aftermath.
    await watcher.query('VACUUM (ANALYZE)');
    await watcher.query('CHECKPOINT').catch(() => {});
    const { rows } = await watcher.query<{ files: number; spectrum: string }>(
      `SELECT count(*)::int AS files,
              (SELECT id FROM files WHERE release_id = $1 AND kind = 'SPECTRUM' ORDER BY id
                 OFFSET (SELECT count(*) / 2 FROM files WHERE release_id = $1 AND kind = 'SPECTRUM') LIMIT 1) AS spectrum
         FROM files WHERE release_id = $1`,
      [run.releaseId],
    );
    log(`  ${rows[0].files} files ingested (${status}) in ${ingestSeconds.toFixed(1)} s and published`);
    return { releaseId: run.releaseId, files: rows[0].files, spectrumFileId: Number(rows[0].spectrum), ingestSeconds };
  } finally {
    await watcher.end().catch(() => {});
    await worker.stop();
  }
}
