/**
 * A published release never changes: `publishRelease` raced against `retryFailed` and against
 * `ingestRelease` on the same release, many times (the mutations' own functions), with a
 * real worker process picking up whatever the winner queued. Never both win at the same time
 * (an ingest that ends before the delayed publication checks the release is a sequence, not a race),
 * and where the publication won, no file of the release changes afterwards (status, attempts,
 * checksum, HDUs, issues, record: compared to a snapshot taken before the race).
 *
 * The FAILED files are real: the worker runs with EIO injected at open (./fault-hook.mjs) for
 * one file per release until it gives up; the "disk" then recovers, so a retry that runs
 * would ingest them. Before the fix, retryFailed checked the release without locking it and
 * both won in most tries: a FAILED file became INGESTED after the publication.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { generateRelease } from '../../src/bench/generate.js';
import { spectrumFits } from '../../src/bench/products.js';
import { publishRelease } from '../../src/graphql/publish.js';
import { retryFailed } from '../../src/ingest/retry.js';
import { submitIngest } from '../../src/ingest/submit.js';
import { createTestDatabase } from '../helpers/db.js';
import { tempDir, waitForRun } from '../helpers/ingest.js';
import { killAllWorkers, spawnWorker, type WorkerProcess } from '../helpers/processes.js';
import { ingestSettled, releaseSnapshot } from './release-snapshot.js';

const HOOK = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fault-hook.mjs');
const RACES = 10;

let database: Database;
let root: string;
let faults: string;
let worker: WorkerProcess;

beforeAll(async () => {
  database = await createTestDatabase();
  root = fs.realpathSync(tempDir());
  faults = tempDir('astroarchive-faults-');
  for (let i = 0; i < RACES; i++) {
    for (const kind of ['retry', 'ingest']) {
      const dir = path.join(root, `${kind}${i}`);
      generateRelease(dir, { spectra: 6, cubes: 0, images: 0, catalogues: 0, blobs: 4, sources: 2 });
      if (kind === 'retry') {
        fs.writeFileSync(path.join(dir, `dead_${i}.fits`), spectrumFits({ object: `DEAD ${i}`, ra: i, dec: -i, seed: 100 + i }));
        fs.writeFileSync(path.join(faults, `dead_${i}.fits`), 'always');
      }
    }
  }
  worker = await spawnWorker({ databaseUrl: database.url, nodeArgs: ['--import', HOOK], env: { AA_FAULTS_DIR: faults, AA_FAULTS_WATCH: root } });
});

afterAll(async () => {
  await worker?.stop().catch(() => {});
  await killAllWorkers();
  await database?.close();
  for (const d of [root, faults]) if (d) fs.rmSync(d, { recursive: true, force: true });
});

/** What a mutation answered: [] when it succeeded, else the error's code and message. */
async function outcome(p: Promise<unknown>): Promise<string[]> {
  return p.then(
    () => [],
    (err: { code?: string; message: string }) => [err.code ?? 'INTERNAL', err.message],
  );
}

describe('publishRelease races', () => {
  it('against retryFailed: never both win, and a published release does not change afterwards', async () => {
    const runs = await Promise.all(
      Array.from({ length: RACES }, (_, i) => submitIngest(database, root, { survey: 'RACE', release: `R${i}`, path: `retry${i}` })),
    );
    for (const run of runs) {
      const done = await waitForRun(database, run.id, 120_000);
      expect(done.status).toBe('PARTIAL');
      expect(done.failed_files).toBe(1);
    }
    for (let i = 0; i < RACES; i++) fs.rmSync(path.join(faults, `dead_${i}.fits`)); // the disk recovered

    const outcomes: Array<{ retry: string[]; publish: string[] }> = [];
    const before = new Map<number, unknown[]>();
    for (const run of runs) {
      before.set(run.releaseId, await releaseSnapshot(database, run.releaseId));
      const [retry, publish] = await Promise.all([outcome(retryFailed(database, run.id)), outcome(publishRelease(database, run.releaseId))]);
      outcomes.push({ retry, publish });
      if (retry.length) expect(retry).toEqual(['BAD_USER_INPUT', `run ${run.id} belongs to a published release, which is immutable`]);
      if (publish.length) expect(publish[0]).toBe('CONFLICT');
      if (publish.length) expect(publish[1]).toMatch(/still (QUEUED|RUNNING); wait until it finishes/);
    }
    await ingestSettled(database);

    // Exactly one of each pair won: both winning is the defect, neither would be a new one.
    const bothWon = outcomes.filter((o) => !o.retry.length && !o.publish.length).length;
    expect(bothWon, JSON.stringify(outcomes)).toBe(0);
    for (const o of outcomes) expect([o.retry, o.publish].filter((c) => c.length === 0), JSON.stringify(o)).toHaveLength(1);
    for (const [i, run] of runs.entries()) {
      if (outcomes[i].publish.length) {
        // The retry won: its run read the FAILED file again (whatever it then made of it).
        expect(await releaseSnapshot(database, run.releaseId)).not.toEqual(before.get(run.releaseId));
        continue;
      }
      expect(await releaseSnapshot(database, run.releaseId), `release R${i} changed after its publication`).toEqual(before.get(run.releaseId));
    }
  }, 240_000);

  it('against ingestRelease: never both win, and a published release does not change afterwards', async () => {
    const runs = await Promise.all(
      Array.from({ length: RACES }, (_, i) => submitIngest(database, root, { survey: 'RACE', release: `I${i}`, path: `ingest${i}` })),
    );
    for (const run of runs) expect((await waitForRun(database, run.id, 120_000)).status).toBe('SUCCEEDED');
    // A re-ingest has work to do: every file of the release changed on disk.
    for (let i = 0; i < RACES; i++) {
      const dir = path.join(root, `ingest${i}`);
      const later = new Date(Date.now() + 60_000);
      for (const f of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) if (f.isFile()) fs.utimesSync(path.join(f.parentPath, f.name), later, later);
    }

    const outcomes: Array<{ ingest: string[]; publish: string[] }> = [];
    const before = new Map<number, unknown[]>();
    for (const [i, run] of runs.entries()) {
      before.set(run.releaseId, await releaseSnapshot(database, run.releaseId));
      const input = { survey: 'RACE', release: `I${i}`, path: `ingest${i}` };
      // ingestRelease first checks the directory (file system) before it touches the database,
      // so an unshifted publication always wins: the publication starts 0-27 ms later instead,
      // so that some races land on each side of the ingest's transaction.
      const publishing = new Promise<void>((r) => setTimeout(r, 3 * i)).then(() => publishRelease(database, run.releaseId));
      const [ingest, publish] = await Promise.all([outcome(submitIngest(database, root, input)), outcome(publishing)]);
      outcomes.push({ ingest, publish });
      if (ingest.length) expect(ingest[0]).toBe('BAD_USER_INPUT');
      if (ingest.length) expect(ingest[1]).toMatch(/is published and immutable/);
      if (publish.length) expect(publish[0]).toBe('CONFLICT');
    }
    await ingestSettled(database);

    for (const [i, run] of runs.entries()) {
      const o = outcomes[i];
      expect(o.ingest.length && o.publish.length, `both lost: ${JSON.stringify(o)}`).toBeFalsy();
      if (o.publish.length) continue; // the ingest won and ran: the release is a draft
      if (!o.ingest.length) {
        // Both succeeded: legitimate only one after the other, when the worker finished the
        // re-ingest before the delayed publication checked the release. Nothing of the run
        // may be later than the publication.
        const { rows } = await database.pool.query(
          `SELECT rel.published_at IS NOT NULL AS published,
                  (SELECT bool_and(r.finished_at IS NOT NULL AND r.finished_at <= rel.published_at) FROM ingestion_runs r WHERE r.release_id = rel.id) AS runs_before,
                  (SELECT coalesce(bool_and(f.processed_at IS NULL OR f.processed_at <= rel.published_at), true) FROM files f WHERE f.release_id = rel.id) AS files_before
           FROM releases rel WHERE rel.id = $1`,
          [run.releaseId],
        );
        expect(rows[0], `release I${i}: both won, so the ingest must have ended before the publication`).toEqual({ published: true, runs_before: true, files_before: true });
        continue;
      }
      expect(await releaseSnapshot(database, run.releaseId), `release I${i} changed after its publication`).toEqual(before.get(run.releaseId));
    }
  }, 240_000);
});
