/**
 * From an HTTP request's Authorization header to a Viewer. A header that is present but
 * wrong (malformed, unknown, revoked or expired token) is an error, not "anonymous": a client whose
 * token stopped working should be told, not silently shown less data.
 */
import type { Database } from '../db/client.js';
import { unauthenticated } from '../errors.js';
import { lookupToken, type Viewer } from './tokens.js';

/** The token in `Authorization: Bearer <token>`, or undefined when the header is absent. */
export function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header.trim());
  if (!m) throw unauthenticated('Authorization header must be "Bearer <token>"');
  return m[1];
}

export async function authenticate(database: Database, header: string | undefined): Promise<Viewer | null> {
  const token = bearerToken(header);
  if (token === undefined) return null;
  const found = await lookupToken(database, token);
  if (found.status === 'unknown') throw unauthenticated('unknown bearer token: check it was copied whole, or ask an admin for a new one');
  if (found.status === 'revoked') throw unauthenticated(`this bearer token was revoked at ${found.at.toISOString()}: ask an admin for a new one`);
  if (found.status === 'expired') throw unauthenticated(`this bearer token expired at ${found.at.toISOString()}: ask an admin for a new one`);
  return found.viewer;
}
