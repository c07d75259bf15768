/**
 * From thrown errors to what clients see. `ArchiveError`s (src/errors.ts) are the caller's to
 * fix: their message goes out with `extensions.code` (and `extensions.field` naming the wrong
 * argument). Errors Apollo/graphql-js raise about the request itself keep their codes. Anything
 * else is our bug or an outage: logged in full, and masked so internals (SQL, paths, stack
 * traces) never reach a client.
 */
import type { GraphQLFormattedError } from 'graphql';
import { GraphQLError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { ArchiveError } from '../errors.js';
import { isNulCharacterError, NUL_CHARACTER_MESSAGE } from '../db/nul-character.js';
import type { Logger } from '../log.js';
import { limitErrorOf, RequestStopped, tokenLimitError } from './limits/errors.js';

const HTTP_STATUS: Record<ArchiveError['code'], number> = {
  BAD_USER_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
};

/**
 * For errors raised outside execution (context creation), where Apollo keeps only a
 * GraphQLError's extensions: the `http.status` makes a bad token a 401, not a 500.
 */
export function toGraphQLError(err: ArchiveError): GraphQLError {
  return new GraphQLError(err.message, {
    extensions: { code: err.code, ...(err.field ? { field: err.field } : {}), http: { status: HTTP_STATUS[err.code] } },
  });
}

export const MASKED_MESSAGE = 'Internal server error: it has been logged; try again, and report it if it persists.';

export function createErrorFormatter(logger: Logger) {
  return function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
    const original = unwrapResolverError(error);
    // A request over one of its limits: the limit's code (Apollo files validation errors
    // under GRAPHQL_VALIDATION_FAILED) and its figures.
    const limit = limitErrorOf(error);
    if (limit) return limit.formatted(formatted.locations);
    if (original instanceof RequestStopped) return { ...original.formatted(), path: formatted.path };
    const tokens = tokenLimitError(formatted);
    if (tokens) return tokens;
    if (original instanceof ArchiveError) {
      return {
        ...formatted,
        message: original.message,
        extensions: { code: original.code, ...(original.field ? { field: original.field } : {}) },
      };
    }
    if (isNulCharacterError(original)) return { ...formatted, message: NUL_CHARACTER_MESSAGE, extensions: { code: 'BAD_USER_INPUT' } };
    const code = formatted.extensions?.code;
    if (typeof code === 'string' && code !== 'INTERNAL_SERVER_ERROR') {
      const { stacktrace: _s, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions };
    }
    logger.error({ err: original, path: formatted.path }, 'unexpected error in GraphQL request');
    return { message: MASKED_MESSAGE, locations: formatted.locations, path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  };
}
