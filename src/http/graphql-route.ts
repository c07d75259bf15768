/**
 * POST/GET /graphql: Apollo behind Express. Each request gets its own `graphql` query scope
 * (src/monitor/query-scope.ts), passed explicitly: the token lookup and the context's database
 * and loaders (src/graphql/context.ts scopedDatabase) run their statements in it, so they are
 * counted there and nothing else is, without AsyncLocalStorage (whose promise hooks would
 * tax every promise of the answer). The bearer token is resolved once, before execution; a bad one is a 401.
 * The scope also carries the request's stop signal (src/graphql/limits/deadline.ts): at the
 * deadline or when the client disconnects, its statements are refused or cancelled.
 */
import { performance } from 'node:perf_hooks';
import type { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { authenticate } from '../auth/bearer.js';
import type { Config } from '../config.js';
import type { Database } from '../db/client.js';
import { ArchiveError } from '../errors.js';
import { createContext, scopedDatabase, type GraphQLContext } from '../graphql/context.js';
import { toGraphQLError } from '../graphql/errors.js';
import { requestStop } from '../graphql/limits/deadline.js';
import type { QueryScope } from '../monitor/query-scope.js';

interface RequestLocals {
  scope: QueryScope;
  startedAt: number;
  liftDeadline: () => void;
}

export function graphqlRoute(server: ApolloServer<GraphQLContext>, database: Database, config: Config): express.Router {
  const router = express.Router();
  router.use(express.json({ limit: '1mb' }));
  router.use((_req, res, next) => {
    const startedAt = performance.now();
    const { signal, liftDeadline } = requestStop(res, config.graphqlLimits.timeoutMs, startedAt);
    const locals: RequestLocals = { scope: { origin: 'graphql', queries: 0, signal }, startedAt, liftDeadline };
    Object.assign(res.locals, locals);
    next();
  });
  router.use(
    expressMiddleware(server, {
      context: async ({ req, res }) => {
        const { scope, startedAt, liftDeadline } = res.locals as RequestLocals;
        let viewer;
        try {
          viewer = req.headers.authorization === undefined ? null : await authenticate(scopedDatabase(database, scope), req.headers.authorization);
        } catch (err) {
          throw err instanceof ArchiveError ? toGraphQLError(err) : err;
        }
        const trace = req.headers['x-astroarchive-trace'] === '1';
        return createContext({ database, config, viewer, scope, startedAt, trace, liftDeadline });
      },
    }),
  );
  return router;
}
