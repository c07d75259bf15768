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
import { enqueueCatalogueLoads } from '../db/queries/catalogue-enqueue.js';
import { filesProcessed, ingestStageSeconds } from '../monitor/metrics.js';
import type { JobActivityHandle } from '../monitor/activity.js';
import { withQueryScope } from '../monitor/query-scope.js';
import type { AnalysisPool } from './analyze/pool.js';
import { filterFiles, type AnalysisColumns } from './analyze/columns.js';
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
    const tasks = batch.files.map((f) => ({ id: f.id, path: f.path, absPath: path.join(batch.root!, f.path), expected: { sizeBytes: f.sizeBytes, mtimeMs: f.mtimeMs } }));
    const analysed = await analysis.analyze(tasks, batch.rules ?? DEFAULT_RULES, (last) => activity?.file(last));
    stages.analyze = since(t);

    // Transient read errors: retry later as a new batch, or give up after maxFileAttempts.
    const { done, retry } = settleTransient(analysed, batch.files, settings.maxFileAttempts);

    t = performance.now();
    activity?.stage('write');
    activity?.file(null);
    const sourceIds = await resolveSources(pool, done);
    // Only files with earlier results need clearing: a first ingest skips the statement.
    const hadResults = new Set(batch.files.filter((f) => f.processed || attempt > 1).map((f) => f.id));
    const stale = done.files.id.filter((id) => hadResults.has(id));
    if (stale.length) {
      const failed = new Set(done.files.id.filter((_id, i) => done.files.outcome[i] === 'FAILED'));
      await clearFileResults(pool, batch.releaseId, stale, stale.filter((id) => failed.has(id)));
    }
    await insertFileResults(pool, batch.releaseId, done);
    if (retry.length) await requeueTransient(pool, runId, batch.releaseId, retry, settings.retryBaseDelaySeconds, settings.maxJobAttempts);
    // Before finishBatch: that statement carries the run's statement count, this one included.
    await queueCatalogueLoads(pool, runId, done);
    for (const [stage, s] of Object.entries(done.stages)) stages[stage] = (stages[stage] ?? 0) + s;
    stages.write = since(t); // the last statement's own time is not in it; it carries the figure
    const finish = await finishBatch(pool, runId, batch.releaseId, done, sourceIds, scope.queries, stages, done.slowest, hadResults, catalogueLoadIds(done));

    observeBatch(finish.moved, stages);
    return { processed: done.files.id.length, requeued: retry.length, runStatus: finish.runStatus };
  });
}

/**
 * The batch's catalogues get a load job each (src/catalogue/load-file.ts), queued in one
 * statement beside the batch's write, only when the batch has any: loading a table is work
 * proportional to its rows, which must not hold up the batch's other files. The write
 * statement counts them on the run, which ends only when every load has ended.
 */
export async function queueCatalogueLoads(pool: pg.Pool, runId: number, done: AnalysisColumns): Promise<void> {
  const ids = catalogueLoadIds(done);
  if (ids.length) await enqueueCatalogueLoads(pool, runId, ids);
}

/** The batch's files whose tables get loaded; queueCatalogueLoads sends a statement only if any. */
export function catalogueLoadIds(done: AnalysisColumns): number[] {
  const { id, kind, outcome, hasRecord } = done.files;
  return id.filter((_f, i) => kind[i] === 'CATALOGUE' && hasRecord[i] && (outcome[i] === 'INGESTED' || outcome[i] === 'INVALID'));
}

/** Each file's source id (null without a source name), through the batch's DataLoader. */
export function resolveSources(pool: pg.Pool, done: AnalysisColumns): Promise<(number | null)[]> {
  const loaders = createJobLoaders(pool);
  return Promise.all(done.files.sourceName.map((n) => (n === null ? null : loaders.sourceIdByName.load(n))));
}

/** Metrics of a written batch: files by kind/status, and its stage timings. */
export function observeBatch(moved: Record<string, number>, stages: Record<string, number>): void {
  for (const [key, n] of Object.entries(moved)) {
    const [kind, status] = key.split('/');
    filesProcessed.inc({ kind, status }, n);
  }
  for (const [stage, s] of Object.entries(stages)) ingestStageSeconds.observe({ stage }, s);
}

/**
 * Files whose read failed for a reason that may pass (TRANSIENT) are retried later, unless
 * this was their last attempt: then they are FAILED, and their issue says so.
 */
export function settleTransient(
  analysed: AnalysisColumns,
  files: Array<{ id: number; attempts: number }>,
  maxFileAttempts: number,
): { done: AnalysisColumns; retry: number[] } {
  const { id, outcome } = analysed.files;
  if (!outcome.includes('TRANSIENT')) return { done: analysed, retry: [] };
  const attempts = new Map(files.map((f) => [f.id, f.attempts]));
  const retry: number[] = [];
  for (let i = 0; i < id.length; i++) {
    if (outcome[i] !== 'TRANSIENT') continue;
    if ((attempts.get(id[i]) ?? 0) + 1 < maxFileAttempts) {
      retry.push(id[i]);
      continue;
    }
    outcome[i] = 'FAILED';
    const issue = analysed.issues.fileId.indexOf(id[i]);
    if (issue >= 0) analysed.issues.message[issue] += ` (gave up after ${maxFileAttempts} attempts)`;
  }
  const retrying = new Set(retry);
  return {
    done: retrying.size ? filterFiles(analysed, (fileId) => !retrying.has(fileId)) : analysed,
    retry,
  };
}

export function since(t: number): number {
  return (performance.now() - t) / 1000;
}
