/**
 * Tokens over real HTTP: an admin mints (optionally expiring), lists and revokes tokens; a
 * revoked or expired token is a 401 that says so; the list never carries a secret or hash;
 * and a regenerated bootstrap token (admin-token file deleted, or ARCHIVE_ADMIN_TOKEN
 * changed) retires the previous one.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureAdminToken } from '../../src/auth/admin-token.js';
import { createToken, hashToken } from '../../src/auth/tokens.js';
import { servedArchive } from './served-archive.js';

const archive = servedArchive('lifecycle admin');

interface Answer {
  status: number;
  data: any;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
}

async function gql(token: string | null, query: string, variables: Record<string, unknown> = {}): Promise<Answer> {
  const res = await fetch(`${archive.served.base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: unknown; errors?: Answer['errors'] };
  return { status: res.status, data: body.data, errors: body.errors };
}

const VIEWER = '{ viewer { tokenName role } }';
const TOKENS = '{ tokens { id name role createdAt expiresAt revokedAt lastUsedAt } }';
const CREATE = `mutation($n: String!, $r: TokenRole!, $d: Int) { createToken(name: $n, role: $r, expiresInDays: $d) { id name role token expiresAt } }`;
const REVOKE = `mutation($id: ID!) { revokeToken(id: $id) { id name revokedAt } }`;

describe('createToken, tokens, revokeToken', () => {
  it('mints an expiring token, lists it without its secret, and revokes it: 401 from then on', async () => {
    const made = await gql(archive.admin, CREATE, { n: 'nightly pipeline', r: 'ingest', d: 30 });
    expect(made.errors).toBeUndefined();
    const t = made.data.createToken;
    const days = (Date.parse(t.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThan(30.1);
    expect((await gql(t.token, VIEWER)).data.viewer).toEqual({ tokenName: 'nightly pipeline', role: 'ingest' });

    const listed = await gql(archive.admin, TOKENS);
    expect(listed.errors).toBeUndefined();
    const row = listed.data.tokens.find((x: { id: string }) => x.id === t.id);
    expect(row).toMatchObject({ name: 'nightly pipeline', role: 'ingest', expiresAt: t.expiresAt, revokedAt: null });
    expect(row.lastUsedAt).not.toBeNull();
    const text = JSON.stringify(listed.data);
    expect(text).not.toContain(t.token);
    expect(text).not.toContain(hashToken(t.token));
    // Newest first.
    expect(listed.data.tokens[0].id).toBe(t.id);

    const revoked = await gql(archive.admin, REVOKE, { id: t.id });
    expect(revoked.errors).toBeUndefined();
    expect(Date.parse(revoked.data.revokeToken.revokedAt)).toBeGreaterThan(Date.now() - 60_000);
    const refused = await gql(t.token, VIEWER);
    expect(refused.status).toBe(401);
    expect(refused.errors![0].extensions?.code).toBe('UNAUTHENTICATED');
    expect(refused.errors![0].message).toMatch(/this bearer token was revoked at \d{4}-\d\d-\d\dT.*: ask an admin for a new one/);

    // Revoking twice keeps the first time; an unknown id is NOT_FOUND.
    const again = await gql(archive.admin, REVOKE, { id: t.id });
    expect(again.data.revokeToken.revokedAt).toBe(revoked.data.revokeToken.revokedAt);
    expect((await gql(archive.admin, REVOKE, { id: '999999' })).errors![0].extensions?.code).toBe('NOT_FOUND');
  });

  it('refuses an expired token with a 401 that says when it expired', async () => {
    const t = (await gql(archive.admin, CREATE, { n: 'short lived', r: 'ingest', d: 1 })).data.createToken;
    expect((await gql(t.token, VIEWER)).status).toBe(200);
    await archive.database.pool.query(`UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE id = $1`, [t.id]);
    const r = await gql(t.token, VIEWER);
    expect(r.status).toBe(401);
    expect(r.errors![0].message).toMatch(/this bearer token expired at \d{4}-.*: ask an admin for a new one/);
  });

  it('is admin only, and checks expiresInDays and names', async () => {
    const ingest = (await createToken(archive.database, 'lifecycle ingest', 'ingest')).token;
    expect((await gql(ingest, TOKENS)).errors![0].extensions?.code).toBe('FORBIDDEN');
    expect((await gql(null, TOKENS)).errors![0].extensions?.code).toBe('UNAUTHENTICATED');
    expect((await gql(ingest, REVOKE, { id: '1' })).errors![0].extensions?.code).toBe('FORBIDDEN');
    for (const d of [0, -1, 3651]) expect((await gql(archive.admin, CREATE, { n: 'x', r: 'ingest', d })).errors![0].extensions?.code, String(d)).toBe('BAD_USER_INPUT');
    expect((await gql(archive.admin, CREATE, { n: 'Bootstrap Admin', r: 'admin' })).errors![0].extensions?.code).toBe('BAD_USER_INPUT');
    const forever = (await gql(archive.admin, CREATE, { n: 'forever', r: 'ingest' })).data.createToken;
    expect(forever.expiresAt).toBeNull();
  });
});

describe('retiring the bootstrap token', () => {
  it('revokes the old admin-token when the file is deleted and regenerated, and never revives a revoked one', async () => {
    const home = path.join(archive.root, 'home-file');
    const first = await ensureAdminToken(archive.database, { home });
    const old = fs.readFileSync(first.file!, 'utf8').trim();
    expect((await gql(old, VIEWER)).data.viewer.role).toBe('admin');

    fs.rmSync(first.file!);
    const second = await ensureAdminToken(archive.database, { home });
    expect(second.created).toBe(true);
    const fresh = fs.readFileSync(second.file!, 'utf8').trim();
    expect(fresh).not.toBe(old);
    const refused = await gql(old, VIEWER);
    expect(refused.status).toBe(401);
    expect(refused.errors![0].message).toContain('revoked');
    expect((await gql(fresh, VIEWER)).data.viewer.role).toBe('admin');

    // An admin revokes the file's token: a restart reusing the file keeps it revoked, and says so.
    const id = (await gql(archive.admin, TOKENS)).data.tokens.find((x: { name: string; revokedAt: string | null }) => x.name === 'bootstrap admin' && !x.revokedAt).id;
    await gql(archive.admin, REVOKE, { id });
    const third = await ensureAdminToken(archive.database, { home });
    expect(third).toMatchObject({ created: false, revoked: true });
    expect((await gql(fresh, VIEWER)).status).toBe(401);
  });

  it('revokes the previous ARCHIVE_ADMIN_TOKEN when it changes', async () => {
    const home = path.join(archive.root, 'home-env');
    await ensureAdminToken(archive.database, { home, adminToken: 'aa_env_token_one' });
    expect((await gql('aa_env_token_one', VIEWER)).data.viewer.role).toBe('admin');
    await ensureAdminToken(archive.database, { home, adminToken: 'aa_env_token_two' });
    expect((await gql('aa_env_token_one', VIEWER)).status).toBe(401);
    expect((await gql('aa_env_token_two', VIEWER)).data.viewer.role).toBe('admin');
    // The same value again (a restart) keeps it working; tokens minted by admins are untouched.
    await ensureAdminToken(archive.database, { home, adminToken: 'aa_env_token_two' });
    expect((await gql('aa_env_token_two', VIEWER)).status).toBe(200);
    expect((await gql(archive.admin, VIEWER)).status).toBe(200);
  });
});
