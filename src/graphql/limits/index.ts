/**
 * Everything that bounds one GraphQL request, as Apollo server options (README, "GraphQL
 * request limits"): before execution the token limit (graphql-js, while parsing), depth,
 * alias and directive limits (graphql-armor, validation) and the cost limit (per request,
 * with its variables); during execution the deadline (the HTTP layer's signal, see
 * ./deadline.ts); at the end the response-size cap.
 */
import type { ApolloServerOptions, ApolloServerPlugin } from '@apollo/server';
import type { GraphQLLimits } from '../../config.js';
import type { Logger } from '../../log.js';
import { costLimitPlugin } from './cost.js';
import { selfBoundedPlugin } from './deadline.js';
import { cappedStringify } from './response-size.js';
import { limitStatusPlugin } from './status.js';
import { armorValidationRules } from './validation.js';

export function limitOptions(limits: GraphQLLimits, logger: Logger) {
  return {
    parseOptions: { maxTokens: limits.maxTokens },
    validationRules: armorValidationRules(limits),
    plugins: [costLimitPlugin(limits.maxCost), selfBoundedPlugin(), limitStatusPlugin(logger)] as ApolloServerPlugin<any>[],
    stringifyResult: cappedStringify(limits.maxResponseBytes),
  } satisfies Partial<ApolloServerOptions<any>>;
}
