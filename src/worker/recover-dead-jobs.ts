/**
 * At worker start: jobs graphile-worker will never run again (their last attempt used, no live
 * worker holding them) whose give-up was never recorded. A task that gives up records it before
 * its job ends (give-up-job.ts, repeated until it goes through), so such a job is one whose
 * worker stopped first, or died during the last attempt (its lock freed later by the process
 * registry or after 4 hours). Left alone, its run would stay RUNNING for ever and block its
 * release. Each is given up now and removed; one statement to find them, one give-up and one
 * removal per job (they are rare: a job is a whole batch).
 *
 * Several workers may start at once: the jobs are locked (SKIP LOCKED) while they are given
 * up, so each is given up by one of them. A give-up that fails leaves its job for the next start.
 */
import type pg from 'pg';
import type { Logger } from '../log.js';
import type { IngestSettings } from '../ingest/settings.js';
import { GIVE_UP_TASKS, giveUpJob, type GiveUpTask } from './give-up-job.js';

/** Jobs given up per start at most (the rest wait for the next). */
const LIMIT = 100;

// The payloads are in graphile-worker's private table (its public view omits them).
const DEAD_JOBS = `
SELECT j.id, t.identifier AS task, j.payload, j.last_error, j.attempts
FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks t ON t.id = j.task_id
WHERE t.identifier = ANY ($1::text[]) AND j.attempts >= j.max_attempts
  AND (j.locked_at IS NULL OR j.locked_at < now() - interval '4 hours')
ORDER BY j.id LIMIT ${LIMIT}
FOR UPDATE OF j SKIP LOCKED`;

export async function recoverDeadJobs(deps: { pool: pg.Pool; settings: IngestSettings; logger: Logger }): Promise<number> {
  const client = await deps.pool.connect();
  let recovered = 0;
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const { rows } = await client.query<{ id: string; task: GiveUpTask; payload: unknown; last_error: string | null; attempts: number }>(DEAD_JOBS, [GIVE_UP_TASKS]);
    for (const job of rows) {
      const error = job.last_error?.split('\n')[0] || 'the job stopped during its last attempt';
      try {
        await giveUpJob(deps, job.task, job.payload, error, job.attempts);
        await client.query(`SELECT graphile_worker.complete_jobs(ARRAY[$1::bigint])`, [job.id]);
        recovered++;
        deps.logger.warn({ jobId: job.id, task: job.task, err: error }, 'recorded a job given up before this start');
      } catch (err) {
        deps.logger.error({ jobId: job.id, task: job.task, err: (err as Error).message }, 'could not record a job given up before this start; the next start tries again');
      }
    }
    await client.query('COMMIT');
  } catch (err) {
    broken = err as Error;
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release(broken);
  }
  return recovered;
}
