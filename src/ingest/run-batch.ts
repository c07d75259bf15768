/**
 * An ingest batch job's work, set-at-a-time from end to end:
 *   load (1 statement) -> read + checksum + validate on the thread pool -> sources through
 *   the batch's DataLoader (1) -> clear old results (1) -> insert HDUs + issues (1) ->
 *   outcomes + records + run counters (1).
 * Five statements per batch whatever its size (plus one to requeue transient failures,
 * only when there are any). Every write is idempotent, so a crashed batch just reruns.
 */
import path from 'node:path';
import type pg from 'pg';
import { loadBatchFiles } from '../db/queries/load-batch-files.js';
import { clearFileResults } from '../db/queries/clear-file-results.js';
import { insertFileResults } from '../db/queries/insert-file-results.js';
import { finishBatch } from '../db/queries/finish-batch.js';
import { requeueTransient } from '../db/queries/requeue-transient.js';
import { filesProcessed, ingestStageSeconds } from '../monitor/metrics.js';
import type { JobActivityHandle } from '../monitor/activity.js';
import { withQueryScope } from '../monitor/query-scope.js';
import type { AnalysisPool } from './analyze/pool.js';
import type { FileAnalysis } from './analyze/types.js';
import { createJobLoaders } from './loaders.js';
import { DEFAULT_RULES } from './rules.js';
import type { IngestSettings } from './settings.js';

export interface BatchDeps {
  pool: pg.Pool;
  analysis: AnalysisPool;
  settings: IngestSettings;
  activity?: JobActivityHandle;
}

export interface BatchResult {
  processed: number;
  requeued: number;
  runStatus: string | null;
}

const SLOWEST_PER_BATCH = 5;

/**
 * @param attempt the job's attempt number: a rerun (> 1, e.g. after a crash) may find HDUs and
 *   issues written by the attempt that died, so it clears them for every file of the batch.
 */
export async function runBatch(deps: BatchDeps, runId: number, fileIds: number[], queueSeconds = 0, attempt = 1): Promise<BatchResult> {
  const { pool, analysis, settings, activity } = deps;
  return withQueryScope('ingest', async (scope) => {
    const stages: Record<string, number> = { queue: queueSeconds };
    let t = performance.now();
    activity?.stage('load');
    const batch = await loadBatchFiles(pool, runId, fileIds);
    stages.load = since(t);
    if (!batch.files.length || batch.root === null || batch.releaseId === null) return { processed: 0, requeued: 0, runStatus: null };

    t = performance.now();
    activity?.stage('analyze');
    const tasks = batch.files.map((f) => ({ id: f.id, path: f.path, absPath: path.join(batch.root!, f.path) }));
    const results = await analysis.analyze(tasks, batch.rules ?? DEFAULT_RULES, (chunk) => activity?.file(chunk[chunk.length - 1]?.path ?? null));
    stages.analyze = since(t);

    // Transient read errors: retry later as a new batch, or give up after maxFileAttempts.
    const attempts = new Map(batch.files.map((f) => [f.id, f.attempts]));
    const retry: number[] = [];
    const done: FileAnalysis[] = [];
    for (const r of results) {
      if (r.outcome !== 'TRANSIENT') done.push(r);
      else if ((attempts.get(r.id) ?? 0) + 1 >= settings.maxFileAttempts) {
        r.outcome = 'FAILED';
        r.issues = [{ ...r.issues[0], message: `${r.issues[0]?.message ?? r.error} (gave up after ${settings.maxFileAttempts} attempts)` }];
        done.push(r);
      } else retry.push(r.id);
    }

    t = performance.now();
    activity?.stage('write');
    activity?.file(null);
    const names = done.map((r) => r.record?.sourceName ?? null);
    const loaders = createJobLoaders(pool);
    const sourceIds = await Promise.all(names.map((n) => (n === null ? null : loaders.sourceIdByName.load(n))));
    // Only files with earlier results need clearing: a first ingest skips the statement.
    const hadResults = new Set(batch.files.filter((f) => f.processed || attempt > 1).map((f) => f.id));
    const stale = done.filter((r) => hadResults.has(r.id));
    if (stale.length) {
      await clearFileResults(
        pool,
        stale.map((r) => r.id),
        stale.filter((r) => r.outcome === 'FAILED').map((r) => r.id),
      );
    }
    await insertFileResults(pool, done);
    if (retry.length) await requeueTransient(pool, runId, retry, settings.retryBaseDelaySeconds, settings.maxJobAttempts);
    for (const r of done) for (const [stage, s] of Object.entries(r.stages)) stages[stage] = (stages[stage] ?? 0) + s;
    stages.write = since(t); // the last statement's own time is not in it; it carries the figure
    const finish = await finishBatch(pool, runId, batch.releaseId, done, sourceIds, scope.queries, stages, slowest(done), hadResults);

    for (const [key, n] of Object.entries(finish.moved)) {
      const [kind, status] = key.split('/');
      filesProcessed.inc({ kind, status }, n);
    }
    for (const [stage, s] of Object.entries(stages)) ingestStageSeconds.observe({ stage }, s);
    return { processed: done.length, requeued: retry.length, runStatus: finish.runStatus };
  });
}

/** The batch's slowest files: total seconds, and the stage that took most of it. */
function slowest(results: FileAnalysis[]): Array<{ path: string; stage: string; seconds: number }> {
  return results
    .map((r) => {
      const [stage] = Object.entries(r.stages).reduce((a, b) => (b[1] > a[1] ? b : a), ['read', 0]);
      const total = Object.values(r.stages).reduce((a, b) => a + b, 0);
      return { path: r.path, stage, seconds: Math.round(total * 1e6) / 1e6 };
    })
    .sort((a, b) => b.seconds - a.seconds)
    .slice(0, SLOWEST_PER_BATCH);
}

function since(t: number): number {
  return (performance.now() - t) / 1000;
}
