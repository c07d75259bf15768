/**
 * `astroarchive start` on its own embedded PostgreSQL, stopped with Ctrl-C as a terminal sends
 * it: SIGINT to the whole foreground process group, the database server's processes included.
 * Start-up says only what a user needs; the stop is quiet and exits 0.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, runCli } from '../helpers/cli-process.js';
import { tempDir } from '../helpers/ingest.js';
import { generateRelease } from '../../src/bench/generate.js';

let home: string;
let dataRoot: string;
let child: ChildProcess;
let stderr = '';
let exited: Promise<number | string>;
let env: NodeJS.ProcessEnv;

async function waitFor(what: string, ok: () => boolean, timeoutMs: number): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; !ok(); ) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  home = tempDir('astroarchive-start-home-');
  dataRoot = tempDir();
  generateRelease(path.join(dataRoot, 'rel'), { spectra: 6, cubes: 0, images: 2, catalogues: 0, blobs: 4, sources: 3 });
  env = { ...process.env, DATABASE_URL: '', ARCHIVE_HOME: home, ARCHIVE_DATA_ROOT: dataRoot, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ARCHIVE_TOKEN: '', ARCHIVE_ADMIN_TOKEN: '' };
  // Its own process group, as a shell gives a foreground job: the test can then signal the group.
  child = spawn(process.execPath, [BIN, 'start'], { env, stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (d: string) => (stderr += d));
  exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  await waitFor('start-up', () => stderr.includes('Press Ctrl-C to stop') || child.exitCode !== null, 180_000);
  expect(child.exitCode, stderr).toBeNull();
}, 200_000);

afterAll(async () => {
  if (child && child.exitCode === null && child.signalCode === null) {
    process.kill(-child.pid!, 'SIGKILL');
    await exited;
  }
  // The postmaster has a process group of its own: after a failed run it is still there.
  const pidFile = home && path.join(home, 'pgdata', 'postmaster.pid');
  if (pidFile && fs.existsSync(pidFile)) {
    const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
    try {
      process.kill(pid, 'SIGINT');
    } catch {
      /* already gone */
    }
  }
  for (const d of [home, dataRoot]) if (d) fs.rmSync(d, { recursive: true, force: true });
});

describe('astroarchive start, then Ctrl-C', () => {
  it('prints no line that reads like an error at start-up', () => {
    expect(stderr).not.toMatch(/cron is disabled|crontab/i);
    const warnings = stderr.split('\n').filter((l) => /"level":(4|5|6)\d/.test(l) || /\bwarn(ing)?\b|\berror\b/i.test(l));
    expect(warnings).toEqual([]);
  });

  it('a refused token: the message says which token the CLI sent', async () => {
    const port = /GraphQL:\s+http:\/\/127\.0\.0\.1:(\d+)\//.exec(stderr)![1];
    const r = await runCli(['ingest', 'rel', '--survey', 'S', '--release', 'R'], { ...env, PORT: port, ARCHIVE_TOKEN: 'not-a-token' });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('UNAUTHENTICATED');
    expect(r.stderr).toContain('ARCHIVE_TOKEN');
  });

  it('--json gives the number of files missing from disk', async () => {
    const port = /GraphQL:\s+http:\/\/127\.0\.0\.1:(\d+)\//.exec(stderr)![1];
    const ingest = () => runCli(['ingest', 'rel', '--survey', 'S', '--release', 'R', '--wait', '--json', '--poll-ms', '100'], { ...env, PORT: port }, 120_000);
    const first = await ingest();
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ status: 'SUCCEEDED', totalFiles: 12, missingFiles: 0 });
    const blob = fs.readdirSync(path.join(dataRoot, 'rel'), { recursive: true, withFileTypes: true }).find((e) => e.isFile() && !e.name.endsWith('.fits'))!;
    fs.rmSync(path.join(blob.parentPath, blob.name));
    const again = await ingest();
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ missingFiles: 1, skippedFiles: 11 });
  }, 240_000);

  it('stops on SIGINT to its process group: exit 0, no warnings', async () => {
    const before = stderr.length;
    process.kill(-child.pid!, 'SIGINT');
    const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('still running after 60 s'), 60_000))]);
    const after = stderr.slice(before);
    expect(code, after).toBe(0);
    const lines = after.split('\n').filter((l) => l.trim() !== '');
    expect(lines, after).toEqual(['received SIGINT: finishing running jobs and shutting down...']);
  }, 90_000);
});
