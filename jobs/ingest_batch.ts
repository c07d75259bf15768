/**
 * Task `ingest_batch`: read, validate and write a batch of files. Its payload is either
 * `{ runId, fileIds }` (files registered by the scan) or `{ runId, files: { ids, paths, sizes,
 * mtimesMs } }` (a release's first ingest, whose files are written once: run-new-files.ts).
 */
import type { Task } from 'graphile-worker';
import type { JobContext } from '../src/worker/job-context.js';
import { ingestBatchPayload } from '../src/worker/payload.js';
import { runBatch } from '../src/ingest/run-batch.js';
import { runNewFilesBatch } from '../src/ingest/run-new-files.js';
import { giveUpAfterLastAttempt } from '../src/worker/give-up-job.js';

export default function ingestBatch(ctx: JobContext): Task {
  return async (payload, helpers) => {
    const { runId, files, fileIds } = ingestBatchPayload(payload);
    const activity = ctx.activity.start(String(helpers.job.id), 'ingest_batch', runId);
    const queueSeconds = Math.max(0, (Date.now() - new Date(helpers.job.run_at).getTime()) / 1000);
    const deps = { pool: ctx.pool, analysis: ctx.analysis, settings: ctx.settings, activity };
    const attempt = helpers.job.attempts;
    try {
      const r = files ? await runNewFilesBatch(deps, runId, files, queueSeconds, attempt) : await runBatch(deps, runId, fileIds, queueSeconds, attempt);
      ctx.logger.debug({ runId, jobId: helpers.job.id, ...r }, 'batch finished');
    } catch (err) {
      ctx.logger.warn({ runId, jobId: helpers.job.id, attempt, err: (err as Error).message }, 'batch failed');
      // Nobody retries the job after its last attempt: its work must end visibly (give-up-job.ts).
      if (await giveUpAfterLastAttempt(ctx, helpers, 'ingest_batch', payload, err as Error)) return;
      throw err;
    } finally {
      activity.end();
    }
  };
}
