/**
 * What the scan cannot archive is reported, never silently left out, and never stalls a run:
 * - a directory that cannot be read (EIO injected at its open by ./fault-hook.mjs in a real
 *   worker process) costs that directory only: an issue on the run, and the scan goes on;
 * - symlinks, a FIFO, a name that is not UTF-8 and a path too long to store are each listed on
 *   the run with a code (`skippedEntries`, `issues` in GraphQL), paths relative to the release;
 * - a release directory that cannot be read at all fails its run at once, with the reason and
 *   no server path (it used to be retried for minutes with the run RUNNING and no error);
 * - no message a reader of the release can see names a server path (FILE_UNREADABLE), and
 *   ingestRelease's path errors do not echo paths outside the data root.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { spectrumFits } from '../../src/bench/products.js';
import { submitIngest } from '../../src/ingest/submit.js';
import { createTestDatabase } from '../helpers/db.js';
import { startTestWorker, tempDir, waitForRun } from '../helpers/ingest.js';
import { killAllWorkers, spawnWorker, type WorkerProcess } from '../helpers/processes.js';
import { ADMIN, createHarness } from '../graphql/harness.js';

const HOOK = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fault-hook.mjs');
const LONG = 'd'.repeat(255);

let database: Database;
let root: string;
let faults: string;
let rel: string;
let worker: WorkerProcess | undefined;

beforeAll(async () => {
  database = await createTestDatabase();
  root = fs.realpathSync(tempDir());
  faults = tempDir('astroarchive-faults-');
  rel = path.join(root, 'dr1');
  fs.mkdirSync(path.join(rel, 'locked'), { recursive: true });
  fs.mkdirSync(path.join(rel, 'open'));
  for (let i = 0; i < 3; i++) fs.writeFileSync(path.join(rel, 'open', `s${i}.fits`), spectrumFits({ object: `S${i}`, ra: i, dec: i, seed: i }));
  fs.writeFileSync(path.join(rel, 'locked', 'hidden.fits'), spectrumFits({ object: 'HIDDEN', ra: 1, dec: 1 }));
  fs.writeFileSync(path.join(rel, 'dead.fits'), spectrumFits({ object: 'DEAD', ra: 2, dec: 2, seed: 9 }));
  fs.symlinkSync('/etc/passwd', path.join(rel, 'passwd'));
  execFileSync('mkfifo', [path.join(rel, 'pipe')]);
  fs.writeFileSync(Buffer.concat([Buffer.from(`${rel}/caf`), Buffer.from([0xe9]), Buffer.from('.fits')]), 'latin-1 name');
  // 9 nested 255-byte directory names: 2,303 bytes, more than a path the archive stores.
  const mkdeep = `import os\nos.chdir(${JSON.stringify(rel)})\nfor _ in range(9):\n    os.mkdir('${LONG}')\n    os.chdir('${LONG}')\nopen('deep.fits', 'w').write('deep')`;
  execFileSync('/usr/bin/python3', ['-c', mkdeep]);
  fs.writeFileSync(path.join(faults, 'locked'), 'always'); // the directory's open fails with EIO
  fs.writeFileSync(path.join(faults, 'dead.fits'), 'always');
});

afterAll(async () => {
  await worker?.stop().catch(() => {});
  await killAllWorkers();
  await database?.close();
  for (const d of [root, faults]) if (d) execFileSync('rm', ['-rf', d]);
});

describe('what the scan cannot archive', () => {
  it('is listed on the run with a reason; an unreadable directory costs only itself', async () => {
    worker = await spawnWorker({
      databaseUrl: database.url,
      nodeArgs: ['--import', HOOK],
      env: { AA_FAULTS_DIR: faults, AA_FAULTS_WATCH: rel },
    });
    const run = await submitIngest(database, root, { survey: 'SKIP', release: 'DR1', path: 'dr1' });
    const done = await waitForRun(database, run.id, 60_000);
    expect(done.status).toBe('PARTIAL');
    expect({ total: done.total_files, ingested: done.ingested_files, failed: done.failed_files }).toEqual({ total: 4, ingested: 3, failed: 1 });
    await worker.stop();
    worker = undefined;

    const gql = createHarness(database);
    const r = await gql.exec(`query($id: ID!) { ingestionRun(id: $id) { skippedEntries issues(first: 50) { path code message } } }`, { id: String(run.id) }, ADMIN);
    expect(r.errors).toBeUndefined();
    const { skippedEntries, issues } = r.data.ingestionRun;
    expect(skippedEntries).toBe(5);
    const byPath = Object.fromEntries(issues.map((i: { path: string; code: string; message: string }) => [i.path, `${i.code}: ${i.message}`]));
    expect(byPath).toEqual({
      locked: 'DIRECTORY_UNREADABLE: directory cannot be read (EIO: i/o error); its files are not archived',
      passwd: expect.stringMatching(/^SYMLINK_NOT_FOLLOWED: /),
      pipe: 'NOT_REGULAR_FILE: FIFO (named pipe), not a regular file',
      'caf\\xe9.fits': 'NAME_NOT_UTF8: file name is not valid UTF-8; rename it to archive it',
      [Array.from({ length: 9 }, () => LONG).join('/')]: expect.stringMatching(/^PATH_TOO_LONG: path is 2303 bytes/),
    });
    // A first page is a first page.
    const one = await gql.exec(`query($id: ID!) { ingestionRun(id: $id) { issues(first: 1) { path } } }`, { id: String(run.id) }, ADMIN);
    expect(one.data.ingestionRun.issues).toHaveLength(1);

    // The unreadable file's issue names no server path.
    const { rows } = await database.pool.query(`SELECT i.code, i.message FROM validation_issues i JOIN files f ON f.id = i.file_id WHERE f.path = 'dead.fits'`);
    expect(rows).toEqual([{ code: 'FILE_UNREADABLE', message: 'cannot read the file: EIO: i/o error (gave up after 3 attempts)' }]);
    expect(JSON.stringify(issues)).not.toContain(root);
  }, 90_000);

  it('a release directory that cannot be read fails its run at once, with the reason and no server path', async () => {
    const gone = path.join(root, 'gone');
    fs.mkdirSync(gone);
    const run = await submitIngest(database, root, { survey: 'SKIP', release: 'GONE', path: 'gone' });
    fs.rmdirSync(gone); // after the submission checked it, before the scan
    const local = await startTestWorker(database);
    try {
      // Retried, the scan job would take ~85 s of backoff to give up; at once is well under 20 s.
      const done = await waitForRun(database, run.id, 20_000);
      expect(done.status).toBe('FAILED');
      expect(done.error).toBe('the release directory cannot be read: ENOENT: no such file or directory');
    } finally {
      await local.stop();
    }
  }, 60_000);

  it('ingestRelease path errors do not echo server paths outside the data root', async () => {
    const outside = fs.realpathSync(tempDir('astroarchive-elsewhere-'));
    fs.symlinkSync(outside, path.join(root, 'link-out'));
    try {
      for (const p of [outside, '../../etc', 'nope/deeper', 'link-out']) {
        const err = await submitIngest(database, root, { survey: 'SKIP', release: 'BAD', path: p }).then(
          () => null,
          (e: Error & { code?: string }) => e,
        );
        expect(err?.code).toBe('BAD_USER_INPUT');
        expect(err!.message).toContain(`path ${p} `);
        // Only what the caller wrote: neither the data root nor anything it resolved to.
        const rest = err!.message.replace(`path ${p} `, '');
        expect(rest).not.toContain(root);
        expect(rest).not.toContain(outside);
        expect(rest).not.toMatch(/\/(etc|tmp)\b/);
      }
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });
});
