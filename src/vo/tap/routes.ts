/**
 * The TAP 1.1 service under /tap: a landing page, /sync (./sync.ts), /async (UWS, ./uws-routes.ts),
 * and VOSI /capabilities, /availability, /tables[/<name>] (./vosi.ts). Who asks is the
 * `Authorization: Bearer` token (anonymous: published releases only). Every error is a VOTable
 * error document (DALI §4.4, TAP 1.1 §4): 400 for a request the client can fix (parameters,
 * ADQL, with the position), 401/403/404/409 as their names say, 500 for anything else (logged;
 * the client is told no more than that).
 */
import express from 'express';
import { ArchiveError } from '../../errors.js';
import { publicBaseUrl } from '../../http/public-url.js';
import { describeQueryError, VoUsageError } from '../errors.js';
import { ServiceBusyError } from '../session-gate.js';
import { availabilityDocument } from '../services/vosi.js';
import { votableErrorDocument } from '../votable/encoder.js';
import { tapViewerOf, type TapDeps } from './deps.js';
import { countTapRequest } from './metrics.js';
import { handleSync } from './sync.js';
import { uwsRoutes } from './uws-routes.js';
import { tableData, tableDocument, tablesetDocument, tapCapabilities } from './vosi.js';

const STATUS: Record<ArchiveError['code'], number> = { BAD_USER_INPUT: 400, UNAUTHENTICATED: 401, FORBIDDEN: 403, NOT_FOUND: 404, CONFLICT: 409 };

export function tapRouter(deps: TapDeps): express.Router {
  const router = express.Router();
  const base = (req: express.Request) => `${publicBaseUrl(req, deps.config)}/tap`;
  const xml = (res: express.Response, body: string) => res.status(200).type('text/xml; charset=UTF-8').send(body);
  const wrap =
    (fn: (req: express.Request, res: express.Response) => Promise<unknown>): express.RequestHandler =>
    (req, res, next) =>
      fn(req, res).catch(next);

  router.use('/tap', (req, res, next) => {
    const route = req.path.split('/')[1] || 'root';
    res.on('finish', () => countTapRequest(route, res.statusCode));
    // Validators (taplint) look for it; the name only, no version.
    res.setHeader('server', 'astroarchive');
    next();
  });
  router.get('/tap', (req, res) => {
    const b = base(req);
    res
      .status(200)
      .type('text/html; charset=UTF-8')
      .send(
        `<!doctype html><meta charset="utf-8"><title>TAP service</title><h1>Table Access Protocol (TAP 1.1)</h1>` +
          `<p>Point TOPCAT or pyvo at <code>${escapeHtml(b)}</code>. Tables: <a href="${escapeHtml(b)}/tables">${escapeHtml(b)}/tables</a>; ` +
          `capabilities: <a href="${escapeHtml(b)}/capabilities">${escapeHtml(b)}/capabilities</a>; queries: <code>${escapeHtml(b)}/sync?LANG=ADQL&amp;QUERY=SELECT TOP 10 * FROM ivoa.obscore</code>.</p>`,
      );
  });
  router.get('/tap/sync', wrap((req, res) => handleSync(deps, req, res)));
  router.post('/tap/sync', wrap((req, res) => handleSync(deps, req, res)));
  router.use(uwsRoutes(deps));
  router.get('/tap/capabilities', (req, res) => xml(res, tapCapabilities(base(req), deps.config.tapLimits)));
  router.get(
    '/tap/availability',
    wrap(async (_req, res) => {
      const up = await deps.database.pool.query('SELECT 1').then(
        () => true,
        () => false,
      );
      xml(res, availabilityDocument(up, up ? 'service is accepting queries' : 'the database does not answer'));
    }),
  );
  router.get(
    '/tap/tables',
    wrap(async (req, res) => {
      const viewer = await tapViewerOf(deps.database, req);
      xml(res, tablesetDocument(await tableData(deps.database.pool, viewer.kind, deps.config.tapLimits.syncTimeoutMs)));
    }),
  );
  router.get(
    '/tap/tables/:name',
    wrap(async (req, res) => {
      const viewer = await tapViewerOf(deps.database, req);
      const d = await tableData(deps.database.pool, viewer.kind, deps.config.tapLimits.syncTimeoutMs, String(req.params.name));
      if (d.tables.length === 0) throw new ArchiveError('NOT_FOUND', `no table ${String(req.params.name).slice(0, 100)}: see /tap/tables`);
      xml(res, tableDocument(d));
    }),
  );
  router.use('/tap', (thrown: Error & { status?: number; expose?: boolean }, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    // The caller's mistakes the database found (a NUL in a table name) are a 400 too.
    const err: Error & { status?: number; expose?: boolean } = describeQueryError(thrown) ?? thrown;
    const busy = err instanceof ServiceBusyError;
    const status = busy ? 503 : err instanceof VoUsageError ? 400 : err instanceof ArchiveError ? STATUS[err.code] : err.status && err.status >= 400 && err.status < 500 ? err.status : 500;
    if (status === 500 && !err.expose) deps.logger.error({ err }, 'TAP request failed')
    if (res.headersSent) {
      // The answer has begun (a result stream): the stream writer has said what it could; end it.
      res.destroy();
      return;
    }
    if (status === 401) res.setHeader('www-authenticate', 'Bearer');
    if (busy) res.setHeader('retry-after', String(err.retryAfterS));
    const message = status === 500 && !err.expose ? 'internal error: the service could not run this request (logged)' : err.message;
    res.status(status).type('application/x-votable+xml').setHeader('cache-control', 'no-store').send(votableErrorDocument(message));
  });
  return router;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}
