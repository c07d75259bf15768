/**
 * Task `load_catalogue`: load the tables of one CATALOGUE file into the database
 * (src/catalogue/load-file.ts). Queued by the ingest batch that wrote the file, one job per
 * file, so a big table loads beside the release's other batches instead of inside one. The
 * run waits for it: every way a load ends is counted on the run (catalogue-load-end.ts).
 */
import type { Task } from 'graphile-worker';
import type { JobContext } from '../src/worker/job-context.js';
import { isRecord, positiveInt } from '../src/worker/payload.js';
import { loadCatalogue } from '../src/catalogue/load-file.js';
import { endCatalogueLoad } from '../src/db/queries/catalogue-load-end.js';
import { LOAD_ISSUE } from '../src/catalogue/plan.js';
import { untilDone } from '../src/worker/until-done.js';

export default function loadCatalogueTask(ctx: JobContext): Task {
  return async (payload, helpers) => {
    if (!isRecord(payload)) throw new Error('payload must be an object { runId, fileId }');
    const fileId = positiveInt(payload.fileId, 'fileId');
    // Jobs queued before runs counted their loads carry no run.
    const runId = payload.runId === undefined ? null : positiveInt(payload.runId, 'runId');
    const activity = ctx.activity.start(String(helpers.job.id), 'load_catalogue', runId);
    try {
      const r = await loadCatalogue(ctx.pool, fileId, { runId, onStage: (s) => activity.stage(s) });
      ctx.logger.debug({ fileId, jobId: helpers.job.id, tables: r.tables }, 'catalogue loaded');
    } catch (err) {
      // The archive failed (not the data): graphile-worker retries. After the last attempt
      // nobody will, so the file says so (FAILED, which retryFailed takes again) and the run
      // stops waiting for it, a statement repeated until it goes through (until-done.ts). The
      // job's error is the one reported either way.
      if (helpers.job.attempts >= helpers.job.max_attempts) {
        const message = `the table could not be loaded after ${helpers.job.attempts} attempts: ${(err as Error).message}`;
        const end = { fileId, runId, issues: [{ severity: 'ERROR', code: LOAD_ISSUE.NOT_LOADED, message, hdu: null, keyword: null }], status: 'FAILED' as const };
        await untilDone(
          () => endCatalogueLoad(ctx.pool, end),
          helpers.abortSignal,
          (e, delay) => ctx.logger.warn({ fileId, runId, err: e.message, retryInMs: delay }, 'could not record the failed catalogue load; retrying'),
        );
      }
      throw err;
    } finally {
      activity.end();
    }
  };
}
