/**
 * The FITS fixtures that once broke the analysis, through a real ingest (worker threads,
 * write statements) and read back through the GraphQL API: outcome, issues, and an HDU's
 * naxis (NAXISn as written) beside its imageShape.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { submitIngest } from '../../src/ingest/submit.js';
import type { RunningWorker } from '../../src/worker/runner.js';
import { createTestDatabase } from '../helpers/db.js';
import { startTestWorker, tempDir, waitForRun } from '../helpers/ingest.js';
import { ADMIN, createHarness } from '../graphql/harness.js';
import { FIXTURE_DIR } from './fixtures.js';

const FILES = ['compressed_image', 'compressed_float_bzero', 'theap-gap', 'truncated_declared_data', 'valid_cube', 'random_groups', 'valid_catalogue'];

let database: Database;
let worker: RunningWorker;
let root: string;

beforeAll(async () => {
  database = await createTestDatabase();
  worker = await startTestWorker(database, { batchSize: 10 });
  root = tempDir();
  fs.mkdirSync(path.join(root, 'dr1'));
  for (const name of FILES) fs.copyFileSync(path.join(FIXTURE_DIR, `${name}.fits`), path.join(root, 'dr1', `${name}.fits`));
});

afterAll(async () => {
  await worker?.stop();
  await database?.close();
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

describe('FITS results through ingest and the API', () => {
  it('every file is analysed (none FAILED); naxis is NAXISn as written and imageShape the image', async () => {
    const run = await submitIngest(database, root, { survey: 'FITS', release: 'R1', path: 'dr1' });
    const done = await waitForRun(database, run.id);
    expect(done.status).toBe('SUCCEEDED');
    expect(done.failed_files).toBe(0);

    const h = createHarness(database);
    const r = await h.exec(
      `query($id: ID!) { release(id: $id) { files(first: 20) { edges { node { path status kind
          issues { severity code hdu } hdus { index type naxis imageShape } } } } } }`,
      { id: String(run.releaseId) },
      ADMIN,
    );
    expect(r.errors).toBeUndefined();
    const files = Object.fromEntries(r.data.release.files.edges.map((e: any) => [e.node.path.replace(/\.fits$/, ''), e.node]));
    expect(Object.keys(files).sort()).toEqual([...FILES].sort());

    expect(files.compressed_image).toMatchObject({ status: 'INGESTED', kind: 'IMAGE', issues: [] });
    expect(files.compressed_image.hdus).toEqual([
      { index: 0, type: 'PRIMARY', naxis: [], imageShape: null },
      { index: 1, type: 'BINTABLE', naxis: [8, 40], imageShape: [30, 40] },
    ]);
    expect(files.compressed_float_bzero).toMatchObject({ status: 'INGESTED', kind: 'SPECTRUM', issues: [] });
    expect(files.compressed_float_bzero.hdus[1]).toEqual({ index: 1, type: 'BINTABLE', naxis: [8, 1], imageShape: [3] });
    expect(files['theap-gap']).toMatchObject({ status: 'INGESTED', kind: 'CATALOGUE', issues: [] });
    expect(files['theap-gap'].hdus[1]).toEqual({ index: 1, type: 'BINTABLE', naxis: [12, 500], imageShape: null });
    expect(files.truncated_declared_data).toMatchObject({
      status: 'INVALID',
      issues: [{ severity: 'ERROR', code: 'FITS_TRUNCATED_DATA', hdu: 0 }],
      hdus: [{ index: 0, type: 'PRIMARY', naxis: [100000, 100000, 100000], imageShape: [100000, 100000, 100000] }],
    });
    expect(files.valid_cube.hdus).toEqual([{ index: 0, type: 'PRIMARY', naxis: [8, 8, 12], imageShape: [8, 8, 12] }]);
    // Random groups and tables hold no image.
    expect(files.random_groups.hdus).toEqual([{ index: 0, type: 'PRIMARY', naxis: [0, 4, 3, 1], imageShape: null }]);
    expect(files.valid_catalogue.hdus.map((x: any) => x.imageShape)).toEqual([null, null, null]);
  });
});
