/**
 * A worker process that stalls, then dies: its jobs still come back within a minute.
 *
 * The stall is real: a transaction holds the worker's registry row, so its heartbeat waits,
 * for longer than the process timeout, then lets go; the worker goes on and takes jobs, then
 * is killed with SIGKILL and a new worker started. Before the fix, the heartbeat that had
 * waited stamped a time that was already stale and the process's own sweep deleted its row:
 * once it died nobody knew its worker ids, its jobs stayed locked for graphile-worker's 4
 * hours and the run never ended. And a process whose row is gone all the same (removed by a
 * sweep elsewhere) must not take its jobs with it either.
 *
 * The workers run with a 500 ms heartbeat and a 5 s timeout (ARCHIVE_HEARTBEAT_MS,
 * ARCHIVE_PROCESS_TIMEOUT_MS) instead of 2 s and 30 s, so that the stall takes seconds, not
 * the 40 s it takes with the defaults; AA_TEST_PROCESS_TIMEOUT_MS sets another timeout
 * (30000 shows the defect on code that ignores the variables and uses 30 s).
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateRelease } from '../../src/bench/generate.js';
import { submitIngest } from '../../src/ingest/submit.js';
import { waitForRun } from '../helpers/ingest.js';
import { spawnWorker, waitFor, waitForWorkerIds, type WorkerProcess } from '../helpers/processes.js';
import { expectExactlyOnce } from './invariants.js';
import { safetyFixture } from './fixture.js';

const TIMEOUT_MS = Number(process.env.AA_TEST_PROCESS_TIMEOUT_MS ?? 5000);
const ENV = { ARCHIVE_HEARTBEAT_MS: '500', ARCHIVE_PROCESS_TIMEOUT_MS: String(TIMEOUT_MS) };
// One batch of 100 at a time: the run lasts (15 batches), and the worker always holds a job or two.
const ARGS = ['--concurrency', '1', '--batch-size', '100'];

const fx = safetyFixture({ spectra: 1500, sources: 50 });

async function runStatus(runId: number): Promise<{ processed: number; status: string }> {
  const { rows } = await fx.database.pool.query(`SELECT processed_files, status FROM ingestion_runs WHERE id = $1`, [runId]);
  return { processed: rows[0].processed_files, status: rows[0].status };
}

async function lockedBy(workerIds: string[]): Promise<number> {
  const { rows } = await fx.database.pool.query(`SELECT count(*)::int AS n FROM graphile_worker._private_jobs WHERE locked_by = ANY($1::text[])`, [workerIds]);
  return rows[0].n;
}

/** Wait until `worker` holds a job lock while the run is still going, then SIGKILL it. */
async function killHoldingJobs(worker: WorkerProcess, workerIds: string[], runId: number): Promise<void> {
  await waitFor(
    async () => {
      const run = await runStatus(runId);
      if (run.status !== 'RUNNING') throw new Error(`run ended before the kill: ${run.status}`);
      return (await lockedBy(workerIds)) > 0 ? true : undefined;
    },
    30_000,
    10,
    'the worker to hold a job',
  );
  await worker.kill9();
}

/** After a kill: how long until no job is locked by the dead worker's ids (at most 60 s). */
async function secondsUntilFreed(workerIds: string[], since: number): Promise<number> {
  await waitFor(async () => ((await lockedBy(workerIds)) === 0 ? true : undefined), 60_000, 100, 'the dead worker’s jobs to be freed');
  return (Date.now() - since) / 1000;
}

describe('a worker that stalls and then dies', () => {
  it('keeps its registry row through a stall longer than the timeout, so its jobs are freed at once when it is killed later', async () => {
    const first = await spawnWorker({ databaseUrl: fx.database.url, args: ARGS, env: ENV });
    const ids = await waitForWorkerIds(fx.database, first.pid);

    const holder = await fx.database.pool.connect();
    let releasedAt: Date;
    try {
      await holder.query('BEGIN');
      await holder.query(`SELECT 1 FROM processes WHERE pid = $1 FOR UPDATE`, [first.pid]);
      // Stalled for longer than the timeout: its heartbeat statement has waited that long.
      await waitFor(
        async () => {
          const { rows } = await fx.database.pool.query(
            `SELECT count(*)::int AS n FROM pg_stat_activity
             WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%processes%' AND pid <> pg_backend_pid()
               AND query_start < now() - make_interval(secs => $1::float8 / 1000 + 0.5)`,
            [TIMEOUT_MS],
          );
          return rows[0].n > 0 ? true : undefined;
        },
        TIMEOUT_MS + 30_000,
        100,
        'the stalled heartbeat',
      );
      releasedAt = (await holder.query(`SELECT clock_timestamp() AS t`)).rows[0].t;
      await holder.query('COMMIT');
    } catch (err) {
      await holder.query('ROLLBACK');
      throw err;
    } finally {
      holder.release();
    }
    // Its next heartbeat after the stall either refreshed its row or (the defect) swept it.
    const afterStall = await waitFor(
      async () => {
        const { rows } = await fx.database.pool.query(`SELECT last_seen_at > $2 AS fresh FROM processes WHERE pid = $1`, [first.pid, releasedAt]);
        if (!rows.length) return 'gone';
        return rows[0].fresh ? 'fresh' : undefined;
      },
      10_000,
      20,
      'the first heartbeat after the stall',
    );

    // The worker goes on working, and dies holding jobs.
    const run = await submitIngest(fx.database, fx.root, { survey: 'STALL', release: 'DR1', path: 'dr1' });
    await waitFor(async () => ((await runStatus(run.id)).processed > 0 ? true : undefined), 60_000, 20, 'the first batch');
    await killHoldingJobs(first, ids, run.id);
    const killedAt = Date.now();
    const second = await spawnWorker({ databaseUrl: fx.database.url, args: ARGS, env: ENV });
    const freedAfter = await secondsUntilFreed(ids, killedAt);
    const done = await waitForRun(fx.database, run.id, 120_000);
    await second.stop();

    expect(afterStall, 'the stalled process swept its own registry row').toBe('fresh');
    expect(freedAfter).toBeLessThan(60);
    expect(done.status).toBe('SUCCEEDED');
    await expectExactlyOnce(fx.database, run.id, fx.expected);
  }, 240_000);

  it('frees a dead worker’s jobs within the timeout even when its registry row is gone', async () => {
    generateRelease(path.join(fx.root, 'dr2'), { spectra: 1500, cubes: 0, images: 0, catalogues: 0, blobs: 0, sources: 50 });
    const first = await spawnWorker({ databaseUrl: fx.database.url, args: ARGS, env: ENV });
    const ids = await waitForWorkerIds(fx.database, first.pid);
    const run = await submitIngest(fx.database, fx.root, { survey: 'STALL', release: 'DR2', path: 'dr2' });
    await waitFor(async () => ((await runStatus(run.id)).processed > 0 ? true : undefined), 60_000, 20, 'the first batch');
    await killHoldingJobs(first, ids, run.id);
    const killedAt = Date.now();
    // Its row went before it died (swept from another host while it stalled): nothing says
    // which worker ids were its own any more.
    await fx.database.pool.query(`DELETE FROM processes WHERE pid = $1`, [first.pid]);

    const second = await spawnWorker({ databaseUrl: fx.database.url, args: ARGS, env: ENV });
    const freedAfter = await secondsUntilFreed(ids, killedAt);
    const done = await waitForRun(fx.database, run.id, 120_000);
    await second.stop();

    // Freed by the new worker's sweep once the locks were older than the timeout.
    expect(freedAfter).toBeLessThan(60);
    expect(freedAfter).toBeLessThan(TIMEOUT_MS / 1000 + 30); // a heartbeat or two after the timeout, on a busy machine
    expect(done.status).toBe('SUCCEEDED');
    expect(done.processed_files).toBe(1500);
  }, 240_000);
});
