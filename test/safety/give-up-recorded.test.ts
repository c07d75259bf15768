/**
 * A batch given up after its last attempt is recorded even when recording it fails at first
 * (the database failing at that moment, often why the batch failed): the worker repeats the
 * give-up statement until it goes through, so the run ends instead of staying RUNNING.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { generateRelease } from '../../src/bench/generate.js';
import { submitIngest } from '../../src/ingest/submit.js';
import type { RunningWorker } from '../../src/worker/runner.js';
import { createTestDatabase } from '../helpers/db.js';
import { startTestWorker, tempDir, waitForRun } from '../helpers/ingest.js';
import { refuseIssues } from '../helpers/refuse-issues.js';

let database: Database;
let worker: RunningWorker;
let root: string;

beforeAll(async () => {
  database = await createTestDatabase();
  // One attempt: the first failure is the last, so the give-up path runs at once.
  worker = await startTestWorker(database, { maxJobAttempts: 1, batchSize: 20 });
  root = tempDir();
  generateRelease(path.join(root, 'dr1'), { spectra: 20, cubes: 0, images: 0, catalogues: 0, blobs: 0, sources: 3 });
}, 120_000);

afterAll(async () => {
  await worker?.stop();
  await database?.close();
  fs.rmSync(root, { recursive: true, force: true });
});

describe('recording a given-up batch', () => {
  it('is tried again until it goes through, and the run ends PARTIAL with the files FAILED', async () => {
    // Every attempt to write the batch's records fails; the give-up writes none, so it passes
    // this trigger, and its issue rows are refused twice.
    await database.pool.query(`
      CREATE FUNCTION test_refuse_records() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'test: records refused'; END $$;
      CREATE TRIGGER test_refuse_records BEFORE INSERT ON records FOR EACH ROW EXECUTE FUNCTION test_refuse_records();`);
    const refused = await refuseIssues(database, 'INGEST_JOB_FAILED', 2);
    try {
      const { id: runId } = await submitIngest(database, root, { survey: 'GIVEUP', release: 'DR1', path: 'dr1' });
      const run = await waitForRun(database, runId, 100_000);
      expect(run).toMatchObject({ status: 'PARTIAL', total_files: 20, processed_files: 20, ingested_files: 0, failed_files: 20 });
      // Two tries refused at their first row, the third wrote all 20 rows.
      expect(await refused.rowsSeen()).toBe(2 + 20);
      const { rows } = await database.pool.query(
        `SELECT count(*)::int AS n FROM files f JOIN validation_issues i ON i.file_id = f.id
         WHERE f.run_id = $1 AND f.status = 'FAILED' AND i.code = 'INGEST_JOB_FAILED' AND i.message LIKE '%records refused%'`,
        [runId],
      );
      expect(rows[0].n).toBe(20);
    } finally {
      await refused.drop();
      await database.pool.query(`DROP TRIGGER test_refuse_records ON records; DROP FUNCTION test_refuse_records()`);
    }
  }, 120_000);
});
