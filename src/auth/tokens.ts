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
}

export function generateToken(): string {
  return `aa_${randomBytes(32).toString('base64url')}`;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export async function createToken(database: Database, name: string, role: TokenRole): Promise<NewToken> {
  const trimmed = typeof name === 'string' ? name.trim() : '';
  if (trimmed === '' || trimmed.length > 100) throw badInput('token name must be 1-100 characters (say who or what will use it)', 'name');
  if (!TOKEN_ROLES.includes(role)) throw badInput(`role must be one of ${TOKEN_ROLES.join(', ')}`, 'role');
  const token = generateToken();
  const { rows } = await database.pool.query<{ id: number }>(
    `INSERT INTO api_tokens (name, role, token_hash) VALUES ($1, $2, $3) RETURNING id`,
    [trimmed, role, hashToken(token)],
  );
  return { id: rows[0].id, name: trimmed, role, token };
}

export type TokenLookup = { status: 'ok'; viewer: Viewer } | { status: 'unknown' } | { status: 'revoked' };

/**
 * Finds the token's row and, in the same statement, stamps last_used_at when it is more than
 * a minute old: one round trip per request, and at most one write per token per minute
 * however busy a client is.
 */
export async function lookupToken(database: Database, token: string): Promise<TokenLookup> {
  const { rows } = await database.pool.query<{ id: number; name: string; role: TokenRole; revoked: boolean }>(
    `WITH t AS (SELECT id, name, role, revoked_at IS NOT NULL AS revoked, last_used_at FROM api_tokens WHERE token_hash = $1),
          touch AS (UPDATE api_tokens a SET last_used_at = now()
                      FROM t WHERE a.id = t.id AND NOT t.revoked
                       AND (t.last_used_at IS NULL OR t.last_used_at < now() - interval '1 minute')
                    RETURNING a.id)
     SELECT t.id, t.name, t.role, t.revoked, (SELECT count(*) FROM touch) AS touched FROM t`,
    [hashToken(token)],
  );
  if (rows.length === 0) return { status: 'unknown' };
  const row = rows[0];
  if (row.revoked) return { status: 'revoked' };
  return { status: 'ok', viewer: { tokenId: row.id, tokenName: row.name, role: row.role } };
}
