/**
 * The API side of profiles and the process list: `captureProfile` inserts a request row,
 * wakes the target with NOTIFY and waits for the row to be done. It never hangs: a target
 * that is unknown or not live is refused at once, one that dies while we wait is reported
 * on the next poll, one that never picks the request up fails after `answerWithinSeconds`,
 * and one still writing by then (a busy process: exactly when a profile is wanted) is
 * left to finish: the answer names the profile, whose URL will serve it once stored.
 */
import type { Database } from '../db/client.js';
import { ArchiveError, badInput, notFound } from '../errors.js';
import { PROFILE_CHANNEL } from './profile-listener.js';
import { answerWithinSeconds } from './profile-timing.js';
import type { ProfileFunction } from './profile-summary.js';
import type { ProfileKind } from './profiler.js';

/** Heartbeats are every 2 s (1 s while jobs run): three missed ones and a process is not live. */
export const LIVE_WITHIN_SECONDS = 6;
/**
 * While a capture runs, its process is given up for gone only after this long without a
 * heartbeat (refusing a request uses LIVE_WITHIN_SECONDS): stopping the profiler and
 * serialising a large profile block the event loop that sends heartbeats.
 */
export const GONE_AFTER_SECONDS = 20;
export const MIN_PROFILE_SECONDS = 1;
export const MAX_PROFILE_SECONDS = 300;

export interface ProcessRow {
  id: string;
  role: string;
  host: string;
  pid: number;
  startedAt: Date;
  lastSeenAt: Date;
  activity: unknown;
  /** The database's now(), so elapsed times do not depend on the API host's clock. */
  now: Date;
}

export async function liveProcesses(database: Database): Promise<ProcessRow[]> {
  const { rows } = await database.pool.query<ProcessRow>(
    `SELECT id, role, host, pid, started_at AS "startedAt", last_seen_at AS "lastSeenAt", activity, now() AS now
     FROM processes WHERE last_seen_at > now() - make_interval(secs => $1) ORDER BY started_at, id`,
    [LIVE_WITHIN_SECONDS],
  );
  return rows;
}

export interface ActivityRow {
  processId: string;
  jobId: string;
  task: string;
  runId: string | null;
  currentFile: string | null;
  stage: string | null;
  elapsedSeconds: number;
}

/** Flatten each live process's in-flight jobs. */
export function flattenActivity(processes: ProcessRow[]): ActivityRow[] {
  const out: ActivityRow[] = [];
  for (const p of processes) {
    if (!Array.isArray(p.activity)) continue;
    for (const a of p.activity as Array<Record<string, unknown>>) {
      const since = typeof a.since === 'number' ? a.since : p.lastSeenAt.getTime();
      out.push({
        processId: p.id,
        jobId: String(a.jobId),
        task: String(a.task),
        runId: a.runId == null ? null : String(a.runId),
        currentFile: typeof a.currentFile === 'string' ? a.currentFile : null,
        stage: typeof a.stage === 'string' ? a.stage : null,
        // `since` is the job host's clock; compare it with the same host's last heartbeat,
        // then add how long ago that was by the database clock.
        elapsedSeconds: Math.max(0, (p.lastSeenAt.getTime() - since + (p.now.getTime() - p.lastSeenAt.getTime())) / 1000),
      });
    }
  }
  return out;
}

export interface ProfileRow {
  id: number;
  processId: string;
  kind: ProfileKind;
  seconds: number;
  status: string;
  sampleCount: number | null;
  topFunctions: ProfileFunction[] | null;
  error: string | null;
  createdAt: Date;
}

const PROFILE_COLUMNS = `id, process_id AS "processId", kind, seconds, status, sample_count AS "sampleCount", top_functions AS "topFunctions", error, created_at AS "createdAt"`;

export async function loadProfile(database: Database, id: number): Promise<ProfileRow | null> {
  const { rows } = await database.pool.query<ProfileRow>(`SELECT ${PROFILE_COLUMNS} FROM profiles WHERE id = $1`, [id]);
  return rows[0] ?? null;
}

/** The newest `first` profiles, whatever their status (the dashboard's list). */
export async function listProfiles(database: Database, first: number): Promise<ProfileRow[]> {
  const { rows } = await database.pool.query<ProfileRow>(`SELECT ${PROFILE_COLUMNS} FROM profiles ORDER BY id DESC LIMIT $1`, [first]);
  return rows;
}

export async function loadProfileData(database: Database, id: number): Promise<{ kind: ProfileKind; status: string; data: string | null } | null> {
  const { rows } = await database.pool.query<{ kind: ProfileKind; status: string; data: string | null }>(`SELECT kind, status, data FROM profiles WHERE id = $1`, [id]);
  return rows[0] ?? null;
}

export class ProfileFailedError extends Error {
  readonly code = 'PROFILE_FAILED';
}

/** The target is still writing the profile when the wait ends: it will be stored later. */
export class ProfilePendingError extends Error {
  readonly code = 'PROFILE_PENDING';
  constructor(
    message: string,
    readonly profileId: number,
    readonly kind: ProfileKind,
  ) {
    super(message);
  }
}

export interface CaptureRequest {
  seconds: number;
  target: string;
  kind: ProfileKind;
  pollMs?: number;
  /** Default answerWithinSeconds(seconds); tests shorten it. */
  answerWithinSeconds?: number;
}

export async function requestProfile(database: Database, req: CaptureRequest): Promise<ProfileRow> {
  if (!Number.isInteger(req.seconds) || req.seconds < MIN_PROFILE_SECONDS || req.seconds > MAX_PROFILE_SECONDS) {
    throw badInput(`seconds must be an integer from ${MIN_PROFILE_SECONDS} to ${MAX_PROFILE_SECONDS}, got ${req.seconds}`, 'seconds');
  }
  const pool = database.pool;
  // Insert only for a live target, and wake it, in one statement each.
  const { rows } = await pool.query<{ id: number }>(
    `INSERT INTO profiles (process_id, kind, seconds)
     SELECT id, $2, $3 FROM processes WHERE id = $1 AND last_seen_at > now() - make_interval(secs => $4)
     RETURNING id`,
    [req.target, req.kind, req.seconds, LIVE_WITHIN_SECONDS],
  );
  const id = rows[0]?.id;
  if (id === undefined) {
    const { rows: known } = await pool.query<{ age: number }>(`SELECT extract(epoch FROM now() - last_seen_at)::float8 AS age FROM processes WHERE id = $1`, [req.target]);
    if (known[0]) {
      throw new ArchiveError('NOT_FOUND', `process ${req.target} is not live (last heartbeat ${known[0].age.toFixed(0)} s ago); see Query.processes`);
    }
    throw notFound(`no process ${JSON.stringify(req.target)}; Query.processes lists the live ones`);
  }
  await pool.query(`SELECT pg_notify($1, $2)`, [PROFILE_CHANNEL, String(id)]);

  const within = req.answerWithinSeconds ?? answerWithinSeconds(req.seconds);
  const deadline = Date.now() + within * 1000;
  const pollMs = req.pollMs ?? 250;
  for (;;) {
    await new Promise((r) => setTimeout(r, pollMs));
    const { rows: st } = await pool.query<{ status: string; error: string | null; live: boolean }>(
      `SELECT p.status, p.error,
              EXISTS (SELECT 1 FROM processes WHERE id = p.process_id AND last_seen_at > now() - make_interval(secs => $2)) AS live
       FROM profiles p WHERE p.id = $1`,
      [id, GONE_AFTER_SECONDS],
    );
    const s = st[0];
    if (!s) throw new ProfileFailedError(`profile ${id} was deleted while waiting for it`);
    if (s.status === 'done') return (await loadProfile(database, id))!;
    if (s.status === 'failed') throw new ProfileFailedError(`process ${req.target} could not capture profile ${id}: ${s.error ?? 'unknown error'}`);
    if (s.live && Date.now() <= deadline) continue;
    if (s.live && s.status === 'running') {
      // Claimed and sampling or storing, heartbeats still coming: busy, not broken. The row
      // stays 'running' and the listener stores it when it gets there.
      throw new ProfilePendingError(`process ${req.target} is still writing profile ${id} after ${within} s (it is busy)`, id, req.kind);
    }
    const reason = !s.live
      ? `process ${req.target} stopped heartbeating while profile ${id} was ${s.status}`
      : `process ${req.target} did not pick up profile ${id} within ${within} s (is its profile listener running? a process older than this feature has none)`;
    // A live process may claim the request between the poll and this update: then it is not
    // failed, and the next poll tells done, failed or still running.
    const { rowCount } = await pool.query(
      `UPDATE profiles SET status = 'failed', error = $2, completed_at = now() WHERE id = $1 AND status = ANY($3::text[])`,
      [id, reason, s.live ? ['requested'] : ['requested', 'running']],
    );
    if (rowCount === 0) continue;
    throw new ProfileFailedError(reason);
  }
}

/**
 * Where clients download profiles: the API's listening address, told by the CLI once the
 * server listens (`setProfileBaseUrl`), else derived from HOST/PORT.
 */
let baseUrl: string | null = null;

export function setProfileBaseUrl(url: string | null): void {
  baseUrl = url ? url.replace(/\/+$/, '') : null;
}

export function profileUrl(config: { host: string; port: number }, id: number | string, kind: ProfileKind): string {
  const host = config.host === '0.0.0.0' ? '127.0.0.1' : config.host === '::' ? '[::1]' : config.host.includes(':') ? `[${config.host}]` : config.host;
  const base = baseUrl ?? `http://${host}:${config.port}`;
  return `${base}/profiles/${id}${kind === 'HEAP' ? '.heapprofile' : '.cpuprofile'}`;
}
