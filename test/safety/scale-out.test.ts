/**
 * Two real worker processes on one database share one run: both do part of it, no file is
 * processed twice, and the counters are exact.
 *
 * Evidence of who did what: each process logs `batch finished` (debug) with the job id and
 * how many files the batch analysed and wrote; the sum over both processes must be the
 * number of files (a file analysed twice would be counted twice). A trigger on the cloned
 * test database counts every write of a file's processed_at: exactly one per file.
 */
import { describe, expect, it } from 'vitest';
import { submitIngest } from '../../src/ingest/submit.js';
import { waitForRun } from '../helpers/ingest.js';
import { spawnWorker, type WorkerProcess } from '../helpers/processes.js';
import { expectExactlyOnce, processedWritesPerFile } from './invariants.js';
import { safetyFixture } from './fixture.js';

const SPECTRA = 6000; // 6 batches of 1,000 (the workers' --batch-size)

const fx = safetyFixture({ spectra: SPECTRA, sources: 100 });

function batchesOf(w: WorkerProcess, runId: number): Array<{ jobId: string; processed: number }> {
  return w
    .logs()
    .filter((l) => l.msg === 'batch finished' && Number(l.runId) === runId)
    .map((l) => ({ jobId: String(l.jobId), processed: Number(l.processed) }));
}

describe('scale-out: two worker processes, one run', () => {
  it('both workers process batches, every file exactly once, counters exact', async () => {
    // One job at a time each, so neither can take the whole run into its local queue at once.
    const [a, b] = await Promise.all([
      spawnWorker({ databaseUrl: fx.database.url, args: ['--concurrency', '1', '--batch-size', '1000'], logLevel: 'debug' }),
      spawnWorker({ databaseUrl: fx.database.url, args: ['--concurrency', '1', '--batch-size', '1000'], logLevel: 'debug' }),
    ]);
    const run = await submitIngest(fx.database, fx.root, { survey: 'SCALE', release: 'DR1', path: 'dr1' });

    // While it runs: both processes are registered, and jobs are locked by more than one owner.
    const lockOwners = new Set<string>();
    let registered = 0;
    for (;;) {
      const { rows } = await fx.database.pool.query<{ locked_by: string }>(`SELECT DISTINCT locked_by FROM graphile_worker._private_jobs WHERE locked_by IS NOT NULL`);
      for (const r of rows) lockOwners.add(r.locked_by);
      const { rows: procs } = await fx.database.pool.query(`SELECT count(*)::int AS n FROM processes WHERE role = 'worker' AND pid = ANY($1::int[])`, [[a.pid, b.pid]]);
      registered = Math.max(registered, procs[0].n);
      const { rows: st } = await fx.database.pool.query(`SELECT status FROM ingestion_runs WHERE id = $1`, [run.id]);
      if (!['QUEUED', 'RUNNING'].includes(st[0].status)) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const done = await waitForRun(fx.database, run.id, 60_000);
    await Promise.all([a.stop(), b.stop()]);

    expect(done.status).toBe('SUCCEEDED');
    expect(registered).toBe(2);
    expect(lockOwners.size).toBeGreaterThanOrEqual(2);

    const fromA = batchesOf(a, run.id);
    const fromB = batchesOf(b, run.id);
    expect(fromA.length, `process A batches (stderr tail: ${a.stderr().slice(-500)})`).toBeGreaterThan(0);
    expect(fromB.length, `process B batches (stderr tail: ${b.stderr().slice(-500)})`).toBeGreaterThan(0);
    const jobIds = [...fromA, ...fromB].map((x) => x.jobId);
    expect(new Set(jobIds).size).toBe(jobIds.length); // no job ran in both processes
    const analysed = [...fromA, ...fromB].reduce((s, x) => s + x.processed, 0);
    expect(analysed).toBe(SPECTRA); // no file analysed twice, none left out

    await expectExactlyOnce(fx.database, run.id, fx.expected);
    const writes = await processedWritesPerFile(fx.database, run.releaseId);
    expect([...writes.values()].filter((n) => n !== 1)).toEqual([]);
  }, 180_000);
});
