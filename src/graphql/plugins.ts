/**
 * Apollo plugins for measuring requests from inside:
 * - every request observes astroarchive_graphql_request_duration_seconds{operation}, with a
 *   bounded set of label values (src/monitor/metrics.ts, boundedLabel);
 * - a request sent with `x-astroarchive-trace: 1` (context.trace) gets `extensions.sqlQueries`
 *   (statements counted by the request's query scope), `extensions.durationMs` and
 *   `extensions.dataloaderBatches`, so a client can see what its query cost.
 * It also hands the loaders the fields the operation selects (src/graphql/selection.ts).
 */
import { performance } from 'node:perf_hooks';
import type { ApolloServerPlugin } from '@apollo/server';
import { boundedLabel, graphqlRequestSeconds } from '../monitor/metrics.js';
import type { GraphQLContext } from './context.js';
import { selectedFields } from './selection.js';

/** Distinct operation names that get a series of their own; later ones are `other`. */
export const MAX_OPERATION_LABELS = 100;
const boundedOperation = boundedLabel(MAX_OPERATION_LABELS);

/** Operation names are client-chosen: GraphQL's name syntax, 64 characters, 100 distinct values. */
function operationLabel(name: string | null | undefined): string {
  return name && /^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(name) ? boundedOperation(name) : 'anonymous';
}

export function measurementPlugin(): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart() {
      return {
        // The loaders read this to select only the columns the operation's fields need.
        async executionDidStart({ contextValue, schema, document, operationName }) {
          contextValue.selection.fields = selectedFields(schema, document, operationName ?? undefined);
        },
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
