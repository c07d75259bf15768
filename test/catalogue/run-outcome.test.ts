/**
 * A catalogue load's outcome on its file and its run: a rejected table makes the file INVALID
 * (counted so on the run, its record out of searches), a load given up after its last attempt
 * makes it FAILED and the run PARTIAL, and a run ends only when its tables are loaded (what
 * `ingest --wait` follows).
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
import { copyFixture, ingestAndLoad } from './fixture.js';
import { refuseIssues } from '../helpers/refuse-issues.js';

let database: Database;
let worker: RunningWorker;
let root: string;

beforeAll(async () => {
  database = await createTestDatabase();
  worker = await startTestWorker(database);
  root = tempDir();
}, 120_000);

afterAll(async () => {
  await worker?.stop();
  await database?.close();
  fs.rmSync(root, { recursive: true, force: true });
});

function release(dir: string, files: Record<string, string>, fixtures: string[] = []): void {
  fs.mkdirSync(path.join(root, dir));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(root, dir, name), text);
  for (const f of fixtures) copyFixture(f, path.join(root, dir));
}

async function fileState(dir: string, name: string) {
  const { rows } = await database.pool.query(
    `SELECT f.status, rec.invalid, (SELECT json_agg(json_build_object('code', i.code, 'severity', i.severity, 'hdu', i.hdu, 'keyword', i.keyword, 'message', i.message))
                                    FROM validation_issues i WHERE i.file_id = f.id AND i.code LIKE 'CATALOGUE\\_%') AS issues
     FROM files f JOIN ingestion_runs run ON run.id = f.run_id LEFT JOIN records rec ON rec.file_id = f.id
     WHERE f.path = $1 AND run.path LIKE '%/' || $2`,
    [name, dir],
  );
  return rows[0];
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('a catalogue load\'s outcome is on its file and its run', () => {
  it('a table the load rejects makes the file INVALID, counted so on the run, its record out of searches', async () => {
    release('rejects', { 'overflow.csv': 'id,big\n1,5\n2,99999999999999999999\n', 'good.csv': 'a,b\n1,2\n' });
    const runId = await ingestAndLoad(database, root, 'rejects', 'Out', 'Rejects');
    const overflow = await fileState('rejects', 'overflow.csv');
    expect(overflow.status).toBe('INVALID');
    expect(overflow.invalid).toBe(true);
    expect(overflow.issues).toEqual([expect.objectContaining({ code: 'CATALOGUE_VALUE_OVERFLOW', severity: 'ERROR', keyword: 'big' })]);
    const good = await fileState('rejects', 'good.csv');
    expect(good.status).toBe('INGESTED');
    const run = await waitForRun(database, runId);
    expect(run).toMatchObject({ status: 'SUCCEEDED', total_files: 2, processed_files: 2, ingested_files: 1, invalid_files: 1, failed_files: 0 });
  }, 120_000);

  it('the run stays RUNNING until its tables are swapped in, then ends', async () => {
    release('waits', {}, ['sky.csv']);
    // Hold back every table's swap: the registry is locked against writes (reads still pass).
    const blocker = await database.pool.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE catalogue_tables IN SHARE MODE');
      const run = await submitIngest(database, root, { survey: 'Out', release: 'Waits', path: 'waits' });
      // The load is blocked at its swap, after the batch wrote the file.
      await until('the load to wait for the registry', async () => {
        const { rows } = await database.pool.query(
          `SELECT 1 FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE c.relname = 'catalogue_tables' AND NOT l.granted`,
        );
        return rows.length ? true : undefined;
      });
      const { rows } = await database.pool.query(`SELECT status, processed_files, total_files, catalogue_loads, catalogue_loads_done, finished_at FROM ingestion_runs WHERE id = $1`, [run.id]);
      expect(rows[0]).toMatchObject({ status: 'RUNNING', processed_files: 1, total_files: 1, catalogue_loads: 1, catalogue_loads_done: 0, finished_at: null });
      // What `ingest --wait` polls: still RUNNING, one table loading.
      const h = createHarness(database);
      const q = `query($id: ID!) { ingestionRun(id: $id) { status catalogueLoadsPending finishedAt } }`;
      const seen = await h.exec(q, { id: String(run.id) }, ADMIN);
      expect(seen.data?.ingestionRun).toEqual({ status: 'RUNNING', catalogueLoadsPending: 1, finishedAt: null });
      await blocker.query('COMMIT');
      const done = await waitForRun(database, run.id);
      expect(done.status).toBe('SUCCEEDED');
      expect((await h.exec(q, { id: String(run.id) }, ADMIN)).data?.ingestionRun).toMatchObject({ status: 'SUCCEEDED', catalogueLoadsPending: 0 });
      const { rows: t } = await database.pool.query(
        `SELECT t.loaded_at, r.finished_at, r.catalogue_loads_done FROM catalogue_tables t JOIN files f ON f.id = t.file_id JOIN ingestion_runs r ON r.id = $1 WHERE f.run_id = $1`,
        [run.id],
      );
      expect(t).toHaveLength(1);
      expect(t[0].catalogue_loads_done).toBe(1);
      expect(t[0].finished_at.getTime()).toBeGreaterThanOrEqual(t[0].loaded_at.getTime());
    } finally {
      await blocker.query('ROLLBACK').catch(() => undefined);
      blocker.release();
    }
  }, 120_000);

  it('a load that fails on every attempt (the database refuses the registry row) makes the file FAILED and the run PARTIAL', async () => {
    release('fails', { 'cat.csv': 'a,b\n1,2\n' });
    // Not a data problem (class 23, not 22/54): the job fails, is retried, and gives up.
    await database.pool.query(`ALTER TABLE catalogue_tables ADD CONSTRAINT test_refuses CHECK (false) NOT VALID`);
    try {
      // The job stays in the queue as permanently failed, so wait for the run, not the queue.
      const { id: runId } = await submitIngest(database, root, { survey: 'Out', release: 'Fails', path: 'fails' });
      const run = await waitForRun(database, runId, 100_000);
      expect(run).toMatchObject({ status: 'PARTIAL', ingested_files: 0, invalid_files: 0, failed_files: 1 });
      const cat = await fileState('fails', 'cat.csv');
      expect(cat.status).toBe('FAILED');
      expect(cat.issues).toEqual([expect.objectContaining({ code: 'CATALOGUE_NOT_LOADED', severity: 'ERROR' })]);
      expect(cat.issues[0].message).toMatch(/after 3 attempts.*test_refuses/);
    } finally {
      await database.pool.query(`ALTER TABLE catalogue_tables DROP CONSTRAINT test_refuses`);
    }
  }, 120_000);

  it('when recording the given-up load fails too, it is tried again until it goes through, and the run ends', async () => {
    release('unrecorded', { 'cat.csv': 'a,b\n1,2\n' });
    await database.pool.query(`ALTER TABLE catalogue_tables ADD CONSTRAINT test_refuses CHECK (false) NOT VALID`);
    // The give-up statement fails twice (its issue row refused, as a database failing at that moment would).
    const refused = await refuseIssues(database, 'CATALOGUE_NOT_LOADED', 2);
    try {
      const { id: runId } = await submitIngest(database, root, { survey: 'Out', release: 'Unrecorded', path: 'unrecorded' });
      const run = await waitForRun(database, runId, 100_000);
      expect(run).toMatchObject({ status: 'PARTIAL', ingested_files: 0, failed_files: 1 });
      expect(await refused.rowsSeen()).toBe(3);
      const cat = await fileState('unrecorded', 'cat.csv');
      expect(cat.status).toBe('FAILED');
      expect(cat.issues).toEqual([expect.objectContaining({ code: 'CATALOGUE_NOT_LOADED', severity: 'ERROR' })]);
    } finally {
      await refused.drop();
      await database.pool.query(`ALTER TABLE catalogue_tables DROP CONSTRAINT test_refuses`);
    }
  }, 120_000);
});
