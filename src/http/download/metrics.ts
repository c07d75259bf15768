/**
 * Downloads in /metrics: requests by route and status, bytes sent, files sent whole. Labels
 * are bounded by construction: `route` is one of two names and `status` one of the few codes
 * these routes answer (anything else is counted as `other`).
 */
import client from 'prom-client';
import { registry } from '../../monitor/metrics.js';

export type DownloadRoute = 'file' | 'archive';

const STATUSES = new Set(['200', '206', '304', '400', '401', '403', '404', '409', '410', '412', '416', '429', '500', '503']);

const requests = new client.Counter({
  name: 'astroarchive_download_requests_total',
  help: 'Download requests (GET/HEAD /files/:id/content, /releases/:id/archive), by route and HTTP status.',
  labelNames: ['route', 'status'] as const,
  registers: [registry],
});

const bytes = new client.Counter({
  name: 'astroarchive_download_bytes_total',
  help: 'Bytes of file content sent by the download routes (what reached the socket, aborted downloads included).',
  labelNames: ['route'] as const,
  registers: [registry],
});

const files = new client.Counter({
  name: 'astroarchive_download_files_total',
  help: 'Files sent whole: a complete single-file download, or a member of a release archive.',
  labelNames: ['route'] as const,
  registers: [registry],
});

export function countRequest(route: DownloadRoute, status: number): void {
  const s = String(status);
  requests.inc({ route, status: STATUSES.has(s) ? s : 'other' });
}

export function countBytes(route: DownloadRoute, n: number): void {
  if (n > 0) bytes.inc({ route }, n);
}

export function countFiles(route: DownloadRoute, n = 1): void {
  if (n > 0) files.inc({ route }, n);
}
