/**
 * The archive database's side of "what is running now": its sessions' statements from
 * pg_stat_activity with the pids blocking each (pg_blocking_pids), and the statements that
 * took the most time (pg_stat_statements, when the extension is there). One statement each.
 * Texts leave here stripped of literals and truncated: they may hold paths, names, hashes.
 */
import type pg from 'pg';
import { displaySql } from '../sql-literals.js';

export interface DatabaseStatementRow {
  pid: number;
  state: string;
  ageSeconds: number;
  waitEventType: string | null;
  waitEvent: string | null;
  query: string;
  blockedBy: number[];
  applicationName: string | null;
  backendType: string | null;
}

/** Longest query text shown (pg_stat_activity itself keeps track_activity_query_size, 1 kB by default). */
export const QUERY_TEXT_MAX = 2000;

// Idle sessions run nothing (their `query` is the last one they ran); "idle in transaction"
// ones are kept: they hold locks and are the usual blockers. The session asking is left out.
const ACTIVITY = `
SELECT pid, state, wait_event_type, wait_event, query, application_name, backend_type,
       pg_blocking_pids(pid) AS blocked_by,
       extract(epoch FROM clock_timestamp() - coalesce(query_start, xact_start, backend_start))::float8 AS age
FROM pg_stat_activity
WHERE datname = current_database() AND pid <> pg_backend_pid() AND state IS NOT NULL AND state <> 'idle'
ORDER BY cardinality(pg_blocking_pids(pid)) > 0 DESC, age DESC NULLS LAST, pid`;

export async function loadDatabaseActivity(pool: pg.Pool): Promise<DatabaseStatementRow[]> {
  const { rows } = await pool.query<{
    pid: number;
    state: string;
    wait_event_type: string | null;
    wait_event: string | null;
    query: string | null;
    application_name: string | null;
    backend_type: string | null;
    blocked_by: number[];
    age: number | null;
  }>(ACTIVITY);
  return rows.map((r) => ({
    pid: r.pid,
    state: r.state,
    ageSeconds: Math.max(0, r.age ?? 0),
    waitEventType: r.wait_event_type,
    waitEvent: r.wait_event,
    query: displaySql(r.query ?? '', QUERY_TEXT_MAX),
    blockedBy: r.blocked_by ?? [],
    applicationName: r.application_name || null,
    backendType: r.backend_type,
  }));
}

export interface TopStatementRow {
  query: string;
  calls: number;
  totalSeconds: number;
  meanMs: number;
  rows: number;
}

export type TopStatements = { available: true; statements: TopStatementRow[] } | { available: false; reason: string; statements: [] };

// The extension's columns are total_exec_time/mean_exec_time since PostgreSQL 13 (this
// archive needs 14 or newer). Statements of this database only.
const TOP = `
SELECT s.query, s.calls::float8 AS calls, s.total_exec_time / 1000 AS total_seconds, s.mean_exec_time AS mean_ms, s.rows::float8 AS rows
FROM pg_stat_statements s
WHERE s.dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
ORDER BY s.total_exec_time DESC
LIMIT $1`;

/**
 * Top statements by total execution time. Not installed in this database (no CREATE EXTENSION)
 * or not loaded by the server (shared_preload_libraries) is an answer, not an error.
 */
export async function loadTopStatements(pool: pg.Pool, first: number): Promise<TopStatements> {
  try {
    const { rows } = await pool.query<{ query: string; calls: number; total_seconds: number; mean_ms: number; rows: number }>(TOP, [first]);
    return {
      available: true,
      statements: rows.map((r) => ({
        query: displaySql(r.query, QUERY_TEXT_MAX),
        calls: r.calls,
        totalSeconds: r.total_seconds,
        meanMs: r.mean_ms,
        rows: r.rows,
      })),
    };
  } catch (err) {
    const code = (err as { code?: string }).code;
    // 42P01: relation "pg_stat_statements" does not exist; 55000: must be loaded via shared_preload_libraries.
    if (code === '42P01') return { available: false, reason: 'pg_stat_statements is not installed in this database (CREATE EXTENSION pg_stat_statements, with the library in shared_preload_libraries)', statements: [] };
    if (code === '55000') return { available: false, reason: 'pg_stat_statements is installed but the server does not load it (add it to shared_preload_libraries and restart)', statements: [] };
    if (code === '42501') return { available: false, reason: 'the archive\'s database role may not read pg_stat_statements (grant pg_read_all_stats)', statements: [] };
    throw err;
  }
}
