/**
 * The real `astroarchive` command as a user meets it, without a running archive: how fast it
 * starts, what it says for a mistyped option, a missing token or a port in use, and that its
 * help names no internal document.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, runCli } from '../helpers/cli-process.js';
import { tempDir } from '../helpers/ingest.js';
import { builtFile, CLI_OUTPUT, ROOT } from '../../src/threads/prebuilt.mjs';

let home: string;
let env: NodeJS.ProcessEnv;

beforeAll(() => {
  home = tempDir('astroarchive-cli-home-');
  // No database, no token, nothing listening on PORT 9 (discard): the CLI alone.
  env = { ARCHIVE_HOME: home, DATABASE_URL: '', ARCHIVE_TOKEN: '', ARCHIVE_ADMIN_TOKEN: '', PORT: '9', HOST: '127.0.0.1', LOG_LEVEL: 'info' };
});

afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

const lines = (s: string) => s.split('\n').filter((l) => l.trim() !== '');

describe('astroarchive on the command line', () => {
  it('names an unknown option in one line and exits 2', async () => {
    const r = await runCli(['ingest', 'rel', '--survey', 'S', '--release', 'R', '--bogus'], env);
    expect(r.code).toBe(2);
    expect(lines(r.stderr), r.stderr).toHaveLength(1);
    expect(r.stderr).toContain('unknown option --bogus');
    const start = await runCli(['start', '--concurency', '2'], env);
    expect(start.code).toBe(2);
    expect(lines(start.stderr), start.stderr).toHaveLength(1);
    expect(start.stderr).toContain('--concurency');
  });

  it('without a token, says where one comes from: ARCHIVE_TOKEN or the admin token file', async () => {
    const r = await runCli(['ingest', 'rel', '--survey', 'S', '--release', 'R'], env);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('ARCHIVE_TOKEN');
    expect(r.stderr).toContain(path.join(home, 'admin-token'));
  });

  it('help names no internal document', async () => {
    for (const args of [['--help'], ...['start', 'serve', 'worker', 'migrate', 'ingest', 'top', 'profile', 'bench'].map((c) => [c, '--help'])]) {
      const r = await runCli(args, env);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
      expect(r.stdout.length).toBeGreaterThan(0);
      expect(r.stdout, args.join(' ')).not.toMatch(/\bissue \d|CONTRACT/i);
    }
    expect(fs.readFileSync(path.join(ROOT, 'schema.graphql'), 'utf8')).not.toMatch(/\bissue \d|CONTRACT/i);
  }, 300_000); // nine commands, each compiled by tsx when the sources are newer than dist/

  it('a port in use: one clear line, exit 3, and the database was never started', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const r = await runCli(['start'], { ...env, PORT: String(port) }, 120_000);
      expect(r.code, r.stderr).toBe(3);
      expect(lines(r.stderr), r.stderr).toEqual([`astroarchive start: port ${port} on 127.0.0.1 is in use: set PORT to another port (or stop what listens there)`]);
      expect(fs.existsSync(path.join(home, 'pgdata')), 'embedded PostgreSQL was initialised').toBe(false);
    } finally {
      blocker.close();
    }
  });

  it('starts from the built JavaScript in well under 0.5 s of CPU', async () => {
    // CPU time, not wall time: the machine is shared. Built again if a source changed meanwhile.
    const hook = `data:text/javascript,process.on('exit',()=>process.stderr.write('cpu-ms '+JSON.stringify(process.cpuUsage())+'\\n'))`;
    let cpuMs: number | undefined;
    for (let attempt = 0; attempt < 5 && cpuMs === undefined; attempt++) {
      const build = spawnSync(process.execPath, ['-e', "await (await import('./scripts/build-app.mjs')).buildApp()", '--input-type=module'], { cwd: ROOT, encoding: 'utf8' });
      expect(build.status, build.stderr).toBe(0);
      if (!builtFile(CLI_OUTPUT)) continue;
      const r = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, ['--import', hook, BIN, '--help'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d) => (stdout += d));
        child.stderr.on('data', (d) => (stderr += d));
        child.on('close', (code) => resolve({ code, stdout, stderr }));
      });
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('Usage: astroarchive');
      // Still fresh after the run: it ran the build, not the sources.
      if (!builtFile(CLI_OUTPUT)) continue;
      const usage = JSON.parse(/cpu-ms (\{.*\})/.exec(r.stderr)![1]) as { user: number; system: number };
      cpuMs = (usage.user + usage.system) / 1000;
    }
    expect(cpuMs, 'the sources kept changing: no run from a fresh build').toBeDefined();
    expect(cpuMs!).toBeLessThan(400);
  }, 120_000);
});
