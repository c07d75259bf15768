/**
 * Count-based regression guard (statements, not seconds, so it is stable on any machine):
 * - an ingest's statements grow with its batches, not its files;
 * - one nested GraphQL query over real ingested data costs the same number of statements
 *   at page size 10 and 500 (through the HTTP app, `x-astroarchive-trace: 1`).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../../src/auth/tokens.js';
import type { Database } from '../../src/db/client.js';
import { generateRelease } from '../../src/bench/generate.js';
import { submitIngest } from '../../src/ingest/submit.js';
import type { RunningWorker } from '../../src/worker/runner.js';
import { createTestDatabase } from '../helpers/db.js';
import { startTestWorker, tempDir, waitForRun, type RunState } from '../helpers/ingest.js';
import { testConfig } from '../graphql/harness.js';
import { serveApp, type ServedApp } from '../helpers/http-app.js';

/** A batch costs 5 statements (run-batch.ts) and its scan chunk 1 (register-files.ts). */
const PER_BATCH = 6;
/** Small enough that the 2,000-file run has more batches than the 200-file one. */
const BATCH = 1000;

let database: Database;
let worker: RunningWorker;
let root: string;
const runs = new Map<number, { run: RunState; releaseId: number }>();

beforeAll(async () => {
  database = await createTestDatabase();
  worker = await startTestWorker(database, { batchSize: BATCH }); // 200 files: 1 batch, 2,000 files: 2
  root = tempDir();
  for (const n of [200, 2000]) {
    generateRelease(path.join(root, `r${n}`), { spectra: n, cubes: 0, images: 0, catalogues: 0, blobs: 0, sources: 25 });
    const submitted = await submitIngest(database, root, { survey: 'COUNT', release: `R${n}`, path: `r${n}` });
    runs.set(n, { run: await waitForRun(database, submitted.id), releaseId: submitted.releaseId });
  }
}, 120_000);

afterAll(async () => {
  await worker?.stop();
  await database?.close();
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

describe('statement counts', () => {
  it('ingest statements grow by batches, not files', () => {
    const small = runs.get(200)!.run;
    const large = runs.get(2000)!.run;
    expect(small.status).toBe('SUCCEEDED');
    expect(large.status).toBe('SUCCEEDED');
    const batches = (n: number) => Math.ceil(n / BATCH);
    const extraBatches = batches(2000) - batches(200);
    expect(Number(large.queries) - Number(small.queries), `statements: ${small.queries} at 200 files, ${large.queries} at 2000`).toBeLessThanOrEqual(
      extraBatches * PER_BATCH,
    );
    expect(Number(large.queries) / 2000).toBeLessThanOrEqual(0.01);
  });

  describe('nested GraphQL query over HTTP', () => {
    let served: ServedApp;
    let base: string;
    let token: string;
    beforeAll(async () => {
      served = await serveApp(database, testConfig());
      base = served.base;
      token = (await createToken(database, 'statement counts', 'admin')).token;
    });
    afterAll(async () => {
      await served?.close();
    });

    const NESTED = `query Nested($id: ID!, $first: Int!) {
      release(id: $id) { files(first: $first) { edges { node {
        path hdus { header { keyword value } } issues { code } record { source { name } } } } } }
    }`;

    it('costs the same number of statements at 10 and 500 files per page', async () => {
      const statements: number[] = [];
      for (const first of [10, 500]) {
        const res = await fetch(`${base}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-astroarchive-trace': '1' },
          body: JSON.stringify({ query: NESTED, variables: { id: String(runs.get(2000)!.releaseId), first } }),
        });
        const body = (await res.json()) as { data?: any; errors?: unknown; extensions?: { sqlQueries?: number } };
        expect(body.errors).toBeUndefined();
        const edges = body.data.release.files.edges;
        expect(edges).toHaveLength(first);
        expect(edges.every((e: any) => e.node.hdus.length === 2 && e.node.record.source.name.startsWith('SRC '))).toBe(true);
        expect(typeof body.extensions?.sqlQueries).toBe('number');
        statements.push(body.extensions!.sqlQueries!);
      }
      expect(statements[1]).toBe(statements[0]);
    });
  });
});
