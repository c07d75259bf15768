/**
 * Worker-thread bundles are never taken from a folder another user could write: not from the
 * shared, predictable `$TMPDIR/astroarchive-threads-<uid>` the bundles were once written to
 * (anyone could create it first and plant a bundle under the name the next build would use,
 * and that file ran with the archive's rights, as root if the archive ran as root), and not
 * from a dist/ file another user could have replaced.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { buildSync } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startThread, threadBundle } from '../../src/threads/spawn.js';
import { threadBuildOptions, trusted } from '../../src/threads/prebuilt.mjs';

const ENTRY = new URL('./fixtures/echo-thread.ts', import.meta.url);
const uid = process.getuid!();
let tmp: string;
let savedTmpdir: string | undefined;

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'aa-thread-attack-'));
  fs.chmodSync(tmp, 0o755);
  savedTmpdir = process.env.TMPDIR;
  process.env.TMPDIR = tmp; // os.tmpdir() reads it on every call
});

afterAll(() => {
  if (savedTmpdir === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = savedTmpdir;
  fs.rmSync(tmp, { recursive: true, force: true });
});

/**
 * The folder and file names a build in the shared folder would use (content-hash names), with
 * a bundle planted under each that leaves a marker file when it runs.
 */
function plantBundle(sharedDir: string, marker: string): void {
  fs.mkdirSync(sharedDir, { recursive: true });
  const code = buildSync({ ...threadBuildOptions(fileURLToPath(ENTRY), path.join(sharedDir, 'bundle.mjs')), write: false }).outputFiles[0].text;
  const name = `echo-thread-${crypto.createHash('sha256').update(code).digest('hex').slice(0, 16)}`;
  const evil = `import fs from 'node:fs';\nimport { parentPort } from 'node:worker_threads';\nfs.writeFileSync(${JSON.stringify(marker)}, 'ran');\nparentPort.postMessage('planted');\n`;
  for (const file of [`${name}.mjs`, `${name}.bundle.mjs`]) fs.writeFileSync(path.join(sharedDir, file), evil);
}

function firstMessage(worker: Worker): Promise<unknown> {
  return new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
}

/** A thread started from the entry answers itself, and the planted bundle never ran. */
async function expectOwnBundleRuns(marker: string): Promise<void> {
  const worker = startThread(ENTRY);
  try {
    expect(await firstMessage(worker)).toBe('genuine');
  } finally {
    await worker.terminate();
  }
  expect(fs.existsSync(marker)).toBe(false);
}

describe('worker-thread bundles', () => {
  it.runIf(uid === 0)('never run a bundle planted in a shared temp folder owned by another user', async () => {
    const shared = path.join(tmp, `astroarchive-threads-${uid}`);
    const marker = path.join(tmp, 'attacker-owned-ran');
    plantBundle(shared, marker);
    for (const f of [shared, ...fs.readdirSync(shared).map((n) => path.join(shared, n))]) fs.chownSync(f, 65534, 65534);

    await expectOwnBundleRuns(marker);
  });

  it('never run a bundle planted in a world-writable shared temp folder', async () => {
    const shared = path.join(tmp, `astroarchive-threads-${uid}`);
    fs.rmSync(shared, { recursive: true, force: true });
    const marker = path.join(tmp, 'world-writable-ran');
    plantBundle(shared, marker);
    fs.chmodSync(shared, 0o777);

    await expectOwnBundleRuns(marker);
  });

  it('build at run time into a folder of their own: owned by this user, mode 0700', () => {
    const bundle = fileURLToPath(threadBundle(ENTRY));
    const dir = fs.lstatSync(path.dirname(bundle));
    expect(path.dirname(bundle)).not.toBe(path.join(tmp, `astroarchive-threads-${uid}`));
    expect(dir.isDirectory()).toBe(true);
    expect(dir.uid).toBe(uid);
    expect(dir.mode & 0o777).toBe(0o700);
  });

  it('trust a built file only when this user or root wrote it and not everyone can', () => {
    const file = path.join(tmp, 'built.mjs');
    fs.writeFileSync(file, '');
    fs.chmodSync(file, 0o644);
    expect(trusted(file)).toBe(true);
    fs.chmodSync(file, 0o666);
    expect(trusted(file)).toBe(false);
    if (uid === 0) {
      fs.chmodSync(file, 0o644);
      fs.chownSync(file, 65534, 65534);
      expect(trusted(file)).toBe(false);
    }
    expect(trusted(path.join(tmp, 'missing.mjs'))).toBe(false);
  });
});
