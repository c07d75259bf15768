/**
 * kill -9 of a real worker process in the middle of a run: a new worker finishes the run
 * promptly (the dead worker's locked jobs are freed by the process registry, not after
 * graphile-worker's 4-hour lock timeout), and every file ends up exactly once.
 *
 * Guards 267bb80: with the local queue runner.ts configures, graphile-worker 0.17 locks jobs
 * as the POOL (`locked_by = 'pool-…'`); before that fix only `worker:create` ids were
 * registered, force_unlock_workers freed nothing and the run waited 4 hours.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { spectrumFits } from '../../src/bench/products.js';
import { submitIngest } from '../../src/ingest/submit.js';
import { waitForRun } from '../helpers/ingest.js';
import { spawnWorker, waitFor, waitForWorkerIds } from '../helpers/processes.js';
import { expectExactlyOnce, processedWritesPerFile } from './invariants.js';
import { safetyFixture } from './fixture.js';

const SPECTRA = 4000;
const BROKEN = 20;

const fx = safetyFixture({ spectra: SPECTRA, sources: 50 }, (rel) => {
  // Invalid files too, so issue rows are part of what must not be duplicated.
  fs.mkdirSync(path.join(rel, 'broken'));
  for (let i = 0; i < BROKEN; i++) {
    fs.writeFileSync(path.join(rel, 'broken', `cut_${i}.fits`), spectrumFits({ object: `CUT ${i}`, ra: i, dec: -i, seed: 1000 + i }).subarray(0, 4000 + 300 * i));
  }
});

describe('worker crash (kill -9 mid-run)', () => {
  it('a new worker frees the dead worker’s jobs at once and finishes the run with every file exactly once', async () => {
    expect([...fx.expected.values()].filter((e) => e.status === 'INVALID')).toHaveLength(BROKEN);
    // One batch at a time, so processed_files moves in steps of a batch (1000 files) and
    // the kill lands while a batch is in flight and others sit locked in the local queue.
    const first = await spawnWorker({ databaseUrl: fx.database.url, args: ['--concurrency', '1'] });
    // Its registry row carries its graphile-worker ids once the first heartbeat (2 s) ran.
    const ids = await waitForWorkerIds(fx.database, first.pid);
    const run = await submitIngest(fx.database, fx.root, { survey: 'CRASH', release: 'DR1', path: 'dr1' });
    const total = SPECTRA + BROKEN;
    const atKill = await waitFor(
      async () => {
        const { rows } = await fx.database.pool.query(`SELECT processed_files, status FROM ingestion_runs WHERE id = $1`, [run.id]);
        const p = rows[0].processed_files as number;
        if (rows[0].status !== 'RUNNING' && rows[0].status !== 'QUEUED') throw new Error(`run ended before the kill: ${rows[0].status}`);
        return p >= total * 0.1 && p <= total * 0.9 ? p : undefined;
      },
      60_000,
      10,
      'processed_files between 10% and 90%',
    );
    await first.kill9();
    const { rows: locked } = await fx.database.pool.query<{ locked_by: string }>(`SELECT DISTINCT locked_by FROM graphile_worker._private_jobs WHERE locked_by IS NOT NULL`);
    expect(locked.length).toBeGreaterThan(0); // the dead worker still holds jobs (its in-flight batch at least)
    // The registry can only free what it knows: every lock the dead process holds must be
    // under an id in its `worker_ids` (graphile_worker.force_unlock_workers matches locked_by).
    expect.soft(ids, 'locked_by of the dead worker’s jobs vs the worker_ids it registered').toEqual(expect.arrayContaining(locked.map((l) => l.locked_by)));

    const restartedAt = Date.now();
    const second = await spawnWorker({ databaseUrl: fx.database.url });
    const done = await waitForRun(fx.database, run.id, 60_000);
    const secondsAfterRestart = (Date.now() - restartedAt) / 1000;
    await second.stop();

    expect(atKill).toBeLessThan(total);
    expect(done.status).toBe('SUCCEEDED');
    expect(secondsAfterRestart).toBeLessThan(60);
    await expectExactlyOnce(fx.database, run.id, fx.expected);
    // Each file's outcome was written once: the crashed batch's files were not written
    // half by the dead worker and again by the new one.
    const writes = await processedWritesPerFile(fx.database, run.releaseId);
    expect([...writes.values()].filter((n) => n !== 1)).toEqual([]);
    const { rows: jobs } = await fx.database.pool.query(`SELECT count(*)::int AS n FROM graphile_worker._private_jobs`);
    expect(jobs[0].n).toBe(0);
    const { rows: procs } = await fx.database.pool.query(`SELECT pid FROM processes`);
    expect(procs.map((p) => p.pid)).not.toContain(first.pid); // the dead worker was swept from the registry
  }, 180_000);
});
