/**
 * Query.processes / Query.activity during a real ingest, and the run report (stages,
 * slowestFiles, queriesPerFile) the pipeline fills.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import type { Database } from '../../src/db/client.js';
import { generateRelease } from '../../src/bench/generate.js';
import { ActivityBoard } from '../../src/monitor/activity.js';
import { registerProcess, type RegisteredProcess } from '../../src/monitor/processes.js';
import type { RunningWorker } from '../../src/worker/runner.js';
import { ADMIN, INGEST, codes, createHarness } from '../graphql/harness.js';
import { createTestDatabase } from '../helpers/db.js';
import { startTestWorker, tempDir, waitForRun } from '../helpers/ingest.js';

let database: Database;
let worker: RunningWorker;
let registered: RegisteredProcess;
let root: string;
let gql: ReturnType<typeof createHarness>;
const FILES = 3000;

beforeAll(async () => {
  database = await createTestDatabase();
  root = tempDir();
  generateRelease(path.join(root, 'dr1'), { spectra: FILES - 200, cubes: 0, images: 100, catalogues: 0, blobs: 100, sources: 50 });
  gql = createHarness(database, loadConfig({ ARCHIVE_HOME: root, ARCHIVE_DATA_ROOT: root }, root));
  const activity = new ActivityBoard();
  registered = await registerProcess(database.pool, { role: 'worker', activity });
  worker = await startTestWorker(database, { batchSize: 100 }, activity);
});

afterAll(async () => {
  await worker?.stop();
  await registered?.stop();
  await database?.close();
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

const ACTIVITY = `{ activity { processId jobId task runId currentFile stage elapsedSeconds } }`;

describe('processes and activity', () => {
  it('need an admin token', async () => {
    for (const q of ['{ processes { id } }', '{ activity { jobId } }', '{ profile(id: 1) { id } }', 'mutation { captureProfile(seconds: 1) { id } }']) {
      expect(codes(await gql.exec(q)), q).toEqual(['UNAUTHENTICATED']);
      expect(codes(await gql.exec(q, {}, INGEST)), q).toEqual(['FORBIDDEN']);
    }
  });

  it('lists the live process with its role and ISO timestamps, not a stale one', async () => {
    await database.pool.query(
      `INSERT INTO processes (id, role, host, pid, last_seen_at) VALUES ('gone:1:aaaaaa', 'api', 'elsewhere', 1, now() - interval '1 minute')`,
    );
    const r = await gql.exec('{ processes { id role host pid startedAt lastSeenAt } }', {}, ADMIN);
    expect(r.errors).toBeUndefined();
    const ids = r.data.processes.map((p: { id: string }) => p.id);
    expect(ids).toContain(registered.id);
    expect(ids).not.toContain('gone:1:aaaaaa');
    const me = r.data.processes.find((p: { id: string }) => p.id === registered.id);
    expect(me.role).toBe('worker');
    expect(me.pid).toBe(process.pid);
    expect(new Date(me.lastSeenAt).toISOString()).toBe(me.lastSeenAt);
  });

  it('shows in-flight batch jobs (task, run, stage, file) while a real ingest runs, and nothing after', async () => {
    // The ingest is held at its first write (records locked against writes) until the board
    // has shown a batch: on a fast machine the 3,000 files could otherwise be done between two
    // polls. Then it is let go and watched to the end.
    const gate = await database.pool.connect();
    await gate.query('BEGIN');
    await gate.query('LOCK TABLE records IN SHARE MODE');
    const seen: Array<Record<string, unknown>> = [];
    const poll = async () => {
      const r = await gql.exec(ACTIVITY, {}, ADMIN);
      expect(r.errors).toBeUndefined();
      seen.push(...r.data.activity);
    };
    let runId: string;
    try {
      const sub = await gql.exec(
        `mutation { ingestRelease(input: { survey: "MON", release: "DR1", path: "dr1" }) { id } }`,
        {},
        ADMIN,
      );
      expect(sub.errors).toBeUndefined();
      runId = String(sub.data.ingestRelease.id);
      const held = Date.now() + 60_000;
      while (!seen.some((a) => a.task === 'ingest_batch') && Date.now() < held) {
        await poll();
        await new Promise((res) => setTimeout(res, 50));
      }
    } finally {
      await gate.query('COMMIT');
      gate.release();
    }
    const deadline = Date.now() + 60_000;
    let finished = false;
    while (!finished && Date.now() < deadline) {
      await poll();
      const { rows } = await database.pool.query(`SELECT status FROM ingestion_runs WHERE id = $1`, [runId]);
      finished = ['SUCCEEDED', 'PARTIAL', 'FAILED'].includes(rows[0].status);
      await new Promise((res) => setTimeout(res, 100));
    }
    const done = await waitForRun(database, Number(runId));
    expect(done.processed_files).toBe(FILES);
    const batches = seen.filter((a) => a.task === 'ingest_batch');
    expect(batches.length).toBeGreaterThan(0);
    for (const a of batches) {
      expect(a.processId).toBe(registered.id);
      expect(a.runId).toBe(runId);
      expect(typeof a.elapsedSeconds).toBe('number');
      expect(a.elapsedSeconds as number).toBeGreaterThanOrEqual(0);
    }
    expect(batches.some((a) => ['load', 'analyze', 'write'].includes(a.stage as string))).toBe(true);
    // currentFile is set as analysis chunks finish and cleared for the write: when present,
    // it is a path inside the release, relative as File.path is.
    for (const a of batches) if (a.currentFile !== null) expect(a.currentFile).toMatch(/^(spectra|images|blobs)\/\d{4}\/[a-z]+_\d{7}\.[a-z]+$/);

    // The board empties when the jobs end, and the next publish says so.
    await registered.beat();
    expect((await gql.exec(ACTIVITY, {}, ADMIN)).data.activity).toEqual([]);

    // The run report the pipeline filled.
    const rep = await gql.exec(
      `query($id: ID!) { ingestionRun(id: $id) { processedFiles queries queriesPerFile filesPerSecond stages { name seconds } slowestFiles(limit: 3) { path stage seconds } } }`,
      { id: runId },
      ADMIN,
    );
    expect(rep.errors).toBeUndefined();
    const run = rep.data.ingestionRun;
    const stages = Object.fromEntries(run.stages.map((s: { name: string; seconds: number }) => [s.name, s.seconds]));
    for (const name of ['scan', 'queue', 'load', 'read', 'checksum', 'header', 'validate', 'write']) {
      expect(stages, name).toHaveProperty(name);
      expect(stages[name], name).toBeGreaterThanOrEqual(0);
    }
    expect(stages.read + stages.checksum + stages.header).toBeGreaterThan(0);
    expect(run.slowestFiles).toHaveLength(3);
    for (const f of run.slowestFiles) {
      expect(f.path).toMatch(/\.(fits|bin|dat|csv)$|^blobs\//);
      expect(Object.keys(stages)).toContain(f.stage);
      expect(f.seconds).toBeGreaterThan(0);
    }
    expect(run.slowestFiles[0].seconds).toBeGreaterThanOrEqual(run.slowestFiles[2].seconds);
    expect(run.queries).toBe(done.queries);
    expect(run.queriesPerFile).toBeCloseTo(done.queries / FILES, 10);
    expect(run.filesPerSecond).toBeGreaterThan(0);
  });
});
