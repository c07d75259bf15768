/**
 * The contract metrics as counts, not just names: files processed, statements by origin, the
 * trace extension agreeing with the counter, millisecond-sized histogram buckets.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateRelease } from '../../src/bench/generate.js';
import { loadConfig } from '../../src/config.js';
import type { Database } from '../../src/db/client.js';
import { submitIngest } from '../../src/ingest/submit.js';
import { registry } from '../../src/monitor/metrics.js';
import type { RunningWorker } from '../../src/worker/runner.js';
import { createTestDatabase } from '../helpers/db.js';
import { startTestWorker, tempDir, waitForRun } from '../helpers/ingest.js';
import { serveApp, type ServedApp } from '../helpers/http-app.js';

let database: Database;
let worker: RunningWorker;
let root: string;
let served: ServedApp;
let base: string;

/** Sum of a metric's samples whose labels match `labels` (all labels when empty). */
async function total(name: string, labels: Record<string, string> = {}): Promise<number> {
  const metric = registry.getSingleMetric(name);
  if (!metric) throw new Error(`no metric ${name}`);
  const { values } = await metric.get();
  return values
    .filter((v) => Object.entries(labels).every(([k, want]) => String((v.labels as Record<string, unknown>)[k]) === want))
    .reduce((a, v) => a + v.value, 0);
}

beforeAll(async () => {
  database = await createTestDatabase();
  root = tempDir();
  worker = await startTestWorker(database, { batchSize: 50 });
  const config = loadConfig({ ARCHIVE_HOME: root, ARCHIVE_DATA_ROOT: root }, root);
  served = await serveApp(database, config);
  base = served.base;
});

afterAll(async () => {
  await served?.close();
  await worker?.stop();
  await database?.close();
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

describe('metrics as counts', () => {
  it('an ingest of N files adds N to files_processed_total and its statements to db_queries_total{origin="ingest"}', async () => {
    const shape = { spectra: 120, cubes: 2, images: 20, catalogues: 3, blobs: 15, sources: 9 };
    const { files } = generateRelease(path.join(root, 'dr1'), shape);
    expect(files).toBe(160);
    const filesBefore = await total('astroarchive_files_processed_total');
    const ingestedBefore = await total('astroarchive_files_processed_total', { status: 'INGESTED' });
    const spectraBefore = await total('astroarchive_files_processed_total', { kind: 'SPECTRUM' });
    const ingestQueriesBefore = await total('astroarchive_db_queries_total', { origin: 'ingest' });
    const stageCountBefore = await total('astroarchive_ingest_stage_seconds', {});

    const run = await submitIngest(database, root, { survey: 'MET', release: 'DR1', path: 'dr1' });
    const done = await waitForRun(database, run.id);
    expect(done.status).toBe('SUCCEEDED');

    expect((await total('astroarchive_files_processed_total')) - filesBefore).toBe(160);
    expect((await total('astroarchive_files_processed_total', { status: 'INGESTED' })) - ingestedBefore).toBe(160);
    expect((await total('astroarchive_files_processed_total', { kind: 'SPECTRUM' })) - spectraBefore).toBe(120);
    // Every statement the run's scan and batch jobs send is counted in the run (each job's last
    // statement adds itself, +1) and labelled ingest; the queue's own statements are "other".
    expect(done.queries).toBeGreaterThan(0);
    expect((await total('astroarchive_db_queries_total', { origin: 'ingest' })) - ingestQueriesBefore).toBe(done.queries);
    expect(stageCountBefore).toBeGreaterThanOrEqual(0);
  });

  it('extensions.sqlQueries of a traced request equals what db_queries_total{origin="graphql"} rose by', async () => {
    const query = `query Traced { surveys { name releases { name fileCount runs { id status stages { name seconds } } } } }`;
    for (let i = 0; i < 2; i++) {
      const before = await total('astroarchive_db_queries_total', { origin: 'graphql' });
      const res = await fetch(`${base}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-astroarchive-trace': '1' },
        body: JSON.stringify({ query }),
      });
      const body = (await res.json()) as { data: unknown; extensions: { sqlQueries: number; durationMs: number } };
      const after = await total('astroarchive_db_queries_total', { origin: 'graphql' });
      expect(Number.isInteger(body.extensions.sqlQueries)).toBe(true);
      expect(body.extensions.sqlQueries).toBeGreaterThan(0);
      expect(after - before).toBe(body.extensions.sqlQueries);
      expect(body.extensions.durationMs).toBeGreaterThanOrEqual(0);
    }
  });

  it('histograms have buckets for millisecond values', async () => {
    const text = await (await fetch(`${base}/metrics`)).text();
    for (const name of ['astroarchive_ingest_stage_seconds', 'astroarchive_graphql_request_duration_seconds']) {
      const les = [...text.matchAll(new RegExp(`^${name}_bucket\\{[^}]*le="([^"]+)"`, 'gm'))].map((m) => Number(m[1]));
      expect(les.length, name).toBeGreaterThan(0);
      const finite = [...new Set(les.filter(Number.isFinite))].sort((a, b) => a - b);
      expect(finite[0], name).toBeLessThanOrEqual(0.001); // sub-millisecond resolution at the bottom
      expect(finite.filter((b) => b >= 0.001 && b <= 0.1).length, name).toBeGreaterThanOrEqual(4); // several between 1 and 100 ms
      expect(finite[finite.length - 1], name).toBeGreaterThanOrEqual(5);
    }
    // The stage histogram saw every stage of the ingest above.
    expect(text).toMatch(/astroarchive_ingest_stage_seconds_count\{stage="checksum"\} [1-9]/);
  });
});
