/**
 * Who may download what: the rules of GraphQL (src/auth/access.ts). Published releases are
 * anyone's; drafts need a bearer token (the `Authorization` header, never a token in a URL)
 * or a signed link for that very file or release archive (`?expires=&sig=`, src/auth/signed-link.ts),
 * which GraphQL mints for callers who can see it. A bad token is a 401 (as on /graphql); a
 * link that was altered or has expired is a 403 that says which, whatever the id (so it tells
 * nothing about what exists). Unknown and invisible ids look alike: 404.
 */
import type express from 'express';
import { authenticate } from '../../auth/bearer.js';
import { canSeeDrafts } from '../../auth/access.js';
import { checkLink, linkSecret } from '../../auth/signed-link.js';
import type { Config } from '../../config.js';
import type { Database } from '../../db/client.js';
import { ArchiveError, forbidden } from '../../errors.js';

/** Whether the caller may read draft releases' files, for `subject` (e.g. `file:12`). */
export async function mayReadDrafts(req: express.Request, database: Database, config: Config, subject: string): Promise<boolean> {
  const { sig, expires } = req.query;
  if (sig !== undefined) {
    const check = checkLink(linkSecret(config.home), subject, expires, sig);
    if (check === 'expired') throw forbidden(`this download link has expired: ask the archive for a new one (${subject.startsWith('release:') ? 'Release.signedArchiveUrl' : 'File.signedDownloadUrl'})`);
    if (check === 'invalid') throw forbidden('this download link is not valid (altered, or not made by this archive)');
    return true;
  }
  const viewer = req.headers.authorization === undefined ? null : await authenticate(database, req.headers.authorization);
  return canSeeDrafts(viewer);
}

const STATUS: Record<ArchiveError['code'], number> = { BAD_USER_INPUT: 400, UNAUTHENTICATED: 401, FORBIDDEN: 403, NOT_FOUND: 404, CONFLICT: 409 };

/** The HTTP answer for an ArchiveError (JSON `{ error }`, as the other plain routes answer), or false for any other error. */
export function answerArchiveError(err: unknown, res: express.Response): boolean {
  if (!(err instanceof ArchiveError)) return false;
  if (err.code === 'UNAUTHENTICATED') res.setHeader('www-authenticate', 'Bearer');
  res.status(STATUS[err.code]).json({ error: err.message });
  return true;
}

/** A positive database id as written in a URL, or null (then: 404, as for an unknown id). */
export function urlId(raw: string): number | null {
  if (!/^[1-9][0-9]{0,15}$/.test(raw)) return null;
  const n = Number(raw);
  return Number.isSafeInteger(n) ? n : null;
}
