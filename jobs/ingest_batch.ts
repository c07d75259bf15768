/**
 * Task `ingest_batch`: read, validate and write a batch of files. Its payload is either
 * `{ runId, fileIds }` (files registered by the scan) or `{ runId, files: { ids, paths, sizes,
 * mtimesMs } }` (a release's first ingest, whose files are written once: run-new-files.ts).
 */
import type { Task } from 'graphile-worker';
import type { JobContext } from '../src/worker/job-context.js';
import { isRecord, newFiles, positiveInt, positiveIntArray } from '../src/worker/payload.js';
import { runBatch } from '../src/ingest/run-batch.js';
import { runNewFilesBatch } from '../src/ingest/run-new-files.js';
import { failBatchFiles, failNewFiles } from '../src/ingest/give-up.js';
import { untilDone } from '../src/worker/until-done.js';

const MAX_FILES = 100_000;

export default function ingestBatch(ctx: JobContext): Task {
  return async (payload, helpers) => {
    if (!isRecord(payload)) throw new Error('payload must be an object { runId, fileIds } or { runId, files }');
    const runId = positiveInt(payload.runId, 'runId');
    const files = payload.files === undefined ? null : newFiles(payload.files, 'files', MAX_FILES);
    const fileIds = files ? files.ids : positiveIntArray(payload.fileIds, 'fileIds', MAX_FILES);
    const activity = ctx.activity.start(String(helpers.job.id), 'ingest_batch', runId);
    const queueSeconds = Math.max(0, (Date.now() - new Date(helpers.job.run_at).getTime()) / 1000);
    const deps = { pool: ctx.pool, analysis: ctx.analysis, settings: ctx.settings, activity };
    const attempt = helpers.job.attempts;
    try {
      const r = files ? await runNewFilesBatch(deps, runId, files, queueSeconds, attempt) : await runBatch(deps, runId, fileIds, queueSeconds, attempt);
      ctx.logger.debug({ runId, jobId: helpers.job.id, ...r }, 'batch finished');
    } catch (err) {
      ctx.logger.warn({ runId, jobId: helpers.job.id, attempt, err: (err as Error).message }, 'batch failed');
      if (attempt >= helpers.job.max_attempts) {
        // Nobody retries this job: its files must say why, or the run waits for them for ever.
        const message = (err as Error).message;
        const recorded = await untilDone(
          () => (files ? failNewFiles(ctx.pool, ctx.settings, runId, files, message) : failBatchFiles(ctx.pool, runId, fileIds, message)),
          helpers.abortSignal,
          (e, delay) => ctx.logger.warn({ runId, jobId: helpers.job.id, err: e.message, retryInMs: delay }, 'could not record the given-up batch; retrying'),
        );
        if (recorded) return; // the files now say why; nothing is left for the queue to retry
      }
      throw err;
    } finally {
      activity.end();
    }
  };
}
