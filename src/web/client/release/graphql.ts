/**
 * The release page's queries: the release with one page of its files in path order, as a
 * directory listing reads (the filters and the cursor from the URL) and its runs; the counts
 * by kind and by status as ten aliased
 * `files(first: 0) { totalCount }` (one batched count statement, under the alias limit of 15);
 * and the publish mutation.
 */
import { KINDS } from '../search/state';

export const FILE_PAGE = 25;
export const STATUSES = ['INGESTED', 'INVALID', 'FAILED', 'PENDING', 'SKIPPED'] as const;

export const RELEASE_QUERY = `query ReleasePage($id: ID!, $first: Int!, $after: String, $kind: FileKind, $status: FileStatus) {
  release(id: $id) {
    id name status published fileCount survey { name }
    files(first: $first, after: $after, kind: $kind, status: $status, orderBy: PATH) {
      totalCount
      edges { node { id path kind status sizeBytes missing record { id } } }
      pageInfo { hasNextPage endCursor }
    }
    runs {
      id status totalFiles processedFiles ingestedFiles invalidFiles failedFiles skippedFiles missingFiles
      startedAt finishedAt filesPerSecond queriesPerFile error stages { name seconds }
    }
  }
}`;

export const COUNTS_QUERY = `query ReleaseCounts($id: ID!) {
  release(id: $id) {
    id
    ${KINDS.map((k) => `k_${k}: files(first: 0, kind: ${k}) { totalCount }`).join('\n    ')}
    ${STATUSES.map((s) => `s_${s}: files(first: 0, status: ${s}) { totalCount }`).join('\n    ')}
  }
}`;

export const PUBLISH_MUTATION = `mutation Publish($id: ID!) { publishRelease(id: $id) { id status published } }`;

export interface ReleaseFile {
  id: string;
  path: string;
  kind: string;
  status: string;
  sizeBytes: number;
  missing: boolean;
  record: { id: string } | null;
}

export interface Run {
  id: string;
  status: string;
  totalFiles: number;
  processedFiles: number;
  ingestedFiles: number;
  invalidFiles: number;
  failedFiles: number;
  skippedFiles: number;
  missingFiles: number;
  startedAt: string | null;
  finishedAt: string | null;
  filesPerSecond: number | null;
  queriesPerFile: number | null;
  error: string | null;
  stages: Array<{ name: string; seconds: number }>;
}

export interface ReleaseData {
  release: {
    id: string;
    name: string;
    status: string;
    published: boolean;
    fileCount: number;
    survey: { name: string };
    files: { totalCount: number; edges: Array<{ node: ReleaseFile }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
    runs: Run[];
  } | null;
}

export type CountsData = { release: (Record<string, { totalCount: number }> & { id: string }) | null };
