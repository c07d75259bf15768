/**
 * The first credential. With ARCHIVE_ADMIN_TOKEN set, that token is the admin (its hash is
 * upserted, role admin, un-revoked: the operator's environment is the authority). Otherwise
 * the first start generates one into ARCHIVE_HOME/admin-token (mode 0600, readable by the
 * operator and the CLI only) and later starts reuse the file, re-inserting its hash if the
 * database was replaced. The plaintext is never logged; the caller prints where it is.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Database } from '../db/client.js';
import { generateToken, hashToken } from './tokens.js';

export interface AdminTokenLocation {
  /** `env`: ARCHIVE_ADMIN_TOKEN; `file`: the file below. */
  source: 'env' | 'file';
  /** The admin-token file (source `file`). */
  file?: string;
  /** True when this call generated a new token. */
  created: boolean;
}

export const ADMIN_TOKEN_NAME = 'bootstrap admin';

export async function ensureAdminToken(
  database: Database,
  opts: { home: string; adminToken?: string | undefined },
): Promise<AdminTokenLocation> {
  if (opts.adminToken) {
    await upsertAdmin(database, opts.adminToken.trim());
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
  await upsertAdmin(database, token);
  return { source: 'file', file, created };
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

async function upsertAdmin(database: Database, token: string): Promise<void> {
  await database.pool.query(
    `INSERT INTO api_tokens (name, role, token_hash) VALUES ($1, 'admin', $2)
     ON CONFLICT (token_hash) DO UPDATE SET role = 'admin', revoked_at = NULL`,
    [ADMIN_TOKEN_NAME, hashToken(token)],
  );
}
