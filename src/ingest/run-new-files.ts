/**
 * A write-once batch (the release's first ingest: see enqueue-new-files.ts). The job carries
 * its files, so the batch reads no file rows; it writes each file once, in its final state:
 *   load the run (1 statement) -> read + checksum + validate on the thread pool -> sources
 *   through the batch's DataLoader (1) -> files + HDUs + issues + records + retries + run
 *   counters (1).
 * The write is one statement, so a batch has written all of its files or none: a rerun after
 * a crash either finds them written and stops, or does the whole batch again.
 */
import path from 'node:path';
import { loadRun } from '../db/queries/load-run.js';
import { writeNewFiles, type NewFiles } from '../db/queries/write-new-files.js';
import { withQueryScope } from '../monitor/query-scope.js';
import { DEFAULT_RULES } from './rules.js';
import { catalogueLoadIds, observeBatch, queueCatalogueLoads, resolveSources, settleTransient, since, type BatchDeps, type BatchResult } from './run-batch.js';

/**
 * @param attempt the job's attempt: only a rerun (> 1) can find its files written already.
 */
export async function runNewFilesBatch(deps: BatchDeps, runId: number, files: NewFiles, queueSeconds = 0, attempt = 1): Promise<BatchResult> {
  const { pool, analysis, settings, activity } = deps;
  return withQueryScope('ingest', async (scope) => {
    const stages: Record<string, number> = { queue: queueSeconds };
    let t = performance.now();
    activity?.stage('load');
    const run = await loadRun(pool, runId, attempt > 1 ? files.ids : null);
    stages.load = since(t);
    if (!run || run.written || !['QUEUED', 'RUNNING'].includes(run.status)) return { processed: 0, requeued: 0, runStatus: run?.status ?? null };

    t = performance.now();
    activity?.stage('analyze');
    const tasks = files.ids.map((id, i) => ({
      id,
      path: files.paths[i],
      absPath: path.join(run.root, files.paths[i]),
      expected: { sizeBytes: files.sizes[i], mtimeMs: files.mtimesMs[i] },
    }));
    const analysed = await analysis.analyze(tasks, run.rules ?? DEFAULT_RULES, (last) => activity?.file(last));
    stages.analyze = since(t);
    // New files have no attempts yet.
    const { done, retry } = settleTransient(analysed, files.ids.map((id) => ({ id, attempts: 0 })), settings.maxFileAttempts);

    t = performance.now();
    activity?.stage('write');
    activity?.file(null);
    const sourceIds = await resolveSources(pool, done);
    for (const [stage, s] of Object.entries(done.stages)) stages[stage] = (stages[stage] ?? 0) + s;
    stages.write = since(t); // the write statement's own time is not in it; it carries the figure
    const retryLater = { ids: retry, delaySeconds: settings.retryBaseDelaySeconds };
    // The write statement carries the run's statement count; the catalogue loads can only be
    // queued after it (their files do not exist before), so it counts that statement ahead.
    const loadIds = catalogueLoadIds(done);
    const queuesLoads = loadIds.length > 0 ? 1 : 0;
    const written = await writeNewFiles(pool, runId, run.releaseId, files, done, sourceIds, retryLater, settings.maxJobAttempts, scope.queries + queuesLoads, stages, done.slowest, loadIds);
    await queueCatalogueLoads(pool, runId, done);
    observeBatch(written.moved, stages);
    return { processed: done.files.id.length, requeued: retry.length, runStatus: written.runStatus };
  });
}
