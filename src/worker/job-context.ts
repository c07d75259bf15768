/** What the tasks in jobs/ are given: shared, long-lived parts of the worker process. */
import type pg from 'pg';
import type { Logger } from '../log.js';
import type { ActivityBoard } from '../monitor/activity.js';
import type { AnalysisPool } from '../ingest/analyze/pool.js';
import type { IngestSettings } from '../ingest/settings.js';
import type { AsyncTapLimits } from '../config.js';

export interface JobContext {
  pool: pg.Pool;
  analysis: AnalysisPool;
  activity: ActivityBoard;
  settings: IngestSettings;
  logger: Logger;
  /** Async TAP jobs' memory and size limits. */
  tapLimits: AsyncTapLimits;
}
