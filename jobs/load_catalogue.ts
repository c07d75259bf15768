/**
 * Task `load_catalogue`: load the tables of one CATALOGUE file into the database
 * (src/catalogue/load-file.ts). Queued by the ingest batch that wrote the file, one job per
 * file, so a big table loads beside the release's other batches instead of inside one. The
 * run waits for it: every way a load ends is counted on the run (catalogue-load-end.ts).
 */
import type { Task } from 'graphile-worker';
import type { JobContext } from '../src/worker/job-context.js';
import { loadCataloguePayload } from '../src/worker/payload.js';
import { loadCatalogue } from '../src/catalogue/load-file.js';
import { giveUpJob } from '../src/worker/give-up-job.js';
import { untilDone } from '../src/worker/until-done.js';

export default function loadCatalogueTask(ctx: JobContext): Task {
  return async (payload, helpers) => {
    const { fileId, runId } = loadCataloguePayload(payload);
    const activity = ctx.activity.start(String(helpers.job.id), 'load_catalogue', runId);
    try {
      const r = await loadCatalogue(ctx.pool, fileId, { runId, onStage: (s) => activity.stage(s) });
      ctx.logger.debug({ fileId, jobId: helpers.job.id, tables: r.tables }, 'catalogue loaded');
    } catch (err) {
      // The archive failed (not the data): graphile-worker retries. After the last attempt
      // nobody will, so the file says so (FAILED, with the error; retryFailed takes it again)
      // and the run stops waiting for it: give-up-job.ts, repeated until it goes through. Not
      // recorded (the worker stopping first), the job is left failed for the next start.
      ctx.logger.warn({ fileId, runId, jobId: helpers.job.id, attempt: helpers.job.attempts, err: (err as Error).message }, 'catalogue load failed');
      if (helpers.job.attempts >= helpers.job.max_attempts) {
        const recorded = await untilDone(
          () => giveUpJob(ctx, 'load_catalogue', payload, (err as Error).message, helpers.job.attempts),
          helpers.abortSignal,
          (e, delay) => ctx.logger.warn({ fileId, runId, err: e.message, retryInMs: delay }, 'could not record the failed catalogue load; retrying'),
        );
        if (recorded) return; // the file and the run now say why; nothing is left for the queue
      }
      throw err;
    } finally {
      activity.end();
    }
  };
}
