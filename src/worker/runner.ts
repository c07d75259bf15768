/**
 * The ingest worker: graphile-worker over the shared instrumented pool, the tasks from jobs/,
 * and the analysis thread pool. Runs inside `start` (with the API) or alone (`worker`); any
 * number of worker processes on any number of machines can share one database, since
 * graphile-worker hands each job to exactly one of them.
 *
 * Tuning: batched job completion. No local queue (one fetch locking several jobs): in
 * graphile-worker 0.17 it hands out jobs of one named queue side by side (graphile/worker#621),
 * and the TAP async cap relies on named queues running one job at a time (src/vo/tap/uws-store.ts;
 * test/vo/tap-http.test.ts caught two capped jobs executing at once). Jobs are large (a
 * thousand files), so a fetch per job stays far below one statement per hundred files.
 */
import { EventEmitter } from 'node:events';
import type pg from 'pg';
import { run, type Runner, type WorkerEvents } from 'graphile-worker';
import { graphileLogger } from './graphile-logger.js';
import { superviseRunner, type SupervisedRunner } from './supervise.js';
import { createTaskList } from '../../jobs/index.js';
import type { Logger } from '../log.js';
import type { ActivityBoard } from '../monitor/activity.js';
import { createAnalysisPool, type AnalysisPool } from '../ingest/analyze/pool.js';
import { prepareScanThread } from '../ingest/scan.js';
import { DEFAULT_INGEST_SETTINGS, type IngestSettings } from '../ingest/settings.js';
import { recoverDeadJobs } from './recover-dead-jobs.js';
import { DEFAULT_TAP_LIMITS, type AsyncTapLimits } from '../config.js';

export interface WorkerOptions {
  pool: pg.Pool;
  logger: Logger;
  activity: ActivityBoard;
  /** Told each graphile-worker id, so the process registry can free its jobs if we die. */
  onWorkerId?: (id: string) => void;
  settings?: IngestSettings;
  /** Async TAP jobs' limits (the configuration's; DEFAULT_TAP_LIMITS when unset). */
  tapLimits?: AsyncTapLimits;
  /** Batch jobs run at once in this process. */
  concurrency?: number;
  /** Analysis threads (default: one per core). */
  threads?: number;
  pollIntervalMs?: number;
}

export interface RunningWorker {
  analysis: AnalysisPool;
  stop(): Promise<void>;
}

export async function startWorker(opts: WorkerOptions): Promise<RunningWorker> {
  const analysis = createAnalysisPool(opts.threads);
  prepareScanThread();
  const concurrency = opts.concurrency ?? 4;
  const logger = opts.logger.child({ component: 'worker' });
  // A new graphile-worker runner; superviseRunner starts another if the database outage kills it.
  const settings = opts.settings ?? DEFAULT_INGEST_SETTINGS;
  const launch = async (ids: Set<string>, onShutdown: () => void): Promise<Runner> => {
    const events: WorkerEvents = new EventEmitter();
    // Jobs are locked under a worker's id (under the *pool's* id were a local queue fetching
    // them): register both so a dead process's jobs can all be freed.
    const locksAs = (id: string) => {
      ids.add(id);
      opts.onWorkerId?.(id);
    };
    events.on('pool:create', ({ workerPool }) => locksAs(workerPool.id));
    events.on('worker:create', ({ worker }) => locksAs(worker.workerId));
    events.on('pool:gracefulShutdown', onShutdown);
    // Before taking jobs: the work of jobs that gave up without saying so ends visibly now.
    await recoverDeadJobs({ pool: opts.pool, settings, logger }).catch((err: Error) =>
      logger.error({ err: err.message }, 'could not look for jobs given up before this start; the next start looks again'),
    );
    return run({
      pgPool: opts.pool,
      taskList: createTaskList({ pool: opts.pool, analysis, activity: opts.activity, settings, logger, tapLimits: opts.tapLimits ?? DEFAULT_TAP_LIMITS }),
      concurrency,
      noHandleSignals: true, // the CLI owns signals and shuts down in order
      pollInterval: opts.pollIntervalMs ?? 1000,
      // No recurring tasks. An empty list, not `crontab: ''`: graphile-worker takes an empty
      // crontab for none given, reads ./crontab and logs "cron is disabled" at every start.
      parsedCronItems: [],
      events,
      logger: graphileLogger(logger),
      preset: { worker: { completeJobBatchDelay: 0, failJobBatchDelay: 0 } },
    });
  };
  let runner: SupervisedRunner;
  try {
    runner = await superviseRunner({ launch, pool: opts.pool, logger, busy: () => opts.activity.snapshot().length > 0 });
  } catch (err) {
    await analysis.close();
    throw err;
  }
  return {
    analysis,
    async stop() {
      await runner.stop();
      await analysis.close();
    },
  };
}
