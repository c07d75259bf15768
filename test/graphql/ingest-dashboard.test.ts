/**
 * What the ingestion dashboard reads: Query.ingestionRuns (visibility: anonymous callers see
 * runs of published releases only), IngestionRun.throughput over a real ingest (its counts add
 * up to the run's files, one statement for the list, and stays the run's after a re-ingest),
 * Query.profiles (admin only).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateRelease } from '../../src/bench/generate.js';
import { loadConfig } from '../../src/config.js';
import type { Database } from '../../src/db/client.js';
import type { RunningWorker } from '../../src/worker/runner.js';
import { ADMIN, INGEST, codes, createHarness } from './harness.js';
import { createTestDatabase } from '../helpers/db.js';
import { startTestWorker, tempDir, waitForRun } from '../helpers/ingest.js';

let database: Database;
let worker: RunningWorker;
let root: string;
let gql: ReturnType<typeof createHarness>;
let runId: number;
let secondRunId: number;

beforeAll(async () => {
  database = await createTestDatabase();
  root = tempDir();
  generateRelease(path.join(root, 'dr1'), { spectra: 300, cubes: 0, images: 0, catalogues: 0, blobs: 300, sources: 20 });
  gql = createHarness(database, loadConfig({ ARCHIVE_HOME: root, ARCHIVE_DATA_ROOT: root }, root));
  worker = await startTestWorker(database, { batchSize: 100 });
  const sub = await gql.exec(`mutation { ingestRelease(input: { survey: "DASH", release: "DR1", path: "dr1" }) { id } }`, {}, ADMIN);
  expect(sub.errors).toBeUndefined();
  runId = Number(sub.data.ingestRelease.id);
  await waitForRun(database, runId);
}, 120_000);

afterAll(async () => {
  await worker?.stop();
  await database?.close();
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

const RUNS = `{ ingestionRuns(first: 5) { id status processedFiles release { name } throughput(points: 10) { seconds filesPerSecond processedFiles } } }`;

describe('ingestionRuns and throughput', () => {
  it('a draft release\'s runs are listed for token holders only, with throughput adding up to the run\'s files', async () => {
    expect((await gql.exec(RUNS)).data.ingestionRuns).toEqual([]);
    const r = await gql.exec(RUNS, {}, INGEST);
    expect(r.errors).toBeUndefined();
    const [run] = r.data.ingestionRuns;
    expect(Number(run.id)).toBe(runId);
    expect(run.processedFiles).toBe(600);
    const pts = run.throughput as { seconds: number; filesPerSecond: number; processedFiles: number }[];
    expect(pts.length).toBeGreaterThanOrEqual(1);
    expect(pts.length).toBeLessThanOrEqual(10);
    expect(pts.at(-1)!.processedFiles).toBe(600);
    // Equal intervals, increasing, and rate x width = the files of each interval.
    const width = pts[0].seconds;
    let prev = 0;
    for (const [i, p] of pts.entries()) {
      expect(p.seconds).toBeCloseTo(width * (i + 1), 6);
      expect(p.filesPerSecond * width).toBeCloseTo(p.processedFiles - prev, 6);
      prev = p.processedFiles;
    }
    expect(r.queries).toBeLessThanOrEqual(3); // runs, their releases, the throughput of all of them
  });

  it('a re-ingest of the release keeps the earlier run\'s curve, and its skipped files make its own', async () => {
    // The files are the later run's now (their run_id and processed_at): the earlier run's
    // curve is its own record, not read back from them. It was flat at 0 before run_progress.
    const sub = await gql.exec(`mutation { ingestRelease(input: { survey: "DASH", release: "DR1", path: "dr1" }) { id } }`, {}, ADMIN);
    expect(sub.errors).toBeUndefined();
    secondRunId = Number(sub.data.ingestRelease.id);
    await waitForRun(database, secondRunId);
    const r = await gql.exec(RUNS, {}, INGEST);
    expect(r.errors).toBeUndefined();
    const byId = new Map(r.data.ingestionRuns.map((x: { id: string }) => [Number(x.id), x]));
    const last = (id: number) => (byId.get(id) as { throughput: { processedFiles: number }[] }).throughput.at(-1)!.processedFiles;
    expect(last(runId)).toBe(600);
    expect((byId.get(secondRunId) as { processedFiles: number }).processedFiles).toBe(600);
    expect(last(secondRunId)).toBe(600);
    expect(r.queries).toBeLessThanOrEqual(3);
  });

  it('publishing makes the run visible to anonymous callers; first is bounded', async () => {
    const releaseId = (await database.pool.query<{ release_id: string }>('SELECT release_id FROM ingestion_runs WHERE id = $1', [runId])).rows[0].release_id;
    const pub = await gql.exec('mutation($id: ID!) { publishRelease(id: $id) { status } }', { id: releaseId }, ADMIN);
    expect(pub.errors).toBeUndefined();
    const r = await gql.exec(RUNS);
    expect(r.data.ingestionRuns.map((x: { id: string }) => Number(x.id))).toEqual([secondRunId, runId]);
    expect(codes(await gql.exec('{ ingestionRuns(first: 0) { id } }'))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await gql.exec('{ ingestionRuns { throughput(points: 501) { seconds } } }'))).toEqual(['BAD_USER_INPUT']);
  });
});

describe('profiles', () => {
  it('lists profiles newest first with status and time, for admins only', async () => {
    await database.pool.query(
      `INSERT INTO profiles (process_id, kind, seconds, status, error) VALUES ('p:1:a', 'CPU', 1, 'failed', 'gone'), ('p:1:a', 'CPU', 2, 'requested', NULL)`,
    );
    const r = await gql.exec('{ profiles(first: 10) { id status seconds createdAt error url } }', {}, ADMIN);
    expect(r.errors).toBeUndefined();
    expect(r.data.profiles.map((p: { status: string }) => p.status)).toEqual(['requested', 'failed']);
    expect(r.data.profiles[1].error).toBe('gone');
    expect(new Date(r.data.profiles[0].createdAt).toISOString()).toBe(r.data.profiles[0].createdAt);
    expect(codes(await gql.exec('{ profiles { id } }'))).toEqual(['UNAUTHENTICATED']);
    expect(codes(await gql.exec('{ profiles { id } }', {}, INGEST))).toEqual(['FORBIDDEN']);
  });
});
