/**
 * The database dies under a running `astroarchive start` and comes back: the embedded
 * PostgreSQL killed with SIGKILL (the process restarts it), and an external PostgreSQL 15
 * stopped with `pg_ctl stop -m immediate` and started again. The Node process must survive
 * (graphile-worker's local queue used to end it with an unhandled rejection), /healthz must
 * answer 200 again, and a run that was in flight must finish with every file exactly once.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase, type Database } from '../../src/db/client.js';
import { freePort } from '../../src/db/embedded.js';
import { generateRelease } from '../../src/bench/generate.js';
import { spectrumFits } from '../../src/bench/products.js';
import { isProcessAlive } from '../../src/util/process-alive.js';
import { runCli, startService, type Service } from '../helpers/cli-process.js';
import { tempDir } from '../helpers/ingest.js';
import { waitFor } from '../helpers/processes.js';
import { expectedResults, expectExactlyOnce, logProcessedAtWrites, processedWritesPerFile, type Expected } from './invariants.js';
import { createPg15Cluster, pg15Unavailable, type Pg15Cluster } from '../../src/db/debian-cluster.js';

const SPECTRA = 8000;
const BROKEN = 10;
const BATCH = 500; // many batches, so the kill lands with several in flight and more queued

let root: string;
let expected: Map<string, Expected>;
const cleanups: Array<() => Promise<void> | void> = [];

beforeAll(() => {
  root = tempDir();
  const rel = path.join(root, 'dr1');
  generateRelease(rel, { spectra: SPECTRA, cubes: 0, images: 0, catalogues: 0, blobs: 0, sources: 50 });
  fs.mkdirSync(path.join(rel, 'broken'));
  for (let i = 0; i < BROKEN; i++) {
    fs.writeFileSync(path.join(rel, 'broken', `cut_${i}.fits`), spectrumFits({ object: `CUT ${i}`, ra: i, dec: -i, seed: 500 + i }).subarray(0, 4000 + 300 * i));
  }
  expected = expectedResults(rel);
});

afterAll(async () => {
  for (const fn of cleanups.reverse()) await fn();
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

async function healthz(port: number): Promise<number> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(10_000) });
    return res.status;
  } catch {
    return 0;
  }
}

async function startArchive(env: Record<string, string>): Promise<{ service: Service; port: number; env: Record<string, string> }> {
  const port = await freePort();
  const home = tempDir('astroarchive-home-');
  const full = { DATABASE_URL: '', ARCHIVE_HOME: home, ARCHIVE_DATA_ROOT: root, PORT: String(port), LOG_LEVEL: 'info', ...env };
  const service = await startService(['start', '--batch-size', String(BATCH)], full, /Press Ctrl-C to stop/, 180_000);
  cleanups.push(async () => {
    await service.stop('SIGKILL');
    fs.rmSync(home, { recursive: true, force: true });
  });
  return { service, port, env: full };
}

/** Submit dr1 through the CLI (no --wait: the test follows the run in the database). */
async function submit(env: Record<string, string>, database: Database, survey: string): Promise<number> {
  const r = await runCli(['ingest', 'dr1', '--survey', survey, '--release', 'DR1'], env, 120_000);
  expect(r.code, r.stderr).toBe(0);
  const { rows } = await database.pool.query<{ id: number }>(`SELECT r.id FROM ingestion_runs r JOIN releases rel ON rel.id = r.release_id JOIN surveys s ON s.id = rel.survey_id WHERE s.name = $1`, [survey]);
  return Number(rows[0].id);
}

/** Wait until the scan has counted every file and the batches are part-way through. */
async function waitForMidRun(database: Database, runId: number): Promise<number> {
  const total = expected.size;
  return waitFor(
    async () => {
      const { rows } = await database.pool.query(`SELECT total_files, processed_files, status FROM ingestion_runs WHERE id = $1`, [runId]);
      const { total_files: t, processed_files: p, status } = rows[0];
      if (status !== 'RUNNING' && status !== 'QUEUED') throw new Error(`run ended before the database went down: ${status}`);
      return t === total && p >= total * 0.1 && p <= total * 0.8 ? p : undefined;
    },
    120_000,
    10,
    'the run to be between 10% and 80% done',
  );
}

/** Poll the run through an outage (statements fail while the server is down). */
async function waitForEnd(database: Database, runId: number, timeoutMs: number): Promise<string> {
  return waitFor(
    async () => {
      try {
        const { rows } = await database.pool.query(`SELECT status FROM ingestion_runs WHERE id = $1`, [runId]);
        return ['SUCCEEDED', 'PARTIAL', 'FAILED'].includes(rows[0].status) ? (rows[0].status as string) : undefined;
      } catch {
        return undefined;
      }
    },
    timeoutMs,
    200,
    `run ${runId} to end`,
  );
}

async function expectFinishedExactlyOnce(database: Database, runId: number): Promise<void> {
  expect(await waitForEnd(database, runId, 240_000)).toBe('SUCCEEDED');
  await expectExactlyOnce(database, runId, expected);
  const { rows: run } = await database.pool.query(`SELECT release_id FROM ingestion_runs WHERE id = $1`, [runId]);
  const writes = await processedWritesPerFile(database, Number(run[0].release_id));
  expect([...writes.values()].filter((n) => n !== 1)).toEqual([]);
  const { rows: jobs } = await database.pool.query(`SELECT count(*)::int AS n FROM graphile_worker._private_jobs`);
  expect(jobs[0].n).toBe(0);
}

/** Batch jobs that failed so far (the service logs each at warn level). */
function batchFailures(service: Service): number {
  return service.output().split('"msg":"batch failed"').length - 1;
}

function postmasterPid(home: string): number | undefined {
  try {
    const pid = Number(fs.readFileSync(path.join(home, 'pgdata', 'postmaster.pid'), 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

describe('embedded PostgreSQL killed under `astroarchive start`', () => {
  let archive: Awaited<ReturnType<typeof startArchive>>;
  let database: Database;
  beforeAll(async () => {
    archive = await startArchive({});
    database = connectDatabase(fs.readFileSync(path.join(archive.env.ARCHIVE_HOME, 'database-url'), 'utf8').trim(), { poolSize: 2 });
    cleanups.push(() => database.close().catch(() => {}));
    await logProcessedAtWrites(database);
  }, 240_000);

  /** SIGKILL the postmaster; resolves with the new one's pid once /healthz answers 200 again. */
  const killAndWaitForRestart = async (): Promise<{ killed: number; restarted: number }> => {
    const killed = postmasterPid(archive.env.ARCHIVE_HOME)!;
    expect(isProcessAlive(killed)).toBe(true);
    process.kill(killed, 'SIGKILL');
    const restarted = await waitFor(
      async () => {
        const pid = postmasterPid(archive.env.ARCHIVE_HOME);
        return pid && pid !== killed && isProcessAlive(pid) && (await healthz(archive.port)) === 200 ? pid : undefined;
      },
      120_000,
      200,
      'a new postmaster and /healthz 200',
    );
    return { killed, restarted };
  };

  it('idle: the server is restarted and /healthz answers 200 again', async () => {
    expect(await healthz(archive.port)).toBe(200);
    const { restarted } = await killAndWaitForRestart();
    expect(archive.service.child.exitCode).toBeNull();
    expect(archive.service.output()).toContain('embedded PostgreSQL restarted');
    expect(isProcessAlive(restarted)).toBe(true);
  }, 180_000);

  it('mid-ingest: Node survives, the server and the job runner restart, and the run finishes with every file exactly once', async () => {
    const runId = await submit(archive.env, database, 'EMBEDDED');
    const atKill = await waitForMidRun(database, runId);
    await killAndWaitForRestart();
    expect(archive.service.child.exitCode, archive.service.output().slice(-3000)).toBeNull();
    await expectFinishedExactlyOnce(database, runId);
    expect(atKill).toBeLessThan(expected.size);
    expect(archive.service.child.exitCode).toBeNull();
    // ...and still shuts down in order afterwards.
    expect(await archive.service.stop('SIGTERM')).toBe(0);
  }, 420_000);
});

const noPg15 = pg15Unavailable();

describe('external PostgreSQL (DATABASE_URL) restarted under `astroarchive start`', () => {
  it.skipIf(noPg15 !== null)(
    `recovers after pg_ctl stop -m immediate and start, and the run finishes exactly once${noPg15 ? ` (skipped: ${noPg15})` : ''}`,
    async () => {
      const cluster: Pg15Cluster = await createPg15Cluster({ name: 'astroarchive-pg15', settings: { max_connections: 100, fsync: 'off' } });
      cleanups.push(() => cluster.destroy());
      const archive = await startArchive({ DATABASE_URL: cluster.url });
      const database = connectDatabase(cluster.url, { poolSize: 2 });
      cleanups.push(() => database.close().catch(() => {}));
      await logProcessedAtWrites(database);

      const runId = await submit(archive.env, database, 'EXTERNAL');
      await waitForMidRun(database, runId);
      const failedBefore = batchFailures(archive.service);
      cluster.stop('immediate');
      await waitFor(async () => ((await healthz(archive.port)) === 503 ? true : undefined), 30_000, 100, '/healthz 503 while the server is down');
      // Down until a batch has failed on it: graphile-worker then cannot record the failure,
      // which is what stops its runner (a short enough outage would not be noticed at all).
      await waitFor(async () => (batchFailures(archive.service) > failedBefore ? true : undefined), 60_000, 100, 'a batch to fail on the outage');
      expect(archive.service.child.exitCode, archive.service.output().slice(-3000)).toBeNull();
      cluster.start();
      await waitFor(async () => ((await healthz(archive.port)) === 200 ? true : undefined), 60_000, 200, '/healthz 200 after the restart');
      await expectFinishedExactlyOnce(database, runId);
      expect(archive.service.child.exitCode).toBeNull();
      expect(archive.service.output()).toContain('job runner restarted');
      expect(await archive.service.stop('SIGTERM')).toBe(0);
    },
    420_000,
  );
});
