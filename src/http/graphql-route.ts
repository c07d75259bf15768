/**
 * POST/GET /graphql: Apollo behind Express. Each request gets its own `graphql` query scope
 * (src/monitor/query-scope.ts), passed explicitly: the token lookup and the context's database
 * and loaders (src/graphql/context.ts scopedDatabase) run their statements in it, so they are
 * counted there and nothing else is, without AsyncLocalStorage (whose promise hooks would
 * tax every promise of the answer). The bearer token is resolved once, before execution; a bad one is a 401.
 *
 * Apollo is called directly (`executeHTTPGraphQLRequest`, what @as-integrations/express5
 * does) and its answer written with `res.end`: Express's `res.send` would hash every answer
 * for an ETag (SHA-1 over up to megabytes of JSON) that no GraphQL client sends back.
 * The scope also carries the request's stop signal (src/graphql/limits/deadline.ts): at the
 * deadline or when the client disconnects, its statements are refused or cancelled.
 *
 * A plain POST of a query (see plainQuery) first tries the fast path (src/graphql/fast-path.ts:
 * the query compiled once per text, the same plugins, limits and error format); what it
 * declines, and everything else, Apollo answers.
 */
import { performance } from 'node:perf_hooks';
import type { ApolloServer } from '@apollo/server';
import { HeaderMap } from '@apollo/server';
import express from 'express';
import { authenticate } from '../auth/bearer.js';
import type { Config } from '../config.js';
import type { Database } from '../db/client.js';
import { ArchiveError } from '../errors.js';
import { createContext, scopedDatabase, type GraphQLContext } from '../graphql/context.js';
import { fastPathOf } from '../graphql/server.js';
import { toGraphQLError } from '../graphql/errors.js';
import { requestStop } from '../graphql/limits/deadline.js';
import type { QueryScope } from '../monitor/query-scope.js';
import { publicBaseUrl } from './public-url.js';

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
  const context = async (req: express.Request, res: express.Response): Promise<GraphQLContext> => {
    const { scope, startedAt, liftDeadline } = res.locals as RequestLocals;
    let viewer;
    try {
      viewer = req.headers.authorization === undefined ? null : await authenticate(scopedDatabase(database, scope), req.headers.authorization);
    } catch (err) {
      throw err instanceof ArchiveError ? toGraphQLError(err) : err;
    }
    const trace = req.headers['x-astroarchive-trace'] === '1';
    return createContext({ database, config, viewer, scope, startedAt, trace, liftDeadline, publicBase: publicBaseUrl(req, config) });
  };
  const fast = fastPathOf(server);
  router.use(async (req, res) => {
    const q = req.url.indexOf('?');
    // Apollo's copy of the headers is made only if someone reads it (the fast path's plugins don't).
    let headers: HeaderMap | undefined;
    const httpGraphQLRequest = {
      method: req.method.toUpperCase(),
      get headers() {
        return (headers ??= headerMap(req));
      },
      search: q < 0 ? '' : req.url.slice(q),
      body: req.body,
    };
    // Made once: if the fast path declines, Apollo gets the same context (one token lookup).
    const contextValue = context(req, res);
    contextValue.catch(() => {}); // Apollo reports a rejection; until it looks, nobody else should
    const plain = fast && plainQuery(req);
    if (plain) {
      let ctx: GraphQLContext | undefined;
      try {
        ctx = await contextValue;
      } catch {
        // A bad token: Apollo formats the error (401) below.
      }
      const answer = ctx && (await fast.execute({ ...plain, http: httpGraphQLRequest }, ctx));
      if (answer) {
        for (const [key, value] of answer.headers) res.setHeader(key, value);
        res.statusCode = answer.status;
        res.end(answer.body);
        return;
      }
    }
    const answer = await server.executeHTTPGraphQLRequest({ httpGraphQLRequest, context: () => contextValue });
    for (const [key, value] of answer.headers) res.setHeader(key, value);
    res.statusCode = answer.status ?? 200;
    if (answer.body.kind === 'complete') {
      res.end(answer.body.string);
      return;
    }
    for await (const chunk of answer.body.asyncIterator) res.write(chunk);
    res.end();
  });
  return router;
}

function headerMap(req: express.Request): HeaderMap {
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  return headers;
}

/**
 * A POST whose JSON body is `{ query, variables?, operationName? }` of the expected types and
 * whose client accepts plain JSON: what the fast path answers. Anything else (GET, whose CSRF
 * rules Apollo applies; `extensions`, e.g. persisted queries; batches; other media types) is
 * Apollo's, which checks and answers it as it always did.
 */
function plainQuery(req: express.Request): { query: string; variables: Record<string, unknown> | undefined; operationName: string | undefined } | null {
  if (req.method !== 'POST') return null;
  const accept = req.headers.accept;
  if (accept !== undefined && accept !== '*/*' && accept !== 'application/json') return null;
  const body = req.body as Record<string, unknown> | undefined;
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return null;
  const { query, variables, operationName, extensions } = body;
  if (typeof query !== 'string' || (extensions !== undefined && extensions !== null)) return null;
  if (variables !== undefined && variables !== null && (typeof variables !== 'object' || Array.isArray(variables))) return null;
  if (operationName !== undefined && operationName !== null && typeof operationName !== 'string') return null;
  return { query, variables: (variables ?? undefined) as Record<string, unknown> | undefined, operationName: operationName ?? undefined };
}
