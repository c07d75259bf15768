/**
 * `astroarchive tokens` as a user runs it (a child process against a served API): create
 * prints only the secret on stdout, list shows it without the secret, revoke makes it a 401.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../../src/auth/tokens.js';
import { loadConfig } from '../../src/config.js';
import type { Database } from '../../src/db/client.js';
import { runCli } from '../helpers/cli-process.js';
import { createTestDatabase } from '../helpers/db.js';
import { serveApp, type ServedApp } from '../helpers/http-app.js';
import { tempDir } from '../helpers/ingest.js';

let database: Database;
let served: ServedApp;
let root: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  database = await createTestDatabase();
  root = tempDir();
  served = await serveApp(database, loadConfig({ ARCHIVE_HOME: root, ARCHIVE_DATA_ROOT: root }, root));
  env = { ARCHIVE_TOKEN: (await createToken(database, 'cli admin', 'admin')).token, ARCHIVE_HOME: root, LOG_LEVEL: 'warn' };
});

afterAll(async () => {
  await served?.close();
  await database?.close();
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

const viewerWith = async (token: string) =>
  fetch(`${served.base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: '{ viewer { tokenName } }' }),
  });

describe('astroarchive tokens', () => {
  it('creates (secret alone on stdout), lists and revokes', async () => {
    const url = `${served.base}/graphql`;
    const made = await runCli(['tokens', 'create', 'ci bot', '--role', 'ingest', '--expires-in-days', '7', '--url', url], env);
    expect(made.code, made.stderr).toBe(0);
    const secret = made.stdout.trim();
    expect(secret).toMatch(/^aa_[A-Za-z0-9_-]{43}$/);
    expect(made.stderr).toMatch(/token (\d+) "ci bot" \(ingest\) valid until \d{4}-/);
    const id = /token (\d+)/.exec(made.stderr)![1];
    expect((await viewerWith(secret)).status).toBe(200);

    const listed = await runCli(['tokens', '--url', url], env);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(new RegExp(`^${id}\\s+ci bot\\s+ingest\\s+\\d{4}-\\d\\d-\\d\\d\\s+.*until \\d{4}-`, 'm'));
    expect(listed.stdout).not.toContain(secret);
    const json = await runCli(['tokens', 'list', '--json', '--url', url], env);
    expect(JSON.parse(json.stdout).find((t: { id: string }) => t.id === id)).toMatchObject({ name: 'ci bot', role: 'ingest', revokedAt: null });

    const revoked = await runCli(['tokens', 'revoke', id, '--url', url], env);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(revoked.stdout).toMatch(new RegExp(`token ${id} "ci bot" revoked at \\d{4}-`));
    expect((await viewerWith(secret)).status).toBe(401);
    expect((await runCli(['tokens', '--url', url], env)).stdout).toMatch(new RegExp(`^${id}\\s+ci bot.*revoked \\d{4}-`, 'm'));
  }, 90_000);

  it('refuses bad usage and non-admin tokens', async () => {
    const url = `${served.base}/graphql`;
    expect((await runCli(['tokens', 'create', 'x', '--role', 'root', '--url', url], env)).code).toBe(2);
    const ingest = (await createToken(database, 'cli ingest', 'ingest')).token;
    const r = await runCli(['tokens', '--url', url], { ...env, ARCHIVE_TOKEN: ingest });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('FORBIDDEN');
  }, 60_000);
});
