/**
 * The scan job's work: stream the release directory, register its files in chunks (one
 * statement per chunk: upsert + counters + enqueue), then flag files that are gone and mark
 * the scan done. Rerunning it after a crash is safe: files registered by this run are not
 * registered or enqueued twice (see register-files.ts).
 *
 * A release's first ingest (write-once) registers nothing: each chunk becomes a job that
 * carries its files (enqueue-new-files.ts), and its batch writes them once. A rerun of such a
 * scan starts the run over (reset-write-once-run.ts).
 *
 * What the scan leaves out (symlinks, FIFOs, unreadable directories, ...) is listed on the run
 * by each chunk's own statement. A release directory that cannot be read at all fails the run
 * at once with the reason: a retry would not help, and a run left RUNNING blocks its release.
 */
import type pg from 'pg';
import { startRun } from '../db/queries/start-run.js';
import { registerFiles } from '../db/queries/register-files.js';
import { enqueueNewFiles } from '../db/queries/enqueue-new-files.js';
import { resetWriteOnceRun } from '../db/queries/reset-write-once-run.js';
import { finishScan } from '../db/queries/finish-scan.js';
import { analyzeFiles } from '../db/queries/analyze-files.js';
import { ingestStageSeconds } from '../monitor/metrics.js';
import type { JobActivityHandle } from '../monitor/activity.js';
import { withQueryScope } from '../monitor/query-scope.js';
import { DEFAULT_RULES } from './rules.js';
import { ScanError, scanRelease } from './scan.js';
import { failRun } from '../db/queries/fail-run.js';
import { clearRunIssues } from '../db/queries/run-issues.js';
import type { IngestSettings } from './settings.js';

/** Chunk registrations running at once during a scan. */
const REGISTRATIONS_IN_FLIGHT = 3;

export interface ScanSummary {
  status: string;
  totalFiles: number;
  missingFiles: number;
  enqueued: number;
}

/** @param attempt the scan job's attempt (> 1: an earlier attempt crashed or failed). */
export async function runScan(
  pool: pg.Pool,
  runId: number,
  settings: IngestSettings,
  activity?: JobActivityHandle,
  attempt = 1,
): Promise<ScanSummary | undefined> {
  return withQueryScope('ingest', async (scope) => {
    const run = await startRun(pool, runId, attempt);
    if (!run || !['QUEUED', 'RUNNING'].includes(run.status)) return undefined;
    const started = performance.now();
    if (run.writeOnce && attempt > 1) {
      activity?.stage('reset');
      await resetWriteOnceRun(pool, runId, run.releaseId);
    }
    if (attempt > 1) await clearRunIssues(pool, runId);
    let enqueued = 0;
    activity?.stage('scan');
    let chunks = 0;
    // Up to REGISTRATIONS_IN_FLIGHT registrations run while the walk reads on: the walk and the
    // database overlap, and PostgreSQL can use more than one core (chunks are independent).
    // Bounded, so a fast walk over millions of files never queues more than a few chunks.
    const inFlight = new Set<Promise<void>>();
    try {
      for await (const chunk of scanRelease(run.path, { chunkSize: settings.batchSize, rules: run.rules ?? DEFAULT_RULES })) {
        if (chunk.paths.length) activity?.file(chunk.paths[chunk.paths.length - 1]);
        if (inFlight.size >= REGISTRATIONS_IN_FLIGHT) await Promise.race(inFlight);
        const n = ++chunks;
        const register = run.writeOnce
          ? enqueueNewFiles(pool, runId, chunk, settings.maxJobAttempts)
          : registerFiles(pool, run.releaseId, runId, chunk, settings.maxJobAttempts, run.releaseEmpty).then((r) => r.enqueued);
        const p: Promise<void> = register.then(async (count) => {
          enqueued += count;
          // Fresh statistics once the run has rows: batches look files up by primary key, and a
          // planner that still believes `files` is empty would scan it instead (autovacuum's
          // analyze can lag a minute behind a bulk load). A write-once scan adds no rows.
          if (n === 2 && !run.writeOnce) await analyzeFiles(pool);
        });
        inFlight.add(p);
        p.then(
          () => inFlight.delete(p),
          () => {}, // the failure is observed below (Promise.all) or by the next race
        );
      }
    } catch (err) {
      // The release directory itself cannot be read (gone, not a directory, moved): fail now.
      if (!(err instanceof ScanError)) throw err;
      await Promise.allSettled(inFlight);
      await failRun(pool, runId, err.message);
      return { status: 'FAILED', totalFiles: 0, missingFiles: 0, enqueued };
    }
    await Promise.all(inFlight);
    const seconds = (performance.now() - started) / 1000;
    ingestStageSeconds.observe({ stage: 'scan' }, seconds);
    const done = await finishScan(pool, run.releaseId, runId, { scan: seconds }, scope.queries);
    return { ...done, enqueued };
  });
}
