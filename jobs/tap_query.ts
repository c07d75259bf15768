/**
 * Task `tap_query`: execute one asynchronous TAP job (src/vo/tap/uws-run.ts). Queued by
 * PHASE=RUN on one of the `tap-<n>` queues, which bound how many run at once.
 */
import type { Task } from 'graphile-worker';
import type { JobContext } from '../src/worker/job-context.js';
import { isRecord } from '../src/worker/payload.js';
import { executeTapJob } from '../src/vo/tap/uws-run.js';

export default function tapQueryTask(ctx: JobContext): Task {
  return async (payload, helpers) => {
    if (!isRecord(payload) || typeof payload.jobId !== 'string') throw new Error('payload must be an object { jobId }');
    const activity = ctx.activity.start(String(helpers.job.id), 'tap_query', null);
    try {
      await executeTapJob(ctx.pool, payload.jobId, ctx.logger, ctx.tapLimits);
    } finally {
      activity.end();
    }
  };
}
