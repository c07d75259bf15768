import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureAdminToken } from '../../src/auth/admin-token.js';
import { authenticate, bearerToken } from '../../src/auth/bearer.js';
import { createToken, hashToken, lookupToken } from '../../src/auth/tokens.js';
import type { Database } from '../../src/db/client.js';
import { ArchiveError } from '../../src/errors.js';
import { withQueryScope } from '../../src/monitor/query-scope.js';
import { createTestDatabase } from '../helpers/db.js';

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

const codeOf = (p: Promise<unknown>) => p.then(() => 'resolved', (e) => (e instanceof ArchiveError ? e.code : String(e)));

describe('tokens', () => {
  it('mints aa_ tokens and stores only their SHA-256', async () => {
    const t = await createToken(database, 'pipeline', 'ingest');
    expect(t.token).toMatch(/^aa_[A-Za-z0-9_-]{43}$/);
    const { rows } = await database.pool.query(`SELECT * FROM api_tokens WHERE id = $1`, [t.id]);
    expect(rows[0].token_hash).toBe(hashToken(t.token));
    expect(rows[0].token_hash).toMatch(/^[0-9a-f]{64}$/);
    const all = JSON.stringify((await database.pool.query(`SELECT * FROM api_tokens`)).rows);
    expect(all).not.toContain(t.token);
    expect(all).not.toContain(t.token.slice(3));
  });

  it('authenticates in one statement and stamps last_used_at at most once a minute', async () => {
    const t = await createToken(database, 'reader', 'admin');
    const n = await withQueryScope('graphql', async (scope) => {
      const viewer = await authenticate(database, `Bearer ${t.token}`);
      expect(viewer).toEqual({ tokenId: t.id, tokenName: 'reader', role: 'admin' });
      return scope.queries;
    });
    expect(n).toBe(1);
    const first = (await database.pool.query(`SELECT last_used_at FROM api_tokens WHERE id = $1`, [t.id])).rows[0].last_used_at;
    expect(first).toBeInstanceOf(Date);
    await lookupToken(database, t.token);
    const second = (await database.pool.query(`SELECT last_used_at FROM api_tokens WHERE id = $1`, [t.id])).rows[0].last_used_at;
    expect(second.getTime()).toBe(first.getTime());
    await database.pool.query(`UPDATE api_tokens SET last_used_at = now() - interval '2 minutes' WHERE id = $1`, [t.id]);
    await lookupToken(database, t.token);
    const third = (await database.pool.query(`SELECT last_used_at FROM api_tokens WHERE id = $1`, [t.id])).rows[0].last_used_at;
    expect(Date.now() - third.getTime()).toBeLessThan(60_000);
  });

  it('treats a wrong, revoked or malformed token as UNAUTHENTICATED, and no header as anonymous', async () => {
    expect(await authenticate(database, undefined)).toBeNull();
    expect(bearerToken('')).toBeUndefined();
    expect(await codeOf(authenticate(database, 'Bearer aa_nope'))).toBe('UNAUTHENTICATED');
    expect(await codeOf(authenticate(database, 'Basic dXNlcjpwYXNz'))).toBe('UNAUTHENTICATED');
    const t = await createToken(database, 'old', 'ingest');
    await database.pool.query(`UPDATE api_tokens SET revoked_at = now() WHERE id = $1`, [t.id]);
    expect(await codeOf(authenticate(database, `Bearer ${t.token}`))).toBe('UNAUTHENTICATED');
  });

  it('refuses empty names and unknown roles', async () => {
    expect(await codeOf(createToken(database, '  ', 'admin'))).toBe('BAD_USER_INPUT');
    expect(await codeOf(createToken(database, 'x', 'root' as never))).toBe('BAD_USER_INPUT');
  });
});

describe('ensureAdminToken', () => {
  it('generates the admin token once into ARCHIVE_HOME/admin-token (0600) and reuses it', async () => {
    const home = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'aa-auth-')), 'home');
    const first = await ensureAdminToken(database, { home });
    expect(first).toEqual({ source: 'file', file: path.join(home, 'admin-token'), created: true });
    expect(fs.statSync(first.file!).mode & 0o777).toBe(0o600);
    const token = fs.readFileSync(first.file!, 'utf8').trim();
    expect((await authenticate(database, `Bearer ${token}`))?.role).toBe('admin');

    const again = await ensureAdminToken(database, { home });
    expect(again.created).toBe(false);
    expect(fs.readFileSync(first.file!, 'utf8').trim()).toBe(token);
    const { rows } = await database.pool.query(`SELECT count(*)::int AS n FROM api_tokens WHERE token_hash = $1`, [hashToken(token)]);
    expect(rows[0].n).toBe(1);
  });

  it('replaces an empty admin-token file instead of trusting it', async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'aa-auth-'));
    fs.writeFileSync(path.join(home, 'admin-token'), '', { mode: 0o644 });
    const where = await ensureAdminToken(database, { home });
    expect(where.created).toBe(true);
    const token = fs.readFileSync(where.file!, 'utf8').trim();
    expect(token).toMatch(/^aa_/);
    expect(fs.statSync(where.file!).mode & 0o777).toBe(0o600);
    expect((await authenticate(database, `Bearer ${token}`))?.role).toBe('admin');
  });

  it('makes ARCHIVE_ADMIN_TOKEN an admin without writing a file', async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'aa-auth-'));
    const where = await ensureAdminToken(database, { home, adminToken: 'aa_from_the_environment' });
    expect(where).toEqual({ source: 'env', created: false });
    expect(fs.existsSync(path.join(home, 'admin-token'))).toBe(false);
    expect((await authenticate(database, 'Bearer aa_from_the_environment'))?.role).toBe('admin');
  });
});
