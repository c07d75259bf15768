/**
 * Executing an async TAP job (the graphile-worker task `tap_query`) and destroying expired ones
 * (`tap_destroy`). The result is streamed to `<result>.part` as the cursor delivers it (never
 * held in memory) and renamed into place when complete, so a reader never sees half a file.
 * The job stops when its execution duration runs out (the statement timeout, and a timer for
 * the writing too), or when it is aborted or deleted: the runner looks at the job's phase every
 * second (a worker may be another process than the API that took the ABORT).
 */
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { PassThrough } from 'node:stream';
import type pg from 'pg';
import type { Logger } from '../../log.js';
import { describeQueryError, VoUsageError } from '../errors.js';
import { parseOutputFormat } from '../votable/format.js';
import { ResultLimitError, StreamedQueryError } from '../stream-query.js';
import { DEFAULT_TAP_LIMITS, type AsyncTapLimits } from '../../config.js';
import { compileTapQuery, runTapQuery } from './run-query.js';
import { claimJob, endJob, phaseOf, sweepExpired } from './uws-store.js';

const WATCH_MS = 1000;

export async function executeTapJob(pool: pg.Pool, jobId: string, logger: Logger, limits: AsyncTapLimits = DEFAULT_TAP_LIMITS): Promise<void> {
  const job = await claimJob(pool, jobId);
  if (!job) return; // aborted, deleted or destroyed before it started
  const log = logger.child({ tapJob: jobId });
  if (job.rerun) {
    // Not run again: a query that took its process down would take the next one down too.
    log.warn('tap async job found started by a process that ended without ending it; not run again');
    await removeResult(`${job.resultPath}.part`);
    await endJob(pool, jobId, { phase: 'ERROR', message: 'the service stopped while this job ran (a restart, or the query took more memory than it may); it was not run again: submit it again, narrower (TOP, fewer columns)', usage: false });
    return;
  }
  if (job.ownerRevoked) {
    await endJob(pool, jobId, { phase: 'ERROR', message: 'the token that created this job was revoked or has expired', usage: true });
    return;
  }
  const part = `${job.resultPath}.part`;
  // What the kept results leave of their quota bounds this one (anonymous jobs once wrote 6.7 GB
  // in 26 s, kept for days). Two jobs starting at once may both take the room left: by design
  // no more than the async concurrency times one result over.
  const room = limits.resultsMaxBytes - (await bytesIn(path.dirname(job.resultPath)));
  if (room <= 0) {
    await endJob(pool, jobId, { phase: 'ERROR', message: `the archive's store of async results is full (ARCHIVE_TAP_RESULTS_MAX_BYTES, ${limits.resultsMaxBytes.toLocaleString('en-US')} bytes): try again later, or delete finished jobs`, usage: false });
    return;
  }
  const stop = new AbortController();
  const timer = setTimeout(() => stop.abort(new Error(`the job ran out of its execution duration (${job.executionDuration} s)`)), job.executionDuration * 1000);
  const watch = setInterval(() => {
    phaseOf(pool, jobId).then(
      (phase) => {
        if (phase !== 'EXECUTING') stop.abort(new Error(phase === null ? 'the job was deleted' : `the job was ${phase.toLowerCase()}`));
      },
      () => {}, // the next look, or the statement timeout, will do
    );
  }, WATCH_MS);
  const started = Date.now();
  try {
    // Parameters found wrong when they were given (a job is created whatever they say).
    if (job.errorSummary !== null) throw new VoUsageError(job.errorSummary);
    const maxrec = job.maxrec;
    const compiled = await compileTapQuery(pool, job.ownerTokenId === null ? 'anonymous' : 'token', job.query, maxrec);
    await fs.promises.mkdir(path.dirname(part), { recursive: true });
    const body = new PassThrough();
    const file = fs.createWriteStream(part, { flags: 'w', mode: 0o600 });
    const written = pipeline(body, file, { signal: stop.signal });
    written.catch(() => {}); // awaited below on success; on failure the query's own error is the one to report
    const r = await runTapQuery(pool, job.ownerTokenId === null ? 'anonymous' : 'token', compiled, {
      format: parseOutputFormat(job.format),
      maxrec,
      timeoutMs: job.executionDuration * 1000,
      maxBatchBytes: limits.maxBatchBytes,
      // A result file is kept for days: its size is bounded as the sync answer's is.
      maxOutputBytes: Math.min(limits.maxResultBytes, room),
      out: body,
      signal: stop.signal,
      publicBase: job.publicBase ?? undefined,
    }).finally(() => body.end());
    // Stopped (aborted, deleted, out of time): what was written is not the result.
    if (r.aborted) throw stop.signal.reason ?? new Error('the job was stopped');
    await written;
    await fs.promises.rename(part, job.resultPath);
    if (!(await endJob(pool, jobId, { phase: 'COMPLETED', rows: r.rows, overflow: r.overflow }))) await removeResult(job.resultPath);
    log.info({ rows: r.rows, overflow: r.overflow, ms: Date.now() - started }, 'tap async job completed');
  } catch (err) {
    await removeResult(part);
    // A limit met while the result was written (its size) is the query's to change, too.
    const known = err instanceof VoUsageError ? err : (describeQueryError(err) ?? (err instanceof StreamedQueryError && err.cause instanceof ResultLimitError ? err : undefined));
    let outcome: { message: string; usage: boolean };
    if (stop.signal.aborted) outcome = { message: (stop.signal.reason as Error).message, usage: false };
    else if (known) outcome = { message: known.message, usage: true };
    else if (err instanceof StreamedQueryError) outcome = { message: err.message, usage: false };
    else {
      log.warn({ err: String(err) }, 'tap async job failed');
      outcome = { message: 'the service could not run this query (logged)', usage: false };
    }
    await endJob(pool, jobId, { phase: 'ERROR', ...outcome });
  } finally {
    clearTimeout(timer);
    clearInterval(watch);
  }
}

/** The `tap_destroy` task: every job past its destruction time goes, with its result. */
export async function destroyExpiredTapJobs(pool: pg.Pool): Promise<number> {
  const paths = await sweepExpired(pool);
  for (const p of paths) await removeResult(p);
  return paths.length;
}

/** Bytes of the files in `dir` (0 when it does not exist yet). */
async function bytesIn(dir: string): Promise<number> {
  let names: string[];
  try {
    names = await fs.promises.readdir(dir);
  } catch {
    return 0;
  }
  let total = 0;
  for (const name of names) total += (await fs.promises.stat(path.join(dir, name)).catch(() => ({ size: 0 }))).size;
  return total;
}

/** A result file and its partial form, if there. */
export async function removeResult(file: string): Promise<void> {
  for (const p of file.endsWith('.part') ? [file] : [file, `${file}.part`]) await fs.promises.rm(p, { force: true });
}
