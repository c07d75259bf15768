/**
 * `astroarchive download` as a user runs it (the real CLI in a child process) against the
 * real HTTP app: a file and a release are written and verified; a checksum that does not
 * match exits 4 and keeps nothing unverified; a draft without a token is refused (exit 3).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli-process.js';
import { tempDir } from '../helpers/ingest.js';
import { downloadFixture, NAMES, sha256, type DownloadFixture } from '../http/download-fixture.js';

let f: DownloadFixture;
let out: string;
let env: NodeJS.ProcessEnv;
beforeAll(async () => {
  f = await downloadFixture();
  out = tempDir('aa-dl-');
  // An empty home: the token comes from ARCHIVE_TOKEN only.
  env = { ARCHIVE_HOME: tempDir('aa-cli-home-'), ARCHIVE_TOKEN: f.token, LOG_LEVEL: 'warn' };
}, 180_000);
afterAll(async () => {
  await f?.close();
  fs.rmSync(out, { recursive: true, force: true });
});

describe('astroarchive download', () => {
  it('takes the GraphQL URL as --url too, as ingest does', async () => {
    const id = f.pub.get(NAMES.huge)!;
    const dir = fs.mkdtempSync(path.join(out, 'gql-'));
    const r = await runCli(['download', String(id), '--out', dir, '--url', `${f.base}/graphql`], env);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'huge.bin')).equals(fs.readFileSync(path.join(f.root, 'pub', NAMES.huge)))).toBe(true);
  });

  it('downloads a file into --out under its own name and verifies it against the ETag', async () => {
    const id = f.pub.get(NAMES.huge)!;
    const r = await runCli(['download', String(id), '--out', out, '--url', f.base], env);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const written = fs.readFileSync(path.join(out, 'huge.bin'));
    expect(written.equals(fs.readFileSync(path.join(f.root, 'pub', NAMES.huge)))).toBe(true);
    expect(r.stdout).toBe(`${path.join(out, 'huge.bin')}  sha256 ${sha256(written)}  OK\n`);
    expect(fs.existsSync(path.join(out, 'huge.bin.part'))).toBe(false);
  });

  it('downloads a release (one kind) as files under <survey>_<release>/, verified against SHA256SUMS', async () => {
    // --kind in any case, as a user types it.
    const r = await runCli(['download', '--release', String(f.pubReleaseId), '--kind', 'spectrum', '--out', out, '--url', f.base], env);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${path.join(out, 'GAMA_DR1')}: 4 files, 4 verified against SHA256SUMS\n`);
    for (const rel of [...f.pub.keys()].filter((p) => p.startsWith('spectra/'))) {
      expect(fs.readFileSync(path.join(out, 'GAMA_DR1', rel)).equals(fs.readFileSync(path.join(f.root, 'pub', rel))), rel).toBe(true);
    }
  });

  it('exits 4 on a checksum mismatch (file: nothing kept; release: the file named)', async () => {
    const id = f.pub.get(NAMES.big)!;
    const { rows } = await f.database.pool.query(`SELECT checksum FROM files WHERE id = $1`, [id]);
    await f.database.pool.query(`UPDATE files SET checksum = $2 WHERE id = $1`, [id, '0'.repeat(64)]);
    try {
      const dir = tempDir('aa-dl-bad-');
      const one = await runCli(['download', String(id), '--out', dir, '--url', f.base], env);
      expect(one.code).toBe(4);
      expect(one.stderr).toMatch(/big\.bin: checksum mismatch: the archive says 0{64}/);
      expect(fs.readdirSync(dir)).toEqual([]);
      const all = await runCli(['download', '--release', String(f.pubReleaseId), '--out', dir, '--url', f.base], env);
      expect(all.code).toBe(4);
      expect(all.stderr).toContain('astroarchive download: big.bin: checksum mismatch');
      expect(all.stdout).toMatch(/, 1 failed\n$/);
      fs.rmSync(dir, { recursive: true, force: true });
    } finally {
      await f.database.pool.query(`UPDATE files SET checksum = $2 WHERE id = $1`, [id, rows[0].checksum]);
    }
  }, 120_000);

  it('is refused a draft without a token (exit 3, and says why); bad usage exits 2', async () => {
    const r = await runCli(['download', String(f.draft.get(NAMES.big)), '--out', out, '--url', f.base], { ...env, ARCHIVE_TOKEN: '' });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('no such file (a draft release needs a token: set ARCHIVE_TOKEN)');
    const usage = await runCli(['download', '--kind', 'SPECTRUM', '1'], env);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--kind needs --release');
    // A release's name where its id belongs: the error says where the id is found.
    const byName = await runCli(['download', '--release', 'DR1', '--url', f.base], env);
    expect(byName.code).toBe(2);
    expect(byName.stderr).toContain('--release must be a positive integer id (the N of its page /releases/N, releaseId in `ingest --json`');
  });
});
