/**
 * captureProfile end to end: the request row, NOTIFY, the target's listener sampling itself
 * with node:inspector, topFunctions, the HTTP downloads; across
 * processes (a spawned `astroarchive worker` doing a real ingest); and prompt errors for
 * targets that are unknown, not live, or never answer.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../../src/auth/tokens.js';
import { generateRelease } from '../../src/bench/generate.js';
import { loadConfig } from '../../src/config.js';
import type { Database } from '../../src/db/client.js';
import { createLogger } from '../../src/log.js';
import { ActivityBoard } from '../../src/monitor/activity.js';
import { registerProcess, type RegisteredProcess } from '../../src/monitor/processes.js';
import { startProfileListener, type ProfileListener } from '../../src/monitor/profile-listener.js';
import { setProfileBaseUrl } from '../../src/monitor/profile-requests.js';
import { ADMIN, codes, createHarness } from '../graphql/harness.js';
import { createTestDatabase } from '../helpers/db.js';
import { tempDir, waitForRun } from '../helpers/ingest.js';
import { serveApp, type ServedApp } from '../helpers/http-app.js';

let database: Database;
let registered: RegisteredProcess;
let listener: ProfileListener;
let root: string;
let gql: ReturnType<typeof createHarness>;
let served: ServedApp;
let base: string;
let adminToken: string;
let ingestToken: string;

beforeAll(async () => {
  database = await createTestDatabase();
  root = tempDir();
  const config = loadConfig({ ARCHIVE_HOME: root, ARCHIVE_DATA_ROOT: root }, root);
  gql = createHarness(database, config);
  registered = await registerProcess(database.pool, { role: 'api', activity: new ActivityBoard() });
  listener = startProfileListener({ databaseUrl: database.url, pool: database.pool, processId: registered.id, logger: createLogger('silent') });
  await listener.ready;
  served = await serveApp(database, config);
  base = served.base;
  setProfileBaseUrl(base);
  adminToken = (await createToken(database, 'profile admin', 'admin')).token;
  ingestToken = (await createToken(database, 'profile ingest', 'ingest')).token;
});

afterAll(async () => {
  setProfileBaseUrl(null);
  await served?.close();
  await listener?.stop();
  await registered?.stop();
  await database?.close();
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

const CAPTURE = `mutation($s: Int!, $t: String, $k: ProfileKind) {
  captureProfile(seconds: $s, target: $t, kind: $k) { id processId kind seconds sampleCount url topFunctions { name file line selfPercent totalPercent } } }`;

/** A function only this test runs, busy enough to dominate the main thread's samples. */
function burnCpuForProfileTestQz(ms: number): number {
  const end = performance.now() + ms;
  let x = 0;
  while (performance.now() < end) for (let i = 0; i < 10_000; i++) x += Math.sqrt(i + x);
  return x;
}

interface Fn {
  name: string;
  file: string | null;
  line: number | null;
  selfPercent: number;
  totalPercent: number | null;
}

describe('captureProfile in this process', () => {
  it('samples the API process itself (default target) and names the busy function', async () => {
    let busy = true;
    const spin = (async () => {
      while (busy) {
        burnCpuForProfileTestQz(40);
        await new Promise((res) => setTimeout(res, 5)); // leave room for the capture's own I/O
      }
    })();
    const r = await gql.exec(CAPTURE, { s: 2 }, ADMIN);
    busy = false;
    await spin;
    expect(r.errors).toBeUndefined();
    const p = r.data.captureProfile;
    expect(p.processId).toBe(registered.id);
    expect(p.kind).toBe('CPU');
    expect(p.sampleCount).toBeGreaterThan(100);
    expect(p.url).toBe(`${base}/profiles/${p.id}.cpuprofile`);
    // Most busy samples are in this file's code: in burnCpuForProfileTestQz, or in the loop
    // above when V8 inlines it there (an inlined function's samples carry its caller's frame).
    const fns = p.topFunctions as Fn[];
    const here = fns.filter((f) => f.file === 'test/monitor/profile.test.ts');
    expect(here.reduce((a, f) => a + f.selfPercent, 0), JSON.stringify(fns.slice(0, 8))).toBeGreaterThan(20);
    for (const f of [...here, ...fns]) expect(f.totalPercent!).toBeGreaterThanOrEqual(f.selfPercent);

    // Query.profile reads it back.
    const again = await gql.exec(`query($id: ID!) { profile(id: $id) { id sampleCount topFunctions { name } } }`, { id: p.id }, ADMIN);
    expect(again.data.profile.sampleCount).toBe(p.sampleCount);

    // The download: a .cpuprofile (nodes, samples, timeDeltas), admin only.
    const res = await fetch(p.url, { headers: { authorization: `Bearer ${adminToken}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="astroarchive-${p.id}.cpuprofile"`);
    const json = (await res.json()) as { nodes: Array<{ callFrame: { functionName: string } }>; samples: number[]; timeDeltas: number[] };
    expect(json.samples.length).toBe(p.sampleCount);
    expect(json.timeDeltas.length).toBe(json.samples.length);
    expect((await fetch(p.url)).status).toBe(401);
    expect((await fetch(p.url, { headers: { authorization: `Bearer ${ingestToken}` } })).status).toBe(403);
    expect((await fetch(`${base}/profiles/${p.id}.heapprofile`, { headers: { authorization: `Bearer ${adminToken}` } })).status).toBe(404);

    // The page of the same path is the web pages' shell (503 when they are not built): it reads
    // the profile through the API with the signed-in token and carries none of it itself.
    // (test/web/profile.test.ts opens it in a browser.)
    const page = await fetch(`${base}/profiles/${p.id}`);
    expect([200, 503]).toContain(page.status);
    expect(await page.text()).not.toContain('profile.test.ts');
  });

  it('captures a HEAP profile too', async () => {
    const keep: unknown[] = [];
    const timer = setInterval(() => keep.push(new Array(20_000).fill({ allocatedForHeapTestQz: true })), 20);
    const r = await gql.exec(CAPTURE, { s: 1, k: 'HEAP' }, ADMIN);
    clearInterval(timer);
    expect(r.errors).toBeUndefined();
    const p = r.data.captureProfile;
    expect(p.kind).toBe('HEAP');
    expect(p.url).toMatch(/\.heapprofile$/);
    expect(p.topFunctions.length).toBeGreaterThan(0);
    const res = await fetch(p.url, { headers: { authorization: `Bearer ${adminToken}` } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { head: unknown }).head).toBeDefined();
    expect(keep.length).toBeGreaterThan(0);
  });
});

describe('captureProfile errors', () => {
  it('refuses seconds out of 1..300', async () => {
    for (const s of [0, 301, -5]) expect(codes(await gql.exec(CAPTURE, { s }, ADMIN)), String(s)).toEqual(['BAD_USER_INPUT']);
  });

  it('refuses an unknown target at once', async () => {
    const t0 = Date.now();
    const r = await gql.exec(CAPTURE, { s: 2, t: 'nohost:1:ffffff' }, ADMIN);
    expect(Date.now() - t0).toBeLessThan(2000 + 5000);
    expect(codes(r)).toEqual(['NOT_FOUND']);
    expect(r.errors![0].message).toContain('no process "nohost:1:ffffff"');
  });

  it('refuses a process whose heartbeats stopped', async () => {
    await database.pool.query(
      // 15 s: past the liveness window (6 s) but short of the 30 s after which any process's
      // sweep deletes the row (at 40 s a sweep racing this test turned it into "no process").
      `INSERT INTO processes (id, role, host, pid, last_seen_at) VALUES ('stale:2:abcdef', 'worker', 'elsewhere', 2, now() - interval '15 seconds')`,
    );
    const r = await gql.exec(CAPTURE, { s: 2, t: 'stale:2:abcdef' }, ADMIN);
    expect(codes(r)).toEqual(['NOT_FOUND']);
    expect(r.errors![0].message).toMatch(/stale:2:abcdef is not live \(last heartbeat \d+ s ago\)/);
  });

  it('gives up on a live process that never picks the request up within seconds + max(10 s, seconds)', async () => {
    // Heartbeating (so live) but running no profile listener: an old version, or wedged.
    await database.pool.query(`INSERT INTO processes (id, role, host, pid) VALUES ('mute:3:abcdef', 'worker', 'elsewhere', 3)`);
    // Keep it live past the 11 s wait (liveness while waiting: a heartbeat within 20 s).
    const beat = setInterval(() => void database.pool.query(`UPDATE processes SET last_seen_at = now() WHERE id = 'mute:3:abcdef'`), 2000);
    const t0 = Date.now();
    const r = await gql.exec(CAPTURE, { s: 1, t: 'mute:3:abcdef' }, ADMIN);
    clearInterval(beat);
    expect(Date.now() - t0).toBeLessThan(11_000 + 5000);
    expect(codes(r)).toEqual(['PROFILE_FAILED']);
    expect(r.errors![0].message).toMatch(/mute:3:abcdef did not pick up profile \d+ within 11 s/);
    const { rows } = await database.pool.query(`SELECT status, error FROM profiles WHERE process_id = 'mute:3:abcdef'`);
    expect(rows).toEqual([{ status: 'failed', error: expect.stringContaining('did not pick up') }]);
  });
});

describe('captureProfile across processes', () => {
  let child: ChildProcess | undefined;
  let childErr = '';

  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child!.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
  });

  it('profiles a separate `astroarchive worker` while it ingests, analysis threads included', async () => {
    const rel = path.join(root, 'big');
    generateRelease(rel, { spectra: 6000, cubes: 0, images: 200, catalogues: 0, blobs: 0, sources: 100 });
    child = spawn(process.execPath, ['bin/astroarchive.js', 'worker'], {
      cwd: path.resolve(import.meta.dirname, '../..'),
      env: { ...process.env, DATABASE_URL: database.url, LOG_LEVEL: 'warn', ARCHIVE_HOME: path.join(root, 'home') },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child.stderr!.on('data', (d) => (childErr += d));
    const pid = child.pid!;

    // Its row appears once it has migrated and registered.
    let workerId: string | undefined;
    for (const deadline = Date.now() + 40_000; !workerId && Date.now() < deadline; ) {
      const r = await gql.exec('{ processes { id role pid } }', {}, ADMIN);
      workerId = r.data.processes.find((p: { pid: number; role: string }) => p.pid === pid && p.role === 'worker')?.id;
      if (!workerId) await new Promise((res) => setTimeout(res, 200));
    }
    expect(workerId, childErr).toBeDefined();

    // The capture starts first and the ingest once the worker has taken the request: its
    // analysis threads (started with the worker, kept) are then sampled from their start. The
    // other way round, a fast machine analysed all 6,200 files before the sampling began.
    const capturing = gql.exec(CAPTURE, { s: 4, t: workerId }, ADMIN);
    for (const deadline = Date.now() + 30_000; Date.now() < deadline; ) {
      const { rows } = await database.pool.query(`SELECT status FROM profiles WHERE process_id = $1 ORDER BY id DESC LIMIT 1`, [workerId]);
      if (rows[0] && rows[0].status !== 'requested') break;
      await new Promise((res) => setTimeout(res, 20));
    }
    const sub = await gql.exec(`mutation { ingestRelease(input: { survey: "PROF", release: "DR1", path: "big" }) { id } }`, {}, ADMIN);
    expect(sub.errors).toBeUndefined();
    const runId = Number(sub.data.ingestRelease.id);
    const r = await capturing;
    expect(r.errors, childErr).toBeUndefined();
    const p = r.data.captureProfile;
    expect(p.processId).toBe(workerId);
    const fns = p.topFunctions as Fn[];
    // Analysis runs on worker threads: their frames are in the profile.
    const ours = fns.filter((f) => f.file?.startsWith('src/fits/') || f.file?.startsWith('src/ingest/'));
    expect(ours.length, JSON.stringify(fns.slice(0, 10))).toBeGreaterThan(0);
    // src/fits/ code runs only on the analysis threads, never on the main thread.
    const fits = fns.filter((f) => f.file?.startsWith('src/fits/'));
    expect(fits.length, JSON.stringify(fns.slice(0, 10))).toBeGreaterThan(0);
    // Lines are the .ts source's (tsx compiles each module to one line: mapped back).
    expect(fits.some((f) => (f.line ?? 0) > 1), JSON.stringify(fits)).toBe(true);

    const res = await fetch(p.url, { headers: { authorization: `Bearer ${adminToken}` } });
    const json = (await res.json()) as { nodes: Array<{ callFrame: { functionName: string } }> };
    const roots = json.nodes.map((n) => n.callFrame.functionName).filter((n) => /^\((main thread|thread \d+)\)$/.test(n));
    expect(roots[0]).toBe('(main thread)');
    expect(roots.length).toBeGreaterThan(1);

    const done = await waitForRun(database, runId, 120_000);
    expect(done.processed_files).toBe(6200);
  }, 180_000);
});
