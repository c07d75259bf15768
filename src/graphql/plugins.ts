/**
 * Apollo plugins for measuring requests from inside:
 * - every request observes astroarchive_graphql_request_duration_seconds{operation};
 * - a request sent with `x-astroarchive-trace: 1` (context.trace) gets `extensions.sqlQueries`
 *   (statements counted by the request's query scope), `extensions.durationMs` and
 *   `extensions.dataloaderBatches`, so a client can see what its query cost.
 */
import { performance } from 'node:perf_hooks';
import type { ApolloServerPlugin } from '@apollo/server';
import { graphqlRequestSeconds } from '../monitor/metrics.js';
import type { GraphQLContext } from './context.js';

/** Operation names are client-chosen: keep the label to GraphQL's name syntax, bounded. */
function operationLabel(name: string | null | undefined): string {
  return name && /^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(name) ? name : 'anonymous';
}

export function measurementPlugin(): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue: ctx, operationName, response }) {
          const ms = performance.now() - ctx.startedAt;
          graphqlRequestSeconds.observe({ operation: operationLabel(operationName) }, ms / 1000);
          if (ctx.trace && response.body.kind === 'single') {
            const result = response.body.singleResult;
            result.extensions = {
              ...result.extensions,
              sqlQueries: ctx.scope.queries,
              durationMs: Math.round(ms * 1000) / 1000,
              dataloaderBatches: ctx.loaders.stats.total,
            };
          }
        },
      };
    },
  };
}
