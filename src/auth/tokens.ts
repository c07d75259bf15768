/**
 * Bearer tokens: `aa_` + 32 random bytes in base64url. The plaintext exists only in the
 * response that minted it (and the admin-token file); the table holds its SHA-256 hex, so a
 * database dump or backup leaks no usable credential. A fast hash is enough: the token has
 * 256 bits of entropy, there is nothing to brute-force.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Database } from '../db/client.js';
import { badInput } from '../errors.js';

export type TokenRole = 'admin' | 'ingest';
export const TOKEN_ROLES: readonly TokenRole[] = ['admin', 'ingest'];

/** Who is calling; null everywhere means an anonymous client. */
export interface Viewer {
  tokenId: number;
  tokenName: string;
  role: TokenRole;
}

export interface NewToken {
  id: number;
  name: string;
  role: TokenRole;
  /** The plaintext; shown once. */
  token: string;
  expiresAt: Date | null;
}

/** A token's record as admins see it: never the hash, never the plaintext. */
export interface TokenRecord {
  id: number;
  name: string;
  role: TokenRole;
  createdAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

/** Ten years: long enough for any pipeline, short enough that a date is still a date. */
export const MAX_EXPIRES_IN_DAYS = 3650;
/** The admin-token file's row; minted only by src/auth/admin-token.ts. */
export const BOOTSTRAP_TOKEN_NAME = 'bootstrap admin';

export function generateToken(): string {
  return `aa_${randomBytes(32).toString('base64url')}`;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export async function createToken(
  database: Database,
  name: string,
  role: TokenRole,
  opts: { expiresInDays?: number | null } = {},
): Promise<NewToken> {
  const trimmed = typeof name === 'string' ? name.trim() : '';
  if (trimmed === '' || trimmed.length > 100) throw badInput('token name must be 1-100 characters (say who or what will use it)', 'name');
  // Retiring the bootstrap token revokes rows by this name: a minted one must not share it.
  if (trimmed.toLowerCase() === BOOTSTRAP_TOKEN_NAME) throw badInput(`"${BOOTSTRAP_TOKEN_NAME}" is reserved for the admin-token file's token`, 'name');
  if (!TOKEN_ROLES.includes(role)) throw badInput(`role must be one of ${TOKEN_ROLES.join(', ')}`, 'role');
  const days = opts.expiresInDays ?? null;
  if (days !== null && (!Number.isInteger(days) || days < 1 || days > MAX_EXPIRES_IN_DAYS)) {
    throw badInput(`expiresInDays must be an integer from 1 to ${MAX_EXPIRES_IN_DAYS} (leave it out for a token that never expires)`, 'expiresInDays');
  }
  const token = generateToken();
  const { rows } = await database.pool.query<{ id: number; expiresAt: Date | null }>(
    `INSERT INTO api_tokens (name, role, token_hash, expires_at)
     VALUES ($1, $2, $3, now() + make_interval(days => $4::int)) RETURNING id, expires_at AS "expiresAt"`,
    [trimmed, role, hashToken(token), days],
  );
  return { id: rows[0].id, name: trimmed, role, token, expiresAt: rows[0].expiresAt };
}

const RECORD_COLUMNS = `id, name, role, created_at AS "createdAt", expires_at AS "expiresAt", revoked_at AS "revokedAt", last_used_at AS "lastUsedAt"`;

/** Every token, newest first. */
export async function listTokens(database: Database): Promise<TokenRecord[]> {
  const { rows } = await database.pool.query<TokenRecord>(`SELECT ${RECORD_COLUMNS} FROM api_tokens ORDER BY created_at DESC, id DESC`);
  return rows;
}

/** Revoke now; a token already revoked keeps its first revocation time. Null: no such token. */
export async function revokeToken(database: Database, id: number): Promise<TokenRecord | null> {
  const { rows } = await database.pool.query<TokenRecord>(
    `UPDATE api_tokens SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1 RETURNING ${RECORD_COLUMNS}`,
    [id],
  );
  return rows[0] ?? null;
}

export type TokenLookup =
  | { status: 'ok'; viewer: Viewer }
  | { status: 'unknown' }
  | { status: 'revoked'; at: Date }
  | { status: 'expired'; at: Date };

/**
 * Finds the token's row and, in the same statement, stamps last_used_at when it is more than
 * a minute old: one round trip per request, and at most one write per token per minute
 * however busy a client is.
 */
export async function lookupToken(database: Database, token: string): Promise<TokenLookup> {
  const { rows } = await database.pool.query<{ id: number; name: string; role: TokenRole; revokedAt: Date | null; expiredAt: Date | null }>(
    `WITH t AS (SELECT id, name, role, revoked_at, CASE WHEN expires_at <= now() THEN expires_at END AS expired_at, last_used_at
                FROM api_tokens WHERE token_hash = $1),
          touch AS (UPDATE api_tokens a SET last_used_at = now()
                      FROM t WHERE a.id = t.id AND t.revoked_at IS NULL AND t.expired_at IS NULL
                       AND (t.last_used_at IS NULL OR t.last_used_at < now() - interval '1 minute')
                    RETURNING a.id)
     SELECT t.id, t.name, t.role, t.revoked_at AS "revokedAt", t.expired_at AS "expiredAt", (SELECT count(*) FROM touch) AS touched FROM t`,
    [hashToken(token)],
  );
  if (rows.length === 0) return { status: 'unknown' };
  const row = rows[0];
  if (row.revokedAt) return { status: 'revoked', at: row.revokedAt };
  if (row.expiredAt) return { status: 'expired', at: row.expiredAt };
  return { status: 'ok', viewer: { tokenId: row.id, tokenName: row.name, role: row.role } };
}
