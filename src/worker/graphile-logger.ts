/**
 * graphile-worker's log lines, through the project's logger. graphile-worker puts the whole
 * job in a line's scope, payload included, and a write-once batch's payload carries its files
 * (2,000 paths, sizes and mtimes: 122-140 kB as JSON for the bench's blobs and spectra).
 * Logged as is, every "Completed task" line of a 2.3-million-file release would be that big,
 * so a line keeps the job's identity only.
 */
import { Logger as GraphileLogger } from 'graphile-worker';
import type { Logger } from '../log.js';

export function graphileLogger(logger: Logger): GraphileLogger {
  return new GraphileLogger((scope) => (level, message, meta) => {
    const fields: Record<string, unknown> = { ...scope, ...(meta ?? {}) };
    if (fields.job) fields.job = jobIdentity(fields.job);
    if (level === 'error') logger.error(fields, message);
    else if (level === 'warning') logger.warn(fields, message);
    else if (level === 'info') logger.info(fields, message);
    else logger.debug(fields, message);
  });
}

function jobIdentity(job: unknown): unknown {
  if (typeof job !== 'object' || job === null) return job;
  const { id, task_identifier, attempts, max_attempts, key, run_at, locked_by } = job as Record<string, unknown>;
  return { id, task_identifier, attempts, max_attempts, key, run_at, locked_by };
}
