/**
 * GET /graphiql: the GraphiQL explorer, entirely from this app (public/graphiql/index.html and
 * the bundle scripts/build.mjs writes to public/build/graphiql, served at /graphiql/assets).
 * The Content-Security-Policy makes "no CDN" a property the browser enforces, not a hope:
 * scripts, styles, fonts, workers and fetches may only come from this origin.
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import express from 'express';

export const PUBLIC_DIR = fileURLToPath(new URL('../../public/', import.meta.url));
const PAGE = `${PUBLIC_DIR}graphiql/index.html`;
const ASSETS = `${PUBLIC_DIR}build/graphiql`;

export const GRAPHIQL_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  // Monaco and GraphiQL set inline styles and inject <style> elements at run time.
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self' data:",
  "img-src 'self' data:",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

export function graphiqlRoutes(): express.Router {
  const router = express.Router();
  router.use('/graphiql/assets', (_req, res, next) => {
    res.setHeader('Content-Security-Policy', GRAPHIQL_CSP);
    next();
  });
  router.use('/graphiql/assets', express.static(ASSETS, { index: false, dotfiles: 'ignore', maxAge: '1h' }));
  router.get('/graphiql', (_req, res) => {
    if (!fs.existsSync(`${ASSETS}/graphiql.js`)) {
      res.status(503).type('text/plain').send('GraphiQL is not built yet: run `npm run build` (scripts/build.mjs), then reload.\n');
      return;
    }
    res.setHeader('Content-Security-Policy', GRAPHIQL_CSP);
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(PAGE);
  });
  return router;
}
