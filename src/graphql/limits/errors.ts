/**
 * The errors a request gets when it hits one of the published limits (README, "GraphQL
 * request limits"). Each says which limit, its value and how far the request went over, in
 * the message and in `extensions` ({ code, limit, max, actual }), so a client can react
 * without parsing text.
 */
import { GraphQLError, type GraphQLFormattedError } from 'graphql';

export type LimitName = 'cost' | 'depth' | 'aliases' | 'directives' | 'tokens' | 'timeoutMs' | 'responseBytes';

/** A request refused before execution (400): too costly, too deep, too many aliases or tokens. */
export const TOO_COMPLEX = 'QUERY_TOO_COMPLEX';
/** A request stopped at its deadline (503); its SQL was cancelled. */
export const TIMEOUT = 'REQUEST_TIMEOUT';
/** An answer larger than the cap, replaced by this error. */
export const TOO_LARGE = 'RESPONSE_TOO_LARGE';

export class QueryLimitError extends GraphQLError {
  constructor(
    readonly limit: LimitName,
    readonly max: number,
    readonly actual: number | null,
    message: string,
  ) {
    super(message, { extensions: { code: TOO_COMPLEX, limit, max, ...(actual === null ? {} : { actual }), http: { status: 400 } } });
  }

  /** What the client sees: the message and the limit's figures. */
  formatted(locations?: GraphQLFormattedError['locations']): GraphQLFormattedError {
    const { http: _http, ...extensions } = this.extensions;
    return { message: this.message, ...(locations ? { locations } : {}), extensions };
  }
}

/**
 * Why a request's remaining work was stopped. It becomes the abort reason of the request's
 * signal, so statements refused or cancelled because of it fail with this error, not with
 * PostgreSQL's "canceling statement due to user request".
 */
export class RequestStopped extends Error {
  constructor(
    readonly kind: 'timeout' | 'disconnect',
    readonly limitMs: number,
    readonly elapsedMs: number,
  ) {
    super(
      kind === 'timeout'
        ? `request took longer than the limit of ${limitMs} ms and was stopped (its database statements were cancelled): ask for less, e.g. lower \`first\` or select fewer nested lists`
        : 'the client closed the connection; the request was stopped',
    );
  }

  formatted(): GraphQLFormattedError {
    // Nobody reads a disconnected client's answer; the code says what happened in logs and tests.
    if (this.kind === 'disconnect') return { message: this.message, extensions: { code: 'CLIENT_CLOSED_REQUEST' } };
    return { message: this.message, extensions: { code: TIMEOUT, limit: 'timeoutMs', max: this.limitMs, actual: Math.round(this.elapsedMs) } };
  }
}

/**
 * The limit error behind `error`: thrown as is (didResolveOperation) or wrapped by Apollo
 * (validation errors; and any error when Apollo's graphql-js is another copy than ours).
 */
export function limitErrorOf(error: unknown): QueryLimitError | null {
  if (error instanceof QueryLimitError) return error;
  // Apollo's wrapper may be another copy's GraphQLError: look for the property, not the class.
  const original = (error as { originalError?: unknown } | null)?.originalError;
  return original instanceof QueryLimitError ? original : null;
}

// graphql-js's own token limit (ParseOptions.maxTokens) aborts the parse with this message
// (16.x writes "more that"; a later fix of the typo must not break the mapping).
const TOKENS = /^Syntax Error: Document contains more tha[nt] (\d+) tokens/;

/** graphql-js's token-limit parse error, in the shape of the other limit errors; else null. */
export function tokenLimitError(formatted: GraphQLFormattedError): GraphQLFormattedError | null {
  const m = TOKENS.exec(formatted.message);
  if (!m) return null;
  const max = Number(m[1]);
  return {
    message: `query has more than ${max} tokens, the limit: send a smaller document (fewer fields, aliases or fragments)`,
    extensions: { code: TOO_COMPLEX, limit: 'tokens', max },
  };
}
