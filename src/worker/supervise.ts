/**
 * Keeps this process's graphile-worker runner alive across a database outage (the embedded
 * server killed and restarted, an external server restarted).
 *
 * When the database goes away mid-run, graphile-worker cannot record its jobs' outcomes and
 * shuts its worker pool down ("queue is in an inconsistent state"); the runner is then gone
 * for good, and so would the ingest be. Here: when the runner stops without being asked to,
 * wait until the database answers, wait until this process's tasks have ended, free the jobs
 * the dead runner still holds (they are locked under its ids and no longer running: without
 * this they would wait 4 hours for graphile-worker's lock timeout) and start a new runner.
 * Batch writes are idempotent, so the freed jobs simply run again and the run finishes.
 */
import type pg from 'pg';
import type { Runner } from 'graphile-worker';
import type { Logger } from '../log.js';
import { interruptiblePause } from '../util/interruptible-pause.js';

export interface RunnerSupervisorOptions {
  /**
   * Start a runner. It adds the ids it locks jobs under (pool and workers) to `ids`, and calls
   * `onShutdown` when its worker pool starts shutting down.
   */
  launch(ids: Set<string>, onShutdown: () => void): Promise<Runner>;
  pool: pg.Pool;
  logger: Logger;
  /** True while a task of this process runs. */
  busy(): boolean;
  /** Bounds of the delay between probes of the database (default 250 ms .. 5 s). */
  minDelayMs?: number;
  maxDelayMs?: number;
  /** How long to wait for the dead runner's tasks before freeing their jobs anyway. */
  drainTimeoutMs?: number;
  /** How long a runner may take to stop (default 30 s); a runner stuck longer is left behind. */
  stopTimeoutMs?: number;
}

export interface SupervisedRunner {
  stop(): Promise<void>;
}

interface Incarnation {
  runner: Runner;
  ids: Set<string>;
  /** Resolves when its pool starts shutting down or the runner ends, whoever asked. */
  ending: Promise<void>;
}

/**
 * graphile-worker 0.17 bug: a local queue released while it holds jobs (which is what its
 * pool's shutdown does when the database is gone) starts returning them, but that promise is
 * left without a handler; when the return fails, the rejection is unhandled and would end the
 * process. Those jobs are exactly the ones the supervisor frees, so the CLI lets this one pass.
 */
export function isLostJobReturn(reason: unknown): boolean {
  return reason instanceof Error && reason.message.startsWith('Error occurred whilst returning jobs from local queue to database queue');
}

export async function superviseRunner(opts: RunnerSupervisorOptions): Promise<SupervisedRunner> {
  const logger = opts.logger;
  const minDelay = opts.minDelayMs ?? 250;
  const maxDelay = opts.maxDelayMs ?? 5000;
  const stopTimeout = opts.stopTimeoutMs ?? 30_000;
  let stopping = false;
  let stopRequested!: () => void;
  const stopSignal = new Promise<void>((resolve) => (stopRequested = resolve));
  const { pause, wake } = interruptiblePause();

  const launch = async (): Promise<Incarnation> => {
    const ids = new Set<string>();
    let end!: () => void;
    const ending = new Promise<void>((resolve) => (end = resolve));
    const runner = await opts.launch(ids, () => end());
    runner.promise.then(end, end);
    return { runner, ids, ending };
  };
  /**
   * Stop a runner, but not forever: graphile-worker 0.17's job-completion batcher can miscount
   * its pending batches after failures, and a runner waiting on it never stops. Once its pool
   * is shut down it takes no jobs, so leaving it behind is safe.
   */
  const stopRunner = async (runner: Runner) => {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), stopTimeout)));
    const outcome = await Promise.race([runner.stop().catch(() => {}), late]);
    clearTimeout(timer);
    if (outcome === 'late') logger.warn({ seconds: stopTimeout / 1000 }, 'job runner did not stop in time; leaving it behind');
  };

  /** Poll until `probe` holds, backing off; false when stopping or past `deadline`. */
  const waitUntil = async (probe: () => Promise<boolean> | boolean, deadline = Infinity): Promise<boolean> => {
    let delay = minDelay;
    for (;;) {
      if (stopping) return false;
      if (await probe()) return true;
      if (Date.now() > deadline) return false;
      await pause(delay);
      delay = Math.min(maxDelay, delay * 2);
    }
  };
  const answers = () => opts.pool.query('SELECT 1').then(
    () => true,
    () => false,
  );

  let current = await launch();

  const restartLoop = async () => {
    for (;;) {
      await Promise.race([current.ending, stopSignal]);
      if (stopping) return;
      const dead = current;
      logger.warn({ lockedBy: [...dead.ids] }, 'job runner stopped on its own (the database went away?); restarting it once the database answers');
      for (;;) {
        if (!(await waitUntil(answers))) return;
        const drained = await waitUntil(() => !opts.busy(), Date.now() + (opts.drainTimeoutMs ?? 60_000));
        if (stopping) return;
        if (!drained) logger.warn('tasks of the stopped runner are still running; freeing their jobs anyway');
        await stopRunner(dead.runner); // its notification listener and timers; its pool is already down
        try {
          // Its jobs are locked under its ids and nothing of it runs any more.
          const { rows } = await opts.pool.query<{ n: number }>(
            `WITH held AS (SELECT id FROM graphile_worker._private_jobs WHERE locked_by = ANY($1::text[]))
             SELECT (SELECT count(*) FROM held)::int AS n, graphile_worker.force_unlock_workers($1::text[])`,
            [[...dead.ids]],
          );
          current = await launch();
          logger.info({ freedJobs: rows[0]?.n ?? 0 }, 'job runner restarted');
          if (stopping) return; // stop() stops this one
          break;
        } catch (err) {
          logger.warn({ err: String(err) }, 'job runner could not be restarted yet; retrying');
          await pause(maxDelay);
        }
      }
    }
  };
  const loop = restartLoop();

  return {
    async stop() {
      stopping = true;
      stopRequested();
      wake();
      await loop; // a restart under way finishes first, so the runner it starts is stopped below
      await stopRunner(current.runner);
    },
  };
}
