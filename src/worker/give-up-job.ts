/**
 * How the work of a job that will not run again ends visibly, per task: the batch's files
 * FAILED (retryFailed takes them again), the scan's run FAILED, the catalogue's file FAILED and
 * its load counted on the run. Without it the run waits for ever for work nobody will do, and
 * a RUNNING run blocks every new ingest of its release. Called by the tasks after their last
 * attempt (jobs/), and at worker start for a job whose own call never went through
 * (recover-dead-jobs.ts). Each is safe to repeat: it only touches work still unfinished.
 */
import type pg from 'pg';
import { failBatchFiles, failNewFiles, failScan } from '../ingest/give-up.js';
import type { IngestSettings } from '../ingest/settings.js';
import { endCatalogueLoad } from '../db/queries/catalogue-load-end.js';
import { LOAD_ISSUE } from '../catalogue/plan.js';
import type { JobHelpers } from 'graphile-worker';
import type { Logger } from '../log.js';
import { ingestBatchPayload, loadCataloguePayload, scanPayload } from './payload.js';
import { untilDone } from './until-done.js';

/** The tasks whose work must end visibly when they give up. */
export const GIVE_UP_TASKS = ['ingest_batch', 'scan_release', 'load_catalogue'] as const;
export type GiveUpTask = (typeof GIVE_UP_TASKS)[number];

export async function giveUpJob(deps: { pool: pg.Pool; settings: IngestSettings }, task: GiveUpTask, payload: unknown, error: string, attempts: number): Promise<void> {
  switch (task) {
    case 'ingest_batch': {
      const { runId, files, fileIds } = ingestBatchPayload(payload);
      if (files) await failNewFiles(deps.pool, deps.settings, runId, files, error);
      else await failBatchFiles(deps.pool, runId, fileIds, error);
      return;
    }
    case 'scan_release':
      await failScan(deps.pool, scanPayload(payload).runId, error);
      return;
    case 'load_catalogue': {
      const { fileId, runId } = loadCataloguePayload(payload);
      // Already recorded (the job outlived it: its runner died before completing it), and the
      // end of a load is counted on the run, so it must not be recorded twice. A later load of
      // the file starts from a fresh write, which clears this issue.
      const { rowCount } = await deps.pool.query(`SELECT 1 FROM validation_issues WHERE file_id = $1 AND code = $2`, [fileId, LOAD_ISSUE.NOT_LOADED]);
      if (rowCount) return;
      const message = `the table could not be loaded after ${attempts} attempts: ${error}`;
      await endCatalogueLoad(deps.pool, { fileId, runId, issues: [{ severity: 'ERROR', code: LOAD_ISSUE.NOT_LOADED, message, hdu: null, keyword: null }], status: 'FAILED' });
      return;
    }
  }
}

/**
 * In a task's catch: after the job's last attempt, gives its work up, repeating the statement
 * until it goes through (until-done.ts; the database failing is often why the job failed).
 * True once recorded: the task then ends normally, nothing being left for the queue. False
 * before the last attempt (graphile-worker retries), or when the worker stops first (the job
 * is left failed, and the next start records it: recover-dead-jobs.ts).
 */
export async function giveUpAfterLastAttempt(
  ctx: { pool: pg.Pool; settings: IngestSettings; logger: Logger },
  helpers: Pick<JobHelpers, 'job' | 'abortSignal'>,
  task: GiveUpTask,
  payload: unknown,
  err: Error,
): Promise<boolean> {
  const { job } = helpers;
  if (job.attempts < job.max_attempts) return false;
  return untilDone(
    () => giveUpJob(ctx, task, payload, err.message, job.attempts),
    helpers.abortSignal,
    (e, delay) => ctx.logger.warn({ task, jobId: job.id, err: e.message, retryInMs: delay }, 'could not record the given-up job; retrying'),
  );
}
