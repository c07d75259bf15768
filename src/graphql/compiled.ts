/**
 * Queries compiled once per query text (graphql-jit), for the HTTP route's fast path
 * (src/graphql/fast-path.ts). graphql-js's executor interprets the document for every
 * request and every field (collecting fields, coercing arguments, checking types); the
 * compiled query is a JavaScript function per operation, generated once, that V8 then
 * optimises. On the API bench that per-field work, and the garbage it made, was most of our
 * CPU (README, "API benchmark").
 *
 * A text is compiled only once it has passed what Apollo would check first: the parse with
 * the token limit, graphql-js's validation rules and our depth/alias/directive rules. A text
 * that fails any of them, a mutation or subscription, or an introspection query is marked
 * `apollo`: the route hands those requests to Apollo, which answers them as it always did
 * (its error format, its status codes). Bounded: the oldest text goes first.
 */
import { createRequire } from 'node:module';
import type { DocumentNode, ExecutionResult, GraphQLSchema, OperationDefinitionNode, ParseOptions, ValidationRule } from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';

// graphql-js as Apollo and graphql-jit load it (its CommonJS build: the package has no
// `exports`, so Node's `import` and `require` give that same copy). A bundler or test runner
// may hand our own `import 'graphql'` its ESM build instead, a second copy whose validate()
// refuses a schema built by the first.
const { getOperationAST, parse, specifiedRules, validate } = createRequire(import.meta.url)('graphql') as typeof import('graphql');

export interface CompiledOperation {
  document: DocumentNode;
  operation: OperationDefinitionNode;
  /** The operation's name, as Apollo reports it to plugins (null when anonymous). */
  operationName: string | null;
  compiled: CompiledQuery;
}

/** Distinct query texts kept (each with its compiled operations). */
const MAX_TEXTS = 200;
/** Longer texts are left to Apollo: a cache entry per huge one-off document is not worth it. */
const MAX_TEXT_LENGTH = 20_000;
/** Operations compiled per text: a document is one text, so this is a guard. */
const MAX_OPERATIONS = 20;

type Entry = { document: DocumentNode; operations: Map<string, CompiledOperation | null> } | null;

export class CompiledQueries {
  private readonly texts = new Map<string, Entry>();
  private readonly rules: readonly ValidationRule[];

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly parseOptions: ParseOptions,
    validationRules: readonly ValidationRule[],
  ) {
    this.rules = [...specifiedRules, ...validationRules];
  }

  /** The compiled operation for this text and operation name, or null: let Apollo answer. */
  get(text: string, operationName: string | undefined): CompiledOperation | null {
    if (text.length > MAX_TEXT_LENGTH) return null;
    let entry = this.texts.get(text);
    if (entry === undefined) {
      entry = this.prepare(text);
      if (this.texts.size >= MAX_TEXTS) this.texts.delete(this.texts.keys().next().value!);
      this.texts.set(text, entry);
    }
    if (entry === null) return null;
    const key = operationName ?? '';
    let op = entry.operations.get(key);
    if (op === undefined) {
      op = this.compile(entry.document, operationName);
      if (entry.operations.size >= MAX_OPERATIONS) entry.operations.clear();
      entry.operations.set(key, op);
    }
    return op;
  }

  /** The parsed, valid document, or null when Apollo must answer (with the error it finds). */
  private prepare(text: string): Entry {
    let document: DocumentNode;
    try {
      document = parse(text, this.parseOptions);
    } catch {
      return null;
    }
    if (validate(this.schema, document, this.rules).length > 0) return null;
    return { document, operations: new Map() };
  }

  private compile(document: DocumentNode, operationName: string | undefined): CompiledOperation | null {
    const operation = getOperationAST(document, operationName);
    // Mutations (rare, some self-bounded: src/graphql/limits/deadline.ts) stay with Apollo.
    if (!operation || operation.operation !== 'query') return null;
    // Introspection (GraphiQL's schema load) is rare and answered by graphql-js as it was.
    const introspects = operation.selectionSet.selections.some((s) => s.kind !== 'Field' || (s.name.value.startsWith('__') && s.name.value !== '__typename'));
    if (introspects) return null;
    let compiled: CompiledQuery | ExecutionResult;
    try {
      compiled = compileQuery(this.schema, document, operationName);
    } catch {
      return null; // a document the compiler does not handle: graphql-js runs it, as before
    }
    if (!isCompiledQuery(compiled)) return null;
    return { document, operation, operationName: operation.name?.value ?? null, compiled };
  }
}
