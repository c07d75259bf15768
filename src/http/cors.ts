/**
 * CORS for the origins named in ARCHIVE_CORS_ORIGINS (exact match; none by default), so a
 * frontend served elsewhere can call the API. A browser sends JSON POSTs and the
 * Authorization header only after a preflight OPTIONS: answered here, before Apollo, whose
 * CSRF check would refuse it. Other origins get no CORS headers at all, so browsers keep
 * refusing them. No credentials mode: the API authenticates with bearer tokens, not cookies.
 */
import type express from 'express';

const ALLOWED_HEADERS = 'authorization, content-type, x-astroarchive-trace, apollo-require-preflight';
const ALLOWED_METHODS = 'GET, POST, OPTIONS';
/** Seconds a browser may reuse a preflight answer. */
const PREFLIGHT_MAX_AGE = '600';

export function corsMiddleware(origins: readonly string[]): express.RequestHandler {
  const allowed = new Set(origins);
  return (req, res, next) => {
    if (allowed.size === 0) return next();
    // Answers differ by Origin: caches must not hand one origin's answer to another.
    res.vary('Origin');
    const origin = req.headers.origin;
    if (origin === undefined || !allowed.has(origin)) return next();
    res.setHeader('Access-Control-Allow-Origin', origin);
    if (req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined) {
      res.setHeader('Access-Control-Allow-Methods', ALLOWED_METHODS);
      res.setHeader('Access-Control-Allow-Headers', ALLOWED_HEADERS);
      res.setHeader('Access-Control-Max-Age', PREFLIGHT_MAX_AGE);
      res.status(204).end();
      return;
    }
    next();
  };
}
