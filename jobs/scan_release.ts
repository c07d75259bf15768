/** Task `scan_release` { runId }: stream the release directory into files + batch jobs. */
import type { Task } from 'graphile-worker';
import type { JobContext } from '../src/worker/job-context.js';
import { isRecord, positiveInt } from '../src/worker/payload.js';
import { runScan } from '../src/ingest/run-scan.js';
import { failScan } from '../src/ingest/give-up.js';
import { untilDone } from '../src/worker/until-done.js';

export default function scanRelease(ctx: JobContext): Task {
  return async (payload, helpers) => {
    const runId = positiveInt(isRecord(payload) ? payload.runId : undefined, 'runId');
    const activity = ctx.activity.start(String(helpers.job.id), 'scan_release', runId);
    try {
      const summary = await runScan(ctx.pool, runId, ctx.settings, activity, helpers.job.attempts);
      ctx.logger.info({ runId, jobId: helpers.job.id, ...summary }, 'scan finished');
    } catch (err) {
      // Nobody retries this job: its run must end FAILED, or it stays RUNNING for ever.
      if (helpers.job.attempts >= helpers.job.max_attempts) {
        await untilDone(
          () => failScan(ctx.pool, runId, (err as Error).message),
          helpers.abortSignal,
          (e, delay) => ctx.logger.warn({ runId, jobId: helpers.job.id, err: e.message, retryInMs: delay }, 'could not record the failed scan; retrying'),
        );
      }
      throw err;
    } finally {
      activity.end();
    }
  };
}
