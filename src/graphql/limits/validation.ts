/**
 * Depth, alias and directive limits: graphql-armor's validation rules (maintained, and they
 * follow fragments), run once per distinct document (Apollo caches validated documents).
 * Armor reports "Syntax Error: Query depth limit of 10 exceeded, found 42."; we re-report it
 * as a QueryLimitError so the client gets the limit's name and figures in `extensions`.
 */
import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { GraphQLError, ValidationContext, ValidationRule } from 'graphql';
import type { GraphQLLimits } from '../../config.js';
import { QueryLimitError, type LimitName } from './errors.js';

const FIGURES = /limit of (\d+) exceeded, found (\d+)/;

const MESSAGES: Record<string, (actual: string, max: number) => string> = {
  depth: (actual, max) => `query depth ${actual} exceeds the limit of ${max}: select fewer nested levels`,
  aliases: (actual, max) => `query has ${actual} aliases, over the limit of ${max}: send fewer aliased fields in one request`,
  directives: (actual, max) => `query has ${actual} directives, over the limit of ${max}: use fewer directives`,
};

function reporter(limit: LimitName, max: number) {
  return (ctx: ValidationContext | null, err: GraphQLError) => {
    const m = FIGURES.exec(err.message);
    const actual = m ? Number(m[2]) : null;
    ctx?.reportError(new QueryLimitError(limit, max, actual, MESSAGES[limit](actual === null ? 'more' : String(actual), max)));
  };
}

/** A maximum of 50 directives per operation is armor's default; nothing here needs more. */
const MAX_DIRECTIVES = 50;

export function armorValidationRules(limits: GraphQLLimits): ValidationRule[] {
  const rule = (limit: LimitName, n: number) => ({ n, propagateOnRejection: false, onReject: [reporter(limit, n)] });
  const { validationRules } = new ApolloArmor({
    maxDepth: rule('depth', limits.maxDepth),
    maxAliases: rule('aliases', limits.maxAliases),
    maxDirectives: rule('directives', MAX_DIRECTIVES),
    // Tokens: graphql-js counts them while it parses (ParseOptions.maxTokens), without armor's
    // second parse. Cost: ours needs the request's variables (./cost.ts).
    maxTokens: { enabled: false },
    costLimit: { enabled: false },
    blockFieldSuggestion: { enabled: false },
  }).protect();
  return validationRules;
}
