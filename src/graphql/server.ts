/**
 * The Apollo server: the contract schema, our resolvers, error masking, request limits
 * (./limits: tokens, depth, aliases, cost, deadline, answer size) and measurement.
 * Shared by the HTTP app and by tests (`server.executeOperation(..., { contextValue })`), so
 * tests exercise the same error formatting and plugins that clients get. The HTTP route runs
 * plain queries through compiled queries first (./fast-path.ts, `fastPathOf`), with the same
 * plugins, limits and error formatting as here.
 */
import { ApolloServer } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { DEFAULT_GRAPHQL_LIMITS, type GraphQLLimits } from '../config.js';
import type { Logger } from '../log.js';
import type { GraphQLContext } from './context.js';
import { createErrorFormatter } from './errors.js';
import { FastPath } from './fast-path.js';
import { limitOptions } from './limits/index.js';
import { measurementPlugin } from './plugins.js';
import { resolvers } from './resolvers/index.js';
import { loadTypeDefs } from './schema.js';

const fastPaths = new WeakMap<ApolloServer<GraphQLContext>, FastPath<GraphQLContext>>();

/** The compiled-query path that answers this server's plain queries over HTTP (./fast-path.ts). */
export function fastPathOf(server: ApolloServer<GraphQLContext>): FastPath<GraphQLContext> | undefined {
  return fastPaths.get(server);
}

export function createApolloServer(opts: { logger: Logger; limits?: GraphQLLimits }): ApolloServer<GraphQLContext> {
  const limits = limitOptions(opts.limits ?? DEFAULT_GRAPHQL_LIMITS, opts.logger);
  const formatError = createErrorFormatter(opts.logger);
  // The request plugins both paths run; Apollo's built-in ones below are all switched off.
  const requestPlugins = [...limits.plugins, measurementPlugin()];
  const fast = new FastPath<GraphQLContext>({
    parseOptions: limits.parseOptions,
    validationRules: limits.validationRules,
    plugins: requestPlugins,
    formatError,
    stringifyResult: limits.stringifyResult,
  });
  const server = new ApolloServer<GraphQLContext>({
    typeDefs: loadTypeDefs(),
    resolvers,
    formatError,
    includeStacktraceInErrorResponses: false,
    introspection: true,
    // The CLI owns SIGINT/SIGTERM and stops the HTTP server, worker and database in order;
    // Apollo's own handler would re-raise the signal mid-shutdown and kill the process.
    stopOnTerminationSignals: false,
    // A GET/POST without a JSON content type or a custom header can't reach us from a
    // browser form or <img>: no cross-site request can run a mutation with a victim's cookies.
    csrfPrevention: true,
    parseOptions: limits.parseOptions,
    validationRules: limits.validationRules,
    stringifyResult: limits.stringifyResult,
    // Our own /graphiql serves the explorer offline; Apollo's landing page loads from a CDN.
    // Cache control (on by default) wraps every field resolver of the schema to compute cache
    // hints nobody reads (answers are not cached): a function call and an object per field.
    // Inline tracing does the same per field when asked. Metrics are per operation (plugins.ts).
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginInlineTraceDisabled(),
      ...requestPlugins,
      fast.plugin(),
    ],
    logger: opts.logger,
  });
  fastPaths.set(server, fast);
  return server;
}
