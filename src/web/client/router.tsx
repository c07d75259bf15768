/**
 * Client-side navigation between the pages of the registry (registry.ts): same-origin links to
 * a page path are followed with history.pushState, everything else (downloads, /graphql,
 * /datalink, the back button's full reloads) is left to the browser. The location is the state:
 * pages read their search from it, so reload and shared links show the same thing.
 */
import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { matchPath, PAGE_PATHS } from '../paths';

export interface PageProps {
  /** The path's `:name` parameters. */
  params: Record<string, string>;
  /** The query string's parameters. */
  query: URLSearchParams;
}

export interface PageRoute {
  path: (typeof PAGE_PATHS)[number];
  page: ComponentType<PageProps>;
}

const listeners = new Set<() => void>();
const notify = () => {
  for (const l of listeners) l();
};
addEventListener('popstate', notify);

/** Go to `to` (path and query) without reloading; `replace` keeps the history entry (typing in a search box). */
export function navigate(to: string, replace = false): void {
  if (to === location.pathname + location.search) return;
  if (replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  notify();
}

export function useLocation(): { pathname: string; search: string } {
  const [, setTick] = useState(0);
  useEffect(() => {
    const l = () => setTick((t) => t + 1);
    listeners.add(l);
    return () => void listeners.delete(l);
  }, []);
  return { pathname: location.pathname, search: location.search };
}

/** Document-level click handler: follow links to page paths without a reload. */
export function interceptLinks(e: MouseEvent): void {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  const a = (e.target as Element | null)?.closest?.('a');
  if (!a || a.target || a.hasAttribute('download')) return;
  const url = new URL(a.href, location.href);
  if (url.origin !== location.origin || !PAGE_PATHS.some((p) => matchPath(p, url.pathname))) return;
  e.preventDefault();
  // Another page starts at its top; the same page with other parameters (a filter, a page of a
  // list) keeps the reader where they are.
  const otherPage = url.pathname !== location.pathname;
  navigate(url.pathname + url.search);
  if (otherPage) scrollTo(0, 0);
}

export function findPage(routes: readonly PageRoute[], pathname: string): { route: PageRoute; params: Record<string, string> } | null {
  for (const route of routes) {
    const params = matchPath(route.path, pathname);
    if (params) return { route, params };
  }
  return null;
}
