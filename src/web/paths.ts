/**
 * The page paths the app serves its web shell at, shared by the server (which answers them
 * with the shell) and the client (which picks the page). Patterns: literal segments and
 * `:name` segments (one path segment, digits only: every page takes a numeric id).
 * Pure: imported by both the server and the browser bundle.
 */
export const PAGE_PATHS = ['/', '/records/:id', '/releases/:id', '/ingest', '/profiles/:id'] as const;

export type PagePath = (typeof PAGE_PATHS)[number];

/** The pattern's parameters when `pathname` matches it, else null. */
export function matchPath(pattern: string, pathname: string): Record<string, string> | null {
  const want = pattern.split('/');
  const got = pathname.replace(/\/+$/, '').split('/');
  if (pattern === '/') return pathname === '/' || pathname === '' ? {} : null;
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    if (want[i].startsWith(':')) {
      if (!/^[1-9][0-9]{0,15}$/.test(got[i])) return null;
      params[want[i].slice(1)] = got[i];
    } else if (want[i] !== got[i]) return null;
  }
  return params;
}
