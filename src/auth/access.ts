/**
 * Who may do what. Anonymous clients read published releases only; any token holder also
 * sees drafts (they are the people building releases); `ingest` tokens may start and retry
 * ingests; `admin` may do everything (publish, mint tokens).
 */
import { forbidden, unauthenticated } from '../errors.js';
import type { TokenRole, Viewer } from './tokens.js';

export function canSeeDrafts(viewer: Viewer | null): boolean {
  return viewer !== null;
}

/** A release (by its status) is visible to this caller. */
export function canSeeRelease(viewer: Viewer | null, release: { status: string }): boolean {
  return release.status === 'published' || canSeeDrafts(viewer);
}

/** Throws unless the caller holds one of `roles` (admin always passes). */
export function requireRole(viewer: Viewer | null, action: string, ...roles: TokenRole[]): Viewer {
  if (!viewer) throw unauthenticated(`${action} needs a token: send "Authorization: Bearer <token>"`);
  if (viewer.role !== 'admin' && !roles.includes(viewer.role)) {
    const allowed = ['admin', ...roles].join(' or ');
    throw forbidden(`${action} needs an ${allowed} token; token "${viewer.tokenName}" has role ${viewer.role}`);
  }
  return viewer;
}
