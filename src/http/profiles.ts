/**
 * Captured profiles over HTTP:
 *   GET /profiles/:id.cpuprofile | :id.heapprofile  the JSON (admin token), as a download
 *                                                    (speedscope, Chrome DevTools, VS Code open it)
 *   GET /profiles/:id                               not answered here: the web page of the same
 *                                                    path (src/web/client/pages/profile.tsx) shows
 *                                                    the top functions and speedscope with the profile
 *   GET /speedscope/*                               speedscope's offline build, copied at build time
 *                                                    (scripts/build-speedscope.mjs), framed by that page
 * The JSON's token comes from `Authorization: Bearer` or, for scripts that cannot add headers,
 * from `?token=`. The page fetches it with the header and hands speedscope a blob: URL, so no
 * token is ever put in a URL by the pages.
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { authenticate } from '../auth/bearer.js';
import { requireRole } from '../auth/access.js';
import type { Database } from '../db/client.js';
import { ArchiveError } from '../errors.js';
import { loadProfileData } from '../monitor/profile-requests.js';

const STATUS: Record<ArchiveError['code'], number> = { BAD_USER_INPUT: 400, UNAUTHENTICATED: 401, FORBIDDEN: 403, NOT_FOUND: 404, CONFLICT: 409 };

export const SPEEDSCOPE_DIR = fileURLToPath(new URL('../../public/build/speedscope/', import.meta.url));

/**
 * speedscope's page policy: the pages' strict one (src/web/server/csp.ts) with four
 * differences, each what speedscope 1.25 needs and no more:
 * - script-src 'wasm-unsafe-eval': it demangles function names with a WebAssembly module
 *   (emscripten, embedded in its script) compiled when a profile loads; Chromium refuses the
 *   compilation without it (measured: test/web/profile.test.ts). It allows WebAssembly
 *   compilation only, not JavaScript eval.
 * - style-src 'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=' (the hash of the empty
 *   string): its styles come from aphrodite, which creates an *empty* <style> element at run time
 *   and fills it through CSSOM insertRule (which CSP does not police). Chromium refuses even an
 *   empty inline <style> under style-src 'self' (aphrodite then throws and the viewer never
 *   renders: measured), but admits it with the empty string's hash: a <style> with any content
 *   is still refused, so this is narrower than 'unsafe-inline'.
 * - connect-src blob:: the profile page hands speedscope the profile as a blob: URL (the JSON
 *   needs a Bearer header, which speedscope's own fetch cannot send).
 * - frame-ancestors 'self': it is framed by /profiles/:id, and by nothing else.
 * Scripts otherwise stay 'self' only: no JavaScript eval, no remote origin.
 */
export const SPEEDSCOPE_CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self' 'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'self'",
].join('; ');

/** `speedscopeDir`: where the viewer's build is (tests point it elsewhere). */
export function profileRoutes(database: Database, speedscopeDir = SPEEDSCOPE_DIR): express.Router {
  const router = express.Router();

  const admin = async (req: express.Request) => {
    const q = typeof req.query.token === 'string' ? req.query.token : undefined;
    const viewer = await authenticate(database, req.headers.authorization ?? (q ? `Bearer ${q}` : undefined));
    requireRole(viewer, 'reading profiles');
  };

  router.use('/speedscope', (req, res, next) => {
    res.setHeader('Content-Security-Policy', SPEEDSCOPE_CSP);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Cache-Control', 'no-cache');
    if (!fs.existsSync(`${speedscopeDir}/index.html`)) {
      res
        .status(404)
        .type('text/plain')
        .send(
          'The flame graph viewer is not installed: speedscope is a development dependency (an install with --omit=dev leaves it out). ' +
            'Run `npm install` and `npm run build`, or open the .cpuprofile download in Chrome DevTools or VS Code.\n',
        );
      return;
    }
    next();
  });
  router.use('/speedscope', express.static(speedscopeDir, { index: 'index.html', dotfiles: 'ignore', fallthrough: false }));

  router.get('/profiles/:name', async (req, res, next) => {
    try {
      const m = /^([1-9][0-9]{0,15})\.(cpuprofile|heapprofile)$/.exec(req.params.name);
      // The bare id is the web page's path; anything else is not a profile.
      if (!m) return /^[1-9][0-9]{0,15}$/.test(req.params.name) ? next() : res.status(404).json({ error: 'no such profile' });
      await admin(req);
      const id = Number(m[1]);
      const ext = m[2];
      res.setHeader('cache-control', 'no-store');
      const row = await loadProfileData(database, id);
      if (!row) return res.status(404).json({ error: `no profile ${id}` });
      const want = row.kind === 'HEAP' ? 'heapprofile' : 'cpuprofile';
      if (ext !== want) return res.status(404).json({ error: `profile ${id} is a ${row.kind} profile: GET /profiles/${id}.${want}` });
      // 409 while it may still come (a busy process storing it late); 410 once it never will.
      if (row.status === 'failed') return res.status(410).json({ error: `profile ${id} failed and will not appear: capture another` });
      if (row.status !== 'done' || row.data === null) return res.status(409).json({ error: `profile ${id} is ${row.status}, not done yet` });
      res.setHeader('content-type', 'application/json');
      res.setHeader('content-disposition', `attachment; filename="astroarchive-${id}.${ext}"`);
      return res.send(row.data);
    } catch (err) {
      if (err instanceof ArchiveError) return res.status(STATUS[err.code]).json({ error: err.message });
      next(err);
    }
  });
  return router;
}
