/**
 * The fast path of POST /graphql: a query whose text was already parsed, validated and
 * compiled (./compiled.ts) runs as its compiled function, with the same Apollo plugins' hooks
 * Apollo would call (the cost limit, the limit statuses, the measurement plugin: so the
 * limits, metrics and trace extensions stay exactly as they are), the same error formatting
 * (`formatError`, and Apollo's normalisation before it) and the same serialisation (the
 * answer-size cap). What it leaves out is Apollo's per-request machinery: its request
 * pipeline's dozen awaited hooks, the re-validation lookups and graphql-js's interpreter.
 *
 * Anything else is not answered here (`execute` returns null) and goes to Apollo untouched:
 * a text that fails to parse or validate, a mutation, introspection, a plugin refusing the
 * operation (e.g. over the cost limit), variables that do not fit the operation: Apollo then
 * answers with its own errors and status codes, and nothing has run yet.
 */
import { HeaderMap, type ApolloServerPlugin, type BaseContext, type GraphQLRequestContext, type GraphQLRequestListener } from '@apollo/server';
import { GraphQLError, type FormattedExecutionResult, type GraphQLFormattedError, type GraphQLSchema, type ParseOptions, type ValidationRule } from 'graphql';
import { CompiledQueries } from './compiled.js';

export interface FastPathOptions<C extends BaseContext> {
  parseOptions: ParseOptions;
  validationRules: readonly ValidationRule[];
  /** The plugins whose request hooks run here too (not Apollo's built-in ones). */
  plugins: ApolloServerPlugin<C>[];
  formatError: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;
  stringifyResult: (value: FormattedExecutionResult) => string;
}

export interface GraphQLHttpRequest {
  query: string;
  variables: Record<string, unknown> | undefined;
  operationName: string | undefined;
  /** Apollo's view of the HTTP request, as plugins see it. */
  http: { method: string; headers: HeaderMap; search: string; body: unknown };
}

export interface FastAnswer {
  status: number;
  headers: HeaderMap;
  body: string;
}

/** What Apollo writes for a single JSON result (its MEDIA_TYPES.APPLICATION_JSON). */
const JSON_TYPE = 'application/json; charset=utf-8';

export class FastPath<C extends BaseContext> {
  private queries: CompiledQueries | undefined;
  private schema: GraphQLSchema | undefined;
  /** Requests answered here (the rest went to Apollo): for tests and profiles. */
  answered = 0;

  constructor(private readonly opts: FastPathOptions<C>) {}

  /** Added to Apollo's plugins: hands us the schema Apollo built, once it starts. */
  plugin(): ApolloServerPlugin<C> {
    return {
      serverWillStart: async ({ schema }) => {
        this.useSchema(schema);
      },
    };
  }

  useSchema(schema: GraphQLSchema): void {
    this.schema = schema;
    this.queries = new CompiledQueries(schema, this.opts.parseOptions, this.opts.validationRules);
  }

  /** The answer, or null when Apollo must answer this request (see the top of this file). */
  async execute(request: GraphQLHttpRequest, contextValue: C): Promise<FastAnswer | null> {
    const op = this.queries?.get(request.query, request.operationName);
    if (!op) return null;
    const http = { status: undefined as number | undefined, headers: new HeaderMap() };
    const rc = {
      contextValue,
      schema: this.schema,
      document: op.document,
      operation: op.operation,
      operationName: op.operationName,
      request: { query: request.query, variables: request.variables, operationName: request.operationName, http: request.http },
      response: { http, body: undefined as unknown },
      metrics: {},
    } as unknown as GraphQLRequestContext<C>;
    const listeners: GraphQLRequestListener<C>[] = [];
    for (const p of this.opts.plugins) {
      const l = await p.requestDidStart?.(rc);
      if (l) listeners.push(l);
    }
    try {
      for (const l of listeners) await l.didResolveOperation?.(rc as never);
    } catch {
      return null; // refused before execution: Apollo reports it in its own words
    }
    for (const l of listeners) await l.executionDidStart?.(rc as never);
    const result = await op.compiled.query(undefined, contextValue, request.variables ?? {});
    // No data at all: a request error (variables that do not coerce), raised before any resolver ran.
    if (result.data === undefined) return null;
    let errors: GraphQLFormattedError[] | undefined;
    if (result.errors?.length) errors = result.errors.map((e) => this.format(e, http));
    rc.response.body = { kind: 'single', singleResult: { data: result.data, errors } };
    for (const l of listeners) await l.willSendResponse?.(rc as never);
    const body = rc.response.body;
    if (body.kind !== 'single') throw new Error('a plugin changed the answer into an incremental one');
    const single = body.singleResult;
    if (!http.headers.get('content-type')) http.headers.set('content-type', JSON_TYPE);
    // Apollo's field order: errors, data, extensions.
    const text = this.opts.stringifyResult({ errors: single.errors, data: single.data, extensions: single.extensions });
    this.answered++;
    return { status: http.status ?? 200, headers: http.headers, body: text };
  }

  /** Apollo's normalisation (errorNormalize.ts: code defaults to INTERNAL_SERVER_ERROR, extensions.http to the answer's head), then formatError. */
  private format(error: GraphQLError, head: { status: number | undefined; headers: HeaderMap }): GraphQLFormattedError {
    try {
      const extensions: Record<string, unknown> = { ...error.extensions, code: error.extensions?.code ?? 'INTERNAL_SERVER_ERROR' };
      const h = extensions.http as { status?: unknown; headers?: unknown } | undefined;
      if (h && typeof h === 'object' && (h.status === undefined || typeof h.status === 'number') && (h.headers === undefined || h.headers instanceof Map)) {
        if (h.status) head.status = h.status as number;
        if (h.headers) for (const [k, v] of h.headers as Map<string, string>) head.headers.set(k, v);
        delete extensions.http;
      }
      return this.opts.formatError({ ...error.toJSON(), extensions }, error);
    } catch {
      return { message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } };
    }
  }
}
