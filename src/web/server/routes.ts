/**
 * The web pages: the shell for every page path (src/web/paths.ts), the bundle under /assets
 * (hashed names: cached for a year, immutable), and the Content-Security-Policy on both.
 * Mounted after the API's own routes, so /records/:id/preview.png and /profiles/:id.cpuprofile
 * keep their handlers; a page path that another router already answers never reaches this one.
 */
import express from 'express';
import { matchPath, PAGE_PATHS } from '../paths.js';
import { WEB_CSP } from './csp.js';
import { shellHtml, WEB_BUILD_DIR } from './shell.js';

/** `buildDir`: where the bundle is (tests point it elsewhere). */
export function webRoutes(buildDir = WEB_BUILD_DIR): express.Router {
  const router = express.Router();
  router.use('/assets', (_req, res, next) => {
    res.setHeader('Content-Security-Policy', WEB_CSP);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    next();
  });
  router.use(
    '/assets',
    express.static(buildDir, {
      index: false,
      dotfiles: 'ignore',
      fallthrough: false,
      setHeaders(res, file) {
        // Every asset but the manifest carries its content hash in its name.
        if (/-[A-Z0-9]{8}\.[a-z0-9]+$/.test(file)) res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
        else res.setHeader('Cache-Control', 'no-cache');
      },
    }),
  );
  router.get(/.*/, (req, res, next) => {
    if (!PAGE_PATHS.some((p) => matchPath(p, req.path))) return next();
    res.setHeader('Content-Security-Policy', WEB_CSP);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'same-origin');
    res.setHeader('Cache-Control', 'no-cache');
    const html = shellHtml(buildDir);
    if (html === null) {
      res.status(503).type('text/plain').send('The web pages are not built yet: run `npm run build` (scripts/build.mjs), then reload.\n');
      return;
    }
    res.type('html').send(html);
  });
  return router;
}
