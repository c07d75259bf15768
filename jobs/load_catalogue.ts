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

/** Bounds of the delay between tries of the give-up statement. */
const RETRY_MS = { min: 250, max: 5000 };

/** Runs `step` until it resolves, backing off after each failure; gives up only when `signal` aborts. */
async function untilDone(step: () => Promise<unknown>, signal: AbortSignal | undefined, onRetry: (err: Error, delayMs: number) => void): Promise<void> {
  let delay = RETRY_MS.min;
  for (;;) {
    try {
      await step();
      return;
    } catch (e) {
      if (signal?.aborted) return;
      onRetry(e as Error, delay);
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', done);
          resolve();
        };
        const timer = setTimeout(done, delay);
        signal?.addEventListener('abort', done);
      });
      if (signal?.aborted) return;
      delay = Math.min(RETRY_MS.max, delay * 2);
    }
  }
}

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
      // stops waiting for it. That statement is the run's only way to count this load: if the
      // database is what failed, it may fail too, and the run would stay RUNNING for ever, so
      // it is repeated (backing off) until it goes through or the worker stops. The job's
      // error is the one reported either way.
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
