/**
 * `astroarchive tokens` as a user runs it (a child process against a served API): create
 * prints only the secret on stdout, list shows it without the secret, revoke makes it a 401.
 */
import { describe, expect, it } from 'vitest';
import { createToken } from '../../src/auth/tokens.js';
import { runCli } from '../helpers/cli-process.js';
import { servedArchive } from './served-archive.js';

const archive = servedArchive('cli admin');
const env = (token = archive.admin): NodeJS.ProcessEnv => ({ ARCHIVE_TOKEN: token, ARCHIVE_HOME: archive.root, LOG_LEVEL: 'warn' });

const viewerWith = async (token: string) =>
  fetch(`${archive.served.base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: '{ viewer { tokenName } }' }),
  });

describe('astroarchive tokens', () => {
  it('creates (secret alone on stdout), lists and revokes', async () => {
    const url = `${archive.served.base}/graphql`;
    const made = await runCli(['tokens', 'create', 'ci bot', '--role', 'ingest', '--expires-in-days', '7', '--url', url], env());
    expect(made.code, made.stderr).toBe(0);
    const secret = made.stdout.trim();
    expect(secret).toMatch(/^aa_[A-Za-z0-9_-]{43}$/);
    expect(made.stderr).toMatch(/token (\d+) "ci bot" \(ingest\) valid until \d{4}-/);
    const id = /token (\d+)/.exec(made.stderr)![1];
    expect((await viewerWith(secret)).status).toBe(200);

    const listed = await runCli(['tokens', '--url', url], env());
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(new RegExp(`^${id}\\s+ci bot\\s+ingest\\s+\\d{4}-\\d\\d-\\d\\d\\s+.*until \\d{4}-`, 'm'));
    expect(listed.stdout).not.toContain(secret);
    const json = await runCli(['tokens', 'list', '--json', '--url', url], env());
    expect(JSON.parse(json.stdout).find((t: { id: string }) => t.id === id)).toMatchObject({ name: 'ci bot', role: 'ingest', revokedAt: null });

    const revoked = await runCli(['tokens', 'revoke', id, '--url', url], env());
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(revoked.stdout).toMatch(new RegExp(`token ${id} "ci bot" revoked at \\d{4}-`));
    expect((await viewerWith(secret)).status).toBe(401);
    expect((await runCli(['tokens', '--url', url], env())).stdout).toMatch(new RegExp(`^${id}\\s+ci bot.*revoked \\d{4}-`, 'm'));
  }, 90_000);

  it('refuses bad usage and non-admin tokens', async () => {
    const url = `${archive.served.base}/graphql`;
    expect((await runCli(['tokens', 'create', 'x', '--role', 'root', '--url', url], env())).code).toBe(2);
    const ingest = (await createToken(archive.database, 'cli ingest', 'ingest')).token;
    const r = await runCli(['tokens', '--url', url], env(ingest));
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('FORBIDDEN');
  }, 60_000);
});
