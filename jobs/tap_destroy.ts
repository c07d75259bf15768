/**
 * Task `tap_destroy`: delete the asynchronous TAP jobs past their destruction time and their
 * result files. Queued for each job's destruction time (one job key per TAP job, moved when
 * the destruction time changes); each run sweeps every job that is due.
 */
import type { Task } from 'graphile-worker';
import type { JobContext } from '../src/worker/job-context.js';
import { destroyExpiredTapJobs } from '../src/vo/tap/uws-run.js';

export default function tapDestroyTask(ctx: JobContext): Task {
  return async () => {
    const n = await destroyExpiredTapJobs(ctx.pool);
    if (n > 0) ctx.logger.debug({ jobs: n }, 'expired TAP jobs destroyed');
  };
}
