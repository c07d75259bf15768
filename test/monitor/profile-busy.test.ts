/**
 * Profiles of busy processes. A target whose event loop is mostly blocked (as under a heavy
 * ingest) still answers captureProfile: in time, or, if it is still writing the profile when
 * the wait ends, with the profile's id and the URL where it will appear, never a failure.
 * The pending answer is pinned with a stand-in target that claims the request and stores it
 * only later, through GraphQL and through `astroarchive profile` (which then waits on the URL).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../../src/auth/tokens.js';
import { loadConfig } from '../../src/config.js';
import type { Database } from '../../src/db/client.js';
import { setProfileBaseUrl } from '../../src/monitor/profile-requests.js';
import { answerWithinSeconds } from '../../src/monitor/profile-timing.js';
import { ADMIN, codes, createHarness } from '../graphql/harness.js';
import { BIN } from '../helpers/cli-process.js';
import { createTestDatabase } from '../helpers/db.js';
import { serveApp, type ServedApp } from '../helpers/http-app.js';
import { tempDir } from '../helpers/ingest.js';
import { killAllWorkers, spawnWorker, waitFor } from '../helpers/processes.js';

const HOOK = path.join(import.meta.dirname, 'busy-loop-hook.mjs');

let database: Database;
let root: string;
let gql: ReturnType<typeof createHarness>;
let served: ServedApp;
let adminToken: string;

beforeAll(async () => {
  database = await createTestDatabase();
  root = tempDir();
  const config = loadConfig({ ARCHIVE_HOME: root, ARCHIVE_DATA_ROOT: root }, root);
  gql = createHarness(database, config);
  served = await serveApp(database, config);
  setProfileBaseUrl(served.base);
  adminToken = (await createToken(database, 'busy admin', 'admin')).token;
});

afterAll(async () => {
  setProfileBaseUrl(null);
  await killAllWorkers();
  await served?.close();
  await database?.close();
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

const CAPTURE = `mutation($s: Int!, $t: String) { captureProfile(seconds: $s, target: $t) { id processId sampleCount url } }`;

/** GET a profile URL as admin until it is stored (200), or fail after `ms`. */
async function waitForStored(url: string, ms: number): Promise<Response> {
  return waitFor(
    async () => {
      const res = await fetch(url, { headers: { authorization: `Bearer ${adminToken}` } });
      if (res.status === 200) return res;
      expect(res.status, await res.text()).toBe(409);
      return undefined;
    },
    ms,
    250,
    `${url} to be stored`,
  );
}

describe('captureProfile of a busy process', () => {
  it('profiles a worker whose event loop is blocked 96% of the time (2.5 s of every 2.6 s): an answer, or where it will appear', async () => {
    const busy = path.join(root, 'busy-now');
    const worker = await spawnWorker({
      databaseUrl: database.url,
      nodeArgs: ['--import', HOOK],
      env: { AA_BUSY_FILE: busy, AA_BUSY_BLOCK_MS: '2500', AA_BUSY_GAP_MS: '100', ARCHIVE_HOME: path.join(root, 'home') },
    });
    const target = await waitFor(
      async () => (await database.pool.query<{ id: string }>(`SELECT id FROM processes WHERE pid = $1`, [worker.pid])).rows[0]?.id,
      20_000,
      100,
      'the worker to register',
    );
    fs.writeFileSync(busy, '');
    const t0 = Date.now();
    const r = await gql.exec(CAPTURE, { s: 2, t: target }, ADMIN);
    const took = (Date.now() - t0) / 1000;
    fs.rmSync(busy);
    if (r.errors) {
      // Still being written when the wait ended: the answer says where it will be.
      expect(codes(r), `${r.errors[0].message} after ${took} s`).toEqual(['PROFILE_PENDING']);
      const { profileId, url } = r.errors[0].extensions as { profileId: string; url: string };
      expect(url).toBe(`${served.base}/profiles/${profileId}.cpuprofile`);
      expect(r.errors[0].message).toContain(`will appear at ${url}`);
      const res = await waitForStored(url, 60_000);
      expect(((await res.json()) as { samples: number[] }).samples.length).toBeGreaterThan(0);
    } else {
      const p = r.data.captureProfile;
      expect(p.processId).toBe(target);
      expect(p.sampleCount).toBeGreaterThan(0);
    }
    // The old wait (seconds + 3 s) is shorter than this process needed.
    expect(took, worker.stderr()).toBeGreaterThan(2 + 3);
    await worker.stop();
  }, 120_000);
});

/**
 * A live process (heartbeating) that claims its profile requests and stores them only when
 * `store` is called: a process too busy to finish within the wait, on demand.
 */
async function slowTarget(id: string) {
  await database.pool.query(`INSERT INTO processes (id, role, host, pid) VALUES ($1, 'worker', 'elsewhere', 4)`, [id]);
  const tick = async () => {
    await database.pool.query(`UPDATE processes SET last_seen_at = now() WHERE id = $1`, [id]);
    await database.pool.query(`UPDATE profiles SET status = 'running' WHERE process_id = $1 AND status = 'requested'`, [id]);
  };
  const timer = setInterval(() => void tick().catch(() => {}), 500);
  return {
    stop: () => clearInterval(timer),
    async store(): Promise<number> {
      const profile = { nodes: [{ id: 1, callFrame: { functionName: '(root)', url: '', lineNumber: -1, columnNumber: -1 }, children: [] }], startTime: 0, endTime: 1000, samples: [1], timeDeltas: [1000] };
      const { rows } = await database.pool.query<{ id: number }>(
        `UPDATE profiles SET status = 'done', data = $2, sample_count = 1, top_functions = '[]', completed_at = now()
         WHERE process_id = $1 AND status = 'running' RETURNING id`,
        [id, JSON.stringify(profile)],
      );
      return rows[0].id;
    },
  };
}

describe('a profile still being written when the wait ends', () => {
  it('answers PROFILE_PENDING naming the profile and its URL; the URL serves it once stored', async () => {
    const target = await slowTarget('slow:4:aaaaaa');
    try {
      const t0 = Date.now();
      const r = await gql.exec(CAPTURE, { s: 1, t: 'slow:4:aaaaaa' }, ADMIN);
      expect((Date.now() - t0) / 1000).toBeGreaterThanOrEqual(answerWithinSeconds(1));
      expect(codes(r)).toEqual(['PROFILE_PENDING']);
      const { profileId, url } = r.errors![0].extensions as { profileId: string; url: string };
      expect(url).toBe(`${served.base}/profiles/${profileId}.cpuprofile`);
      expect(r.errors![0].message).toBe(
        `process slow:4:aaaaaa is still writing profile ${profileId} after 11 s (it is busy): it will appear at ${url} (HTTP 409 until then); Query.profile(id: "${profileId}") reads it`,
      );
      // Not marked failed: the process stores it when it gets there.
      expect((await fetch(url, { headers: { authorization: `Bearer ${adminToken}` } })).status).toBe(409);
      expect(await target.store()).toBe(Number(profileId));
      expect((await waitForStored(url, 10_000)).status).toBe(200);
    } finally {
      target.stop();
    }
  }, 60_000);

  it('`astroarchive profile` says where it will appear, waits for it and saves it', async () => {
    const target = await slowTarget('slow:5:bbbbbb');
    const out = path.join(root, 'late.cpuprofile');
    const child = spawn(
      process.execPath,
      [BIN, 'profile', '--seconds', '1', '--target', 'slow:5:bbbbbb', '--out', out, '--url', `${served.base}/graphql`],
      { env: { ...process.env, ARCHIVE_TOKEN: adminToken, ARCHIVE_HOME: root, LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
    try {
      const line = await waitFor(
        async () => /profile (\d+) is still being written: will appear at (\S+)/.exec(stderr) ?? undefined,
        45_000,
        100,
        'the CLI to report the pending profile',
      );
      expect(line[2]).toBe(`${served.base}/profiles/${line[1]}.cpuprofile`);
      await target.store();
      expect(await exited, stderr).toBe(0);
      expect(stdout).toContain(`profile ${line[1]}: CPU of slow:5:bbbbbb`);
      expect(JSON.parse(fs.readFileSync(out, 'utf8')).samples).toEqual([1]);
    } finally {
      target.stop();
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 90_000);
});
