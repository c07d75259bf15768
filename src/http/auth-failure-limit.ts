/**
 * Rate limit on failed authentications, for every route at once: mounted before the routes,
 * it refuses a client address with too many recent failures (429 + Retry-After) when the
 * request carries credentials, and counts a 401 answered to a request that carried them.
 * Judging by the status a route answered, rather than inside `authenticate`, covers every
 * route that authenticates, including ones added later, with no call to remember.
 * Requests without credentials are never refused: anonymous reading is not a guess.
 */
import type express from 'express';
import type { AuthFailureLimiter } from '../auth/failure-limiter.js';
import type { Logger } from '../log.js';

export const RATE_LIMITED = 'RATE_LIMITED';

/** `Authorization` or the `?token=` that browser links to /profiles carry. */
function carriesCredentials(req: express.Request): boolean {
  const header = req.headers.authorization;
  if (typeof header === 'string' && header.trim() !== '') return true;
  return typeof req.query.token === 'string';
}

export function authFailureLimit(limiter: AuthFailureLimiter, logger?: Logger): express.RequestHandler {
  return (req, res, next) => {
    if (!carriesCredentials(req)) return next();
    // req.ip: the peer address (Express's 'trust proxy' decides whether X-Forwarded-For counts).
    const client = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    const wait = limiter.retryAfterSeconds(client);
    if (wait > 0) {
      const message = `too many failed authentications from ${client}: try again in ${wait} s`;
      res.setHeader('retry-after', String(wait));
      res.status(429);
      // GraphQL clients read `errors`; the other routes answer `{ error }`.
      if (req.path.startsWith('/graphql')) res.json({ errors: [{ message, extensions: { code: RATE_LIMITED, retryAfterSeconds: wait } }] });
      else res.json({ error: message });
      return;
    }
    res.on('finish', () => {
      if (res.statusCode !== 401) return;
      if (limiter.recordFailure(client)) {
        logger?.warn({ client, failures: limiter.maxFailures, windowSeconds: limiter.windowMs / 1000 }, 'client refused for repeated failed authentications');
      }
    });
    next();
  };
}
