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
import { giveUpJob } from '../src/worker/give-up-job.js';
import { untilDone } from '../src/worker/until-done.js';

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
      if (attempt >= helpers.job.max_attempts) {
        // Nobody retries this job: its files must say why (give-up-job.ts). Not recorded (the
        // worker stopping first), the job is left failed, and the next start records it.
        const recorded = await untilDone(
          () => giveUpJob(ctx, 'ingest_batch', payload, (err as Error).message, attempt),
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
