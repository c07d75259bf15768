/**
 * The process registry under stalls (src/monitor/processes.ts), against a real database:
 * - a process whose heartbeat waited behind a lock for longer than the timeout does not
 *   sweep itself (its row and its jobs' locks stay);
 * - a process whose row was swept while it stalled registers again at its next heartbeat;
 * - jobs locked by a worker id nobody live owns are freed once locked for the timeout, even
 *   with no registry row to say whose they were.
 * The jobs are real graphile-worker jobs, locked by hand as a worker would lock them.
 */
import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { registerProcess, registryTiming, sweepDeadProcesses, type RegisteredProcess } from '../../src/monitor/processes.js';
import { createTestDatabase } from '../helpers/db.js';
import { waitFor } from '../helpers/processes.js';

let database: Database;
const registered: RegisteredProcess[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  for (const r of registered) await r.stop();
  await database?.close();
});

/** A queued job, locked by `workerId` since `ageSeconds` ago, as graphile-worker locks one. */
async function lockedJob(workerId: string, ageSeconds: number): Promise<string> {
  const { rows } = await database.pool.query(`SELECT id FROM graphile_worker.add_job('registry_test', '{}'::json)`);
  await database.pool.query(`UPDATE graphile_worker._private_jobs SET locked_by = $2, locked_at = now() - make_interval(secs => $3) WHERE id = $1`, [
    rows[0].id,
    workerId,
    ageSeconds,
  ]);
  return String(rows[0].id);
}

async function lockOf(jobId: string): Promise<string | null> {
  const { rows } = await database.pool.query(`SELECT locked_by FROM graphile_worker._private_jobs WHERE id = $1`, [jobId]);
  return rows[0].locked_by;
}

async function row(id: string) {
  const { rows } = await database.pool.query(`SELECT id, role, pid, worker_ids, started_at, last_seen_at FROM processes WHERE id = $1`, [id]);
  return rows[0];
}

describe('process registry', () => {
  it('a heartbeat that waited behind a lock past the timeout keeps its row and its jobs', async () => {
    const me = await registerProcess(database.pool, { role: 'worker', intervalMs: 3_600_000, staleAfterMs: 1000 });
    registered.push(me);
    me.addWorkerId('worker-self');
    const job = await lockedJob('worker-self', 60);
    await waitFor(async () => ((await row(me.id)).worker_ids.length ? true : undefined), 5000, 20, 'the worker id recorded');

    // Something holds our row (a long transaction, a stuck vacuum): our heartbeat waits.
    const holder = await database.pool.connect();
    let beat: Promise<void> | undefined;
    let releasedAt = 0;
    try {
      await holder.query('BEGIN');
      await holder.query(`SELECT 1 FROM processes WHERE id = $1 FOR UPDATE`, [me.id]);
      beat = me.beat();
      await waitFor(
        async () => {
          const { rows } = await database.pool.query(
            `SELECT count(*)::int AS n FROM pg_stat_activity
             WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%processes%' AND pid <> pg_backend_pid()
               AND query_start < now() - interval '1.5 seconds'`,
          );
          return rows[0].n > 0 ? true : undefined;
        },
        10_000,
        50,
        'the heartbeat waiting for longer than the timeout',
      );
      releasedAt = Date.now();
      await holder.query('COMMIT');
    } finally {
      holder.release();
    }
    await beat;
    const after = await row(me.id);
    expect(after, 'the process swept its own row').toBeDefined();
    // The time the heartbeat got through, not the time it started waiting.
    expect(new Date(after.last_seen_at).getTime()).toBeGreaterThanOrEqual(releasedAt - 1000);
    expect(await lockOf(job), 'the process freed its own running job').toBe('worker-self');
  });

  it('a process whose row was swept while it stalled registers again at its next heartbeat', async () => {
    let reregistered = 0;
    const me = await registerProcess(database.pool, { role: 'worker', intervalMs: 3_600_000, onReregistered: () => reregistered++ });
    registered.push(me);
    me.addWorkerId('worker-back');
    await waitFor(async () => ((await row(me.id)).worker_ids.length ? true : undefined), 5000, 20, 'the worker id recorded');
    const before = await row(me.id);
    await me.beat();
    expect(reregistered).toBe(0);

    await database.pool.query(`DELETE FROM processes WHERE id = $1`, [me.id]); // another process's sweep took us for dead
    await me.beat();
    const again = await row(me.id);
    expect(again).toEqual({ ...before, last_seen_at: again.last_seen_at });
    expect(again.worker_ids).toEqual(['worker-back']);
    expect(reregistered).toBe(1);
  });

  it('frees jobs locked past the timeout by worker ids no live process owns, row or no row', async () => {
    const host = os.hostname();
    // A live process elsewhere, with a long-running job: not freed.
    await database.pool.query(`INSERT INTO processes (id, role, host, pid, worker_ids) VALUES ('far:1:aaaaaa', 'worker', 'far-away', 1, '{worker-far}')`);
    const farJob = await lockedJob('worker-far', 120);
    // A dead process whose row is already gone: its job has been locked for 2 minutes.
    const orphan = await lockedJob('worker-gone', 120);
    // A worker nobody knows yet that locked its job a moment ago (a process still starting): kept for now.
    const fresh = await lockedJob('worker-new', 0);
    const self = { id: 'sweeper:2:bbbbbb', workerIds: ['worker-mine'] };
    const mine = await lockedJob('worker-mine', 120);

    const freed = await sweepDeadProcesses(database.pool, host, 30_000, self);
    expect(freed).toBe(1);
    expect(await lockOf(orphan)).toBeNull();
    expect(await lockOf(farJob)).toBe('worker-far');
    expect(await lockOf(fresh)).toBe('worker-new');
    expect(await lockOf(mine)).toBe('worker-mine');
  });

  it('reads its heartbeat and timeout from the environment, and refuses a timeout shorter than three heartbeats', () => {
    expect(registryTiming({})).toEqual({ intervalMs: 2000, staleAfterMs: 30_000 });
    expect(registryTiming({ ARCHIVE_HEARTBEAT_MS: '500', ARCHIVE_PROCESS_TIMEOUT_MS: '5000' })).toEqual({ intervalMs: 500, staleAfterMs: 5000 });
    expect(() => registryTiming({ ARCHIVE_PROCESS_TIMEOUT_MS: '4000' })).toThrow(/at least three heartbeats/);
    expect(() => registryTiming({ ARCHIVE_HEARTBEAT_MS: 'soon' })).toThrow(/ARCHIVE_HEARTBEAT_MS must be a positive integer/);
  });
});
