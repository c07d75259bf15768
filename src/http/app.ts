/**
 * The HTTP surface, without listening (the CLI chooses host and port; tests listen on an
 * ephemeral one): /graphql (Apollo), /graphiql (offline explorer), /healthz, /metrics, and the
 * web pages (/, /records/:id, ...: src/web/server).
 * `stop()` drains Apollo; closing the HTTP server and the database is the caller's.
 */
import type http from 'node:http';
import express from 'express';
import type { Config } from '../config.js';
import type { Database } from '../db/client.js';
import { isNulCharacterError, NUL_CHARACTER_MESSAGE } from '../db/nul-character.js';
import { createApolloServer } from '../graphql/server.js';
import type { Logger } from '../log.js';
import { AuthFailureLimiter } from '../auth/failure-limiter.js';
import { authFailureLimit } from './auth-failure-limit.js';
import { corsMiddleware } from './cors.js';
import { graphiqlRoutes } from './graphiql.js';
import { graphqlRoute } from './graphql-route.js';
import { healthRoutes } from './health.js';
import { profileRoutes } from './profiles.js';
import { previewRoutes } from './preview.js';
import { closeAccessPool } from '../access/pool.js';
import { fileContentRoutes } from './download/file-content.js';
import { fileContentFastPath } from './download/fast-file.js';
import { releaseArchiveRoutes } from './download/release-archive.js';
import { voServicesRouter } from '../vo/services/routes.js';
import { tapRouter } from '../vo/tap/routes.js';
import { SessionGate } from '../vo/session-gate.js';
import { webRoutes } from '../web/server/routes.js';

export interface HttpApp {
  app: express.Express;
  /** What the server listens with: plain small-file downloads answered before Express (./download/fast-file.ts), the rest by `app`. */
  listener: http.RequestListener;
  stop(): Promise<void>;
}

export async function createHttpApp(opts: { database: Database; config: Config; logger: Logger }): Promise<HttpApp> {
  const { database, config, logger } = opts;
  const server = createApolloServer({ logger, limits: config.graphqlLimits });
  await server.start();

  const app = express();
  app.disable('x-powered-by');
  // First, so every answer (a 401 or 429 too) carries the CORS headers an allowed origin needs to read it.
  app.use(corsMiddleware(config.corsOrigins));
  // Before every route: counts 401s and refuses clients with too many (429 + Retry-After).
  app.use(authFailureLimit(new AuthFailureLimiter(), logger));
  app.use(healthRoutes(database));
  app.use(graphiqlRoutes());
  app.use('/graphql', graphqlRoute(server, database, config));
  app.use(profileRoutes(database));
  app.use(previewRoutes(database, config, logger));
  app.use(fileContentRoutes(database, config, logger));
  app.use(releaseArchiveRoutes(database, config, logger));
  // One bound for TAP and the simple services together: what they hold of the pool, and of memory.
  const gate = new SessionGate(config.tapLimits.sessions, config.tapLimits.sessionWaitMs);
  app.use(tapRouter({ database, config, logger, gate }));
  app.use(voServicesRouter({ database, config, logger, gate }));
  // Last: the web pages' shell answers only page paths no route above has answered.
  app.use(webRoutes());
  // Express's default error page would echo stack traces; log and answer plainly instead.
  app.use((err: Error & { status?: number; type?: string }, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    if (isNulCharacterError(err)) {
      res.status(400).json({ error: NUL_CHARACTER_MESSAGE });
      return;
    }
    const status = err.status && err.status >= 400 && err.status < 500 ? err.status : 500;
    if (status === 500) logger.error({ err }, 'unhandled HTTP error');
    res.status(status).json({ error: status === 500 ? 'internal server error' : err.message });
  });

  return {
    app,
    listener: fileContentFastPath({ database, config }, app),
    async stop() {
      await server.stop();
      await closeAccessPool();
    },
  };
}
