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
import { giveUpAfterLastAttempt } from '../src/worker/give-up-job.js';

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
      // and the run stops waiting for it (give-up-job.ts).
      ctx.logger.warn({ fileId, runId, jobId: helpers.job.id, attempt: helpers.job.attempts, err: (err as Error).message }, 'catalogue load failed');
      if (await giveUpAfterLastAttempt(ctx, helpers, 'load_catalogue', payload, err as Error)) return;
      throw err;
    } finally {
      activity.end();
    }
  };
}
