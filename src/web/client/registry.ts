/**
 * Which page renders each page path (the paths themselves are in ../paths.ts, which the server
 * also serves). To add a page: write pages/<name>.tsx exporting a component that takes
 * PageProps, and point its path's entry here at it.
 */
import type { PageRoute } from './router';
import { SearchPage } from './pages/search';
import { RecordPage } from './pages/record';
import { ReleasePage } from './pages/release';
import { IngestPage } from './pages/ingest';
import { ProfilePage } from './pages/profile';

export const ROUTES: readonly PageRoute[] = [
  { path: '/', page: SearchPage },
  { path: '/records/:id', page: RecordPage },
  { path: '/releases/:id', page: ReleasePage },
  { path: '/ingest', page: IngestPage },
  { path: '/profiles/:id', page: ProfilePage },
];

/** The header's navigation. */
export const NAV: ReadonlyArray<{ href: string; label: string }> = [
  { href: '/', label: 'Search' },
  { href: '/ingest', label: 'Ingestion' },
];
