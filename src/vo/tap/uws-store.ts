/**
 * The tap_jobs table: every statement the UWS routes and the job runner send. Each answer is
 * one statement. Who sees a job: its owner token (a job made with a token) or anyone who has its
 * id (an anonymous job: the id is 128 random bits); `owner` below is the caller's token id or
 * null. A job past its destruction time is gone to every reader, swept or not.
 *
 * Running a job queues the graphile-worker task `tap_query` in the same statement that moves
 * the job to QUEUED. At most `concurrency` jobs execute at once: each goes to one of that many
 * graphile-worker queues (`tap-0` ... ; a queue runs one job at a time), the least loaded.
 * Destruction is a `tap_destroy` job at the destruction time (job key per job, so a new
 * destruction time moves it), which deletes every job that is due and its result file.
 */
import type pg from 'pg';

export type Phase = 'PENDING' | 'QUEUED' | 'EXECUTING' | 'COMPLETED' | 'ERROR' | 'ABORTED';
export const ACTIVE_PHASES: readonly Phase[] = ['PENDING', 'QUEUED', 'EXECUTING'];

export interface TapJob {
  id: string;
  ownerTokenId: number | null;
  /** The owner token's name (shown as ownerId to that owner only), null for anonymous jobs. */
  ownerName: string | null;
  phase: Phase;
  runId: string | null;
  parameters: Record<string, string>;
  query: string;
  maxrec: number;
  format: string;
  executionDuration: number;
  destruction: Date;
  resultPath: string;
  publicBase: string | null;
  resultRows: number | null;
  resultOverflow: boolean | null;
  /** Filled by the routes from the file, when there is one. */
  resultSize: number | null;
  errorSummary: string | null;
  errorIsUsage: boolean | null;
  createdAt: Date;
  startedAt: Date | null;
  endedAt: Date | null;
}

/** What the parameters decide; checked before they are stored. */
export interface JobSettings {
  parameters: Record<string, string>;
  query: string;
  maxrec: number;
  format: string;
  runId: string | null;
  /** What is wrong with them (the job then ends in ERROR when run), or null. */
  invalid: string | null;
}

const COLUMNS = `j.id, j.owner_token_id AS "ownerTokenId", t.name AS "ownerName", j.phase, j.run_id AS "runId", j.parameters, j.query,
  j.maxrec, j.format, j.execution_duration AS "executionDuration", j.destruction, j.result_path AS "resultPath", j.public_base AS "publicBase",
  j.result_rows AS "resultRows", j.result_overflow AS "resultOverflow", NULL::bigint AS "resultSize", j.error_summary AS "errorSummary",
  j.error_is_usage AS "errorIsUsage", j.created_at AS "createdAt", j.started_at AS "startedAt", j.ended_at AS "endedAt"`;

/** The caller may see job j ($owner: the caller's token id or null). */
const VISIBLE = (owner: string) => `(j.owner_token_id IS NULL OR j.owner_token_id = ${owner}) AND j.destruction > now()`;

/** Queues the task of every job in the CTE `queued` (ids); $2: the number of queues (the concurrency). */
const ENQUEUE = `slot AS (SELECT 'tap-' || s AS name FROM generate_series(0, $2::int - 1) s
           ORDER BY (SELECT count(*) FROM graphile_worker.jobs g WHERE g.queue_name = 'tap-' || s), s LIMIT 1),
  task AS (SELECT graphile_worker.add_job('tap_query', json_build_object('jobId', queued.id), queue_name => slot.name,
                                          job_key => 'tap:' || queued.id, max_attempts => 2)
           FROM queued, slot)`;

const SCHEDULE_DESTROY = (idSql: string, atSql: string) =>
  `graphile_worker.add_job('tap_destroy', '{}'::json, run_at => ${atSql}, job_key => 'tap-destroy:' || ${idSql}, max_attempts => 5)`;

export async function insertJob(
  pool: pg.Pool,
  job: {
    id: string;
    ownerTokenId: number | null;
    settings: JobSettings;
    executionDuration: number;
    destruction: Date;
    resultPath: string;
    publicBase: string;
    run: boolean;
    concurrency: number;
  },
): Promise<void> {
  const s = job.settings;
  await pool.query(
    `WITH target AS (INSERT INTO tap_jobs (id, owner_token_id, run_id, parameters, query, maxrec, format, execution_duration, destruction, result_path, public_base,
                                           error_summary, error_is_usage, phase)
                     VALUES ($1, $3, $4, $5, $6, $7, $8, $9, $10, $11, $13, $14::text, $14::text IS NOT NULL, CASE WHEN $12::boolean THEN 'QUEUED' ELSE 'PENDING' END)
                     RETURNING id, destruction, phase),
          destroy AS (SELECT ${SCHEDULE_DESTROY('target.id', 'target.destruction')} FROM target),
          queued AS (SELECT id FROM target WHERE phase = 'QUEUED'),
          ${ENQUEUE}
     SELECT (SELECT count(*) FROM destroy) + (SELECT count(*) FROM task) AS n`,
    [job.id, job.concurrency, job.ownerTokenId, s.runId, JSON.stringify(s.parameters), s.query, s.maxrec, s.format, job.executionDuration, job.destruction, job.resultPath, job.run, job.publicBase, s.invalid],
  );
}

export async function getJob(pool: pg.Pool, id: string, owner: number | null): Promise<TapJob | null> {
  const { rows } = await pool.query<TapJob>(`SELECT ${COLUMNS} FROM tap_jobs j LEFT JOIN api_tokens t ON t.id = j.owner_token_id WHERE j.id = $1 AND ${VISIBLE('$2')}`, [id, owner]);
  return rows[0] ?? null;
}

/**
 * The caller's jobs, newest first (UWS 1.1 §2.2.2.1: PHASE filters, repeatable; AFTER: created
 * after; LAST: the most recent n). Anonymous callers own nothing: an anonymous job's id is its
 * only key, so no list ever shows one.
 */
export async function listJobs(pool: pg.Pool, owner: number, o: { phases: string[]; after: Date | null; last: number | null }) {
  const { rows } = await pool.query<{ id: string; phase: Phase; runId: string | null; ownerName: string | null; createdAt: Date }>(
    `SELECT j.id, j.phase, j.run_id AS "runId", t.name AS "ownerName", j.created_at AS "createdAt"
       FROM tap_jobs j JOIN api_tokens t ON t.id = j.owner_token_id
      WHERE j.owner_token_id = $1 AND j.destruction > now()
        AND (cardinality($2::text[]) = 0 OR j.phase = ANY($2)) AND ($3::timestamptz IS NULL OR j.created_at > $3)
      ORDER BY j.created_at DESC, j.id LIMIT $4`,
    [owner, o.phases, o.after, o.last ?? 10_000],
  );
  return rows;
}

/** New parameters of a PENDING job; false when it is no longer PENDING (or not the caller's). */
export async function updateSettings(pool: pg.Pool, id: string, owner: number | null, s: JobSettings): Promise<boolean> {
  const { rowCount } = await pool.query(
    `UPDATE tap_jobs j SET parameters = $3, query = $4, maxrec = $5, format = $6, run_id = $7, error_summary = $8::text, error_is_usage = $8::text IS NOT NULL
      WHERE j.id = $1 AND ${VISIBLE('$2')} AND j.phase = 'PENDING'`,
    [id, owner, JSON.stringify(s.parameters), s.query, s.maxrec, s.format, s.runId, s.invalid],
  );
  return rowCount === 1;
}

/** PHASE=RUN: PENDING → QUEUED with its task queued; other phases are left as they are (UWS: no error). */
export async function runJob(pool: pg.Pool, id: string, owner: number | null, concurrency: number): Promise<void> {
  await pool.query(
    `WITH queued AS (UPDATE tap_jobs j SET phase = 'QUEUED' WHERE j.id = $1 AND ${VISIBLE('$3')} AND j.phase = 'PENDING' RETURNING j.id),
          ${ENQUEUE}
     SELECT count(*) FROM task`,
    [id, concurrency, owner],
  );
}

/** PHASE=ABORT: a job not yet ended becomes ABORTED; a queued task is removed (a running one sees the phase and stops). */
export async function abortJob(pool: pg.Pool, id: string, owner: number | null): Promise<void> {
  await pool.query(
    `WITH a AS (UPDATE tap_jobs j SET phase = 'ABORTED', ended_at = now()
                 WHERE j.id = $1 AND ${VISIBLE('$2')} AND j.phase IN ('PENDING', 'QUEUED', 'EXECUTING') RETURNING j.id)
     SELECT graphile_worker.remove_job('tap:' || a.id) FROM a`,
    [id, owner],
  );
}

export async function setExecutionDuration(pool: pg.Pool, id: string, owner: number | null, seconds: number): Promise<boolean> {
  const { rowCount } = await pool.query(`UPDATE tap_jobs j SET execution_duration = $3 WHERE j.id = $1 AND ${VISIBLE('$2')} AND j.phase = 'PENDING'`, [id, owner, seconds]);
  return rowCount === 1;
}

/** A new destruction time (any phase), and the destroy task moved to it. */
export async function setDestruction(pool: pg.Pool, id: string, owner: number | null, at: Date): Promise<boolean> {
  const { rows } = await pool.query(
    `WITH d AS (UPDATE tap_jobs j SET destruction = $3 WHERE j.id = $1 AND ${VISIBLE('$2')} RETURNING j.id, j.destruction)
     SELECT ${SCHEDULE_DESTROY('d.id', 'd.destruction')} FROM d`,
    [id, owner, at],
  );
  return rows.length === 1;
}

/** Deletes the job; its result file is the caller's to remove (the path is returned). */
export async function deleteJob(pool: pg.Pool, id: string, owner: number | null): Promise<string | null> {
  const { rows } = await pool.query<{ resultPath: string }>(
    `WITH d AS (DELETE FROM tap_jobs j WHERE j.id = $1 AND ${VISIBLE('$2')} RETURNING j.id, j.result_path)
     SELECT d.result_path AS "resultPath", graphile_worker.remove_job('tap:' || d.id), graphile_worker.remove_job('tap-destroy:' || d.id) FROM d`,
    [id, owner],
  );
  return rows[0]?.resultPath ?? null;
}

// ---- the runner's side ----

/**
 * QUEUED → EXECUTING (or EXECUTING again: the task's second attempt after its worker died).
 * Null when the job was aborted, deleted or destroyed meanwhile. `ownerRevoked`: the owner's
 * token no longer works, so its drafts are no longer the job's to read.
 */
export async function claimJob(pool: pg.Pool, id: string): Promise<(TapJob & { ownerRevoked: boolean; rerun: boolean }) | null> {
  // `rerun`: an earlier attempt had started it (started_at set) and never ended it: the process
  // running it died, perhaps of this very query.
  const { rows } = await pool.query<TapJob & { ownerRevoked: boolean; rerun: boolean }>(
    `WITH before AS (SELECT started_at FROM tap_jobs WHERE id = $1),
          c AS (UPDATE tap_jobs SET phase = 'EXECUTING', started_at = now()
                 WHERE id = $1 AND phase IN ('QUEUED', 'EXECUTING') AND destruction > now() RETURNING *)
     SELECT ${COLUMNS}, (j.owner_token_id IS NOT NULL AND (t.id IS NULL OR t.revoked_at IS NOT NULL OR t.expires_at <= now())) AS "ownerRevoked",
            (SELECT started_at IS NOT NULL FROM before) AS rerun
       FROM c j LEFT JOIN api_tokens t ON t.id = j.owner_token_id`,
    [id],
  );
  return rows[0] ?? null;
}

/** The job's phase now (null: deleted or destroyed): a running job polls it to stop when aborted. */
export async function phaseOf(pool: pg.Pool, id: string): Promise<Phase | null> {
  const { rows } = await pool.query<{ phase: Phase }>(`SELECT phase FROM tap_jobs WHERE id = $1 AND destruction > now()`, [id]);
  return rows[0]?.phase ?? null;
}

/** EXECUTING → COMPLETED or ERROR; false when the job was aborted or deleted meanwhile (the outcome is dropped). */
export async function endJob(
  pool: pg.Pool,
  id: string,
  outcome: { phase: 'COMPLETED'; rows: number; overflow: boolean } | { phase: 'ERROR'; message: string; usage: boolean },
): Promise<boolean> {
  const done = outcome.phase === 'COMPLETED';
  const { rowCount } = await pool.query(
    `UPDATE tap_jobs SET phase = $2, ended_at = now(), result_rows = $3, result_overflow = $4, error_summary = $5, error_is_usage = $6
      WHERE id = $1 AND phase = 'EXECUTING'`,
    [id, outcome.phase, done ? outcome.rows : null, done ? outcome.overflow : null, done ? null : outcome.message, done ? null : outcome.usage],
  );
  return rowCount === 1;
}

/** Deletes every job past its destruction time; their result files are the caller's to remove. */
export async function sweepExpired(pool: pg.Pool): Promise<string[]> {
  const { rows } = await pool.query<{ resultPath: string }>(`DELETE FROM tap_jobs WHERE destruction <= now() RETURNING result_path AS "resultPath"`);
  return rows.map((r) => r.resultPath);
}
