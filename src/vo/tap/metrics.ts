/**
 * TAP requests in /metrics, by resource and HTTP status. Labels are bounded by construction:
 * the resource is one of a few names (anything else counts as `other`), the status one of the
 * codes the service answers.
 */
import client from 'prom-client';
import { registry } from '../../monitor/metrics.js';

const ROUTES = new Set(['root', 'sync', 'async', 'capabilities', 'availability', 'tables']);
const STATUSES = new Set(['200', '303', '400', '401', '403', '404', '409', '429', '500', '503']);

const requests = new client.Counter({
  name: 'astroarchive_tap_requests_total',
  help: 'TAP requests (/tap/sync, /tap/async/..., VOSI), by resource and HTTP status.',
  labelNames: ['route', 'status'] as const,
  registers: [registry],
});

export function countTapRequest(route: string, status: number): void {
  const s = String(status);
  requests.inc({ route: ROUTES.has(route) ? route : 'other', status: STATUSES.has(s) ? s : 'other' });
}
