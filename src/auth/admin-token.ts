/**
 * The first credential. With ARCHIVE_ADMIN_TOKEN set, that token is the admin (its hash is
 * upserted, role admin, un-revoked: the operator's environment is the authority). Otherwise
 * the first start generates one into ARCHIVE_HOME/admin-token (mode 0600, readable by the
 * operator and the CLI only) and later starts reuse the file, re-inserting its hash if the
 * database was replaced. The plaintext is never logged; the caller prints where it is.
 *
 * Retiring: a new bootstrap token (the file deleted and regenerated, or ARCHIVE_ADMIN_TOKEN
 * changed) revokes the previous bootstrap rows, so an old copy of the file stops working.
 * Reusing the file never un-revokes its token: an admin who revoked it (it leaked) must not
 * see it come back on the next restart; deleting the file mints a fresh one.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Database } from '../db/client.js';
import { BOOTSTRAP_TOKEN_NAME, generateToken, hashToken } from './tokens.js';

export interface AdminTokenLocation {
  /** `env`: ARCHIVE_ADMIN_TOKEN; `file`: the file below. */
  source: 'env' | 'file';
  /** The admin-token file (source `file`). */
  file?: string;
  /** True when this call generated a new token. */
  created: boolean;
  /** True when the file's token was revoked by an admin (delete the file and restart for a new one). */
  revoked?: boolean;
}

export const ADMIN_TOKEN_NAME = BOOTSTRAP_TOKEN_NAME;

export async function ensureAdminToken(
  database: Database,
  opts: { home: string; adminToken?: string | undefined },
): Promise<AdminTokenLocation> {
  if (opts.adminToken) {
    await installBootstrap(database, opts.adminToken.trim(), 'authority');
    return { source: 'env', created: false };
  }
  const file = path.join(opts.home, 'admin-token');
  let token = await readToken(file);
  let created = false;
  if (token === undefined) {
    await fs.mkdir(opts.home, { recursive: true });
    token = generateToken();
    try {
      // 'wx': two processes starting at once must not both write; the loser reads the winner's.
      await fs.writeFile(file, `${token}\n`, { mode: 0o600, flag: 'wx' });
      created = true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const theirs = await readToken(file);
      if (theirs !== undefined) {
        token = theirs;
      } else {
        // An empty file (a crash mid-write, or an operator's `: > admin-token`): replace it.
        await fs.writeFile(file, `${token}\n`, { mode: 0o600 });
        await fs.chmod(file, 0o600);
        created = true;
      }
    }
  }
  if (created) {
    await installBootstrap(database, token, 'authority');
    return { source: 'file', file, created };
  }
  const revoked = await installBootstrap(database, token, 'reuse');
  return { source: 'file', file, created, ...(revoked ? { revoked } : {}) };
}

async function readToken(file: string): Promise<string | undefined> {
  try {
    const text = (await fs.readFile(file, 'utf8')).trim();
    return text === '' ? undefined : text;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/**
 * `authority` (the environment's token, or one just generated): upsert it as an active admin
 * and revoke every other bootstrap row, in one statement. `reuse` (the file read again):
 * insert it if the database lacks it, keep a revocation. Returns whether it is revoked.
 */
async function installBootstrap(database: Database, token: string, mode: 'authority' | 'reuse'): Promise<boolean> {
  const hash = hashToken(token);
  if (mode === 'reuse') {
    const { rows } = await database.pool.query<{ revoked: boolean }>(
      `WITH ins AS (INSERT INTO api_tokens (name, role, token_hash) VALUES ($1, 'admin', $2) ON CONFLICT (token_hash) DO NOTHING RETURNING id)
       SELECT revoked_at IS NOT NULL AS revoked FROM api_tokens WHERE token_hash = $2 AND NOT EXISTS (SELECT 1 FROM ins)`,
      [BOOTSTRAP_TOKEN_NAME, hash],
    );
    return rows[0]?.revoked ?? false;
  }
  await database.pool.query(
    `WITH ins AS (INSERT INTO api_tokens (name, role, token_hash) VALUES ($1, 'admin', $2)
                  ON CONFLICT (token_hash) DO UPDATE SET role = 'admin', revoked_at = NULL, expires_at = NULL)
     UPDATE api_tokens SET revoked_at = now() WHERE name = $1 AND token_hash <> $2 AND revoked_at IS NULL`,
    [BOOTSTRAP_TOKEN_NAME, hash],
  );
  return false;
}
