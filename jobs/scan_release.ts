/** Task `scan_release` { runId }: stream the release directory into files + batch jobs. */
import type { Task } from 'graphile-worker';
import type { JobContext } from '../src/worker/job-context.js';
import { scanPayload } from '../src/worker/payload.js';
import { runScan } from '../src/ingest/run-scan.js';
import { giveUpJob } from '../src/worker/give-up-job.js';
import { untilDone } from '../src/worker/until-done.js';

export default function scanRelease(ctx: JobContext): Task {
  return async (payload, helpers) => {
    const { runId } = scanPayload(payload);
    const activity = ctx.activity.start(String(helpers.job.id), 'scan_release', runId);
    try {
      const summary = await runScan(ctx.pool, runId, ctx.settings, activity, helpers.job.attempts);
      ctx.logger.info({ runId, jobId: helpers.job.id, ...summary }, 'scan finished');
    } catch (err) {
      ctx.logger.warn({ runId, jobId: helpers.job.id, attempt: helpers.job.attempts, err: (err as Error).message }, 'scan failed');
      // Nobody retries this job: its run must end FAILED (give-up-job.ts). Not recorded (the
      // worker stopping first), the next start records it (recover-dead-jobs.ts).
      if (helpers.job.attempts >= helpers.job.max_attempts) {
        const recorded = await untilDone(
          () => giveUpJob(ctx, 'scan_release', payload, (err as Error).message, helpers.job.attempts),
          helpers.abortSignal,
          (e, delay) => ctx.logger.warn({ runId, jobId: helpers.job.id, err: e.message, retryInMs: delay }, 'could not record the failed scan; retrying'),
        );
        if (recorded) return; // the run now says why; nothing is left for the queue
      }
      throw err;
    } finally {
      activity.end();
    }
  };
}
