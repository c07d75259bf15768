/** Task `scan_release` { runId }: stream the release directory into files + batch jobs. */
import type { Task } from 'graphile-worker';
import type { JobContext } from '../src/worker/job-context.js';
import { scanPayload } from '../src/worker/payload.js';
import { runScan } from '../src/ingest/run-scan.js';
import { giveUpAfterLastAttempt } from '../src/worker/give-up-job.js';

export default function scanRelease(ctx: JobContext): Task {
  return async (payload, helpers) => {
    const { runId } = scanPayload(payload);
    const activity = ctx.activity.start(String(helpers.job.id), 'scan_release', runId);
    try {
      const summary = await runScan(ctx.pool, runId, ctx.settings, activity, helpers.job.attempts);
      ctx.logger.info({ runId, jobId: helpers.job.id, ...summary }, 'scan finished');
    } catch (err) {
      ctx.logger.warn({ runId, jobId: helpers.job.id, attempt: helpers.job.attempts, err: (err as Error).message }, 'scan failed');
      // Nobody retries the job after its last attempt: its work must end visibly (give-up-job.ts).
      if (await giveUpAfterLastAttempt(ctx, helpers, 'scan_release', payload, err as Error)) return;
      throw err;
    } finally {
      activity.end();
    }
  };
}
