/** Task `ingest_batch` { runId, fileIds }: read, validate and write a batch of files. */
import type { Task } from 'graphile-worker';
import type { JobContext } from '../src/worker/job-context.js';
import { isRecord, positiveInt, positiveIntArray } from '../src/worker/payload.js';
import { runBatch } from '../src/ingest/run-batch.js';
import { failBatchFiles } from '../src/ingest/give-up.js';

export default function ingestBatch(ctx: JobContext): Task {
  return async (payload, helpers) => {
    if (!isRecord(payload)) throw new Error('payload must be an object { runId, fileIds }');
    const runId = positiveInt(payload.runId, 'runId');
    const fileIds = positiveIntArray(payload.fileIds, 'fileIds', 100_000);
    const activity = ctx.activity.start(String(helpers.job.id), 'ingest_batch', runId);
    const queueSeconds = Math.max(0, (Date.now() - new Date(helpers.job.run_at).getTime()) / 1000);
    try {
      const r = await runBatch({ pool: ctx.pool, analysis: ctx.analysis, settings: ctx.settings, activity }, runId, fileIds, queueSeconds, helpers.job.attempts);
      ctx.logger.debug({ runId, jobId: helpers.job.id, ...r }, 'batch finished');
    } catch (err) {
      ctx.logger.warn({ runId, jobId: helpers.job.id, attempt: helpers.job.attempts, err: (err as Error).message }, 'batch failed');
      if (helpers.job.attempts >= helpers.job.max_attempts) {
        await failBatchFiles(ctx.pool, runId, fileIds, (err as Error).message);
        return; // the files now say why; nothing is left for the queue to retry
      }
      throw err;
    } finally {
      activity.end();
    }
  };
}
