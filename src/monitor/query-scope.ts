/**
 * Who is running a SQL statement. Every statement goes through the instrumented pool
 * (src/db/pool.ts), which asks this module for the current scope: the metric label
 * (`graphql`, `ingest`, `other`) and, when someone is counting (a GraphQL request, an
 * ingest batch), the counter to bump.
 *
 * Two ways to carry a scope. Ingest uses AsyncLocalStorage (`withQueryScope`): it carries the
 * scope through awaits, so no function signature has to pass it along. The GraphQL API does
 * not: on Node 20, once an AsyncLocalStorage is entered, async_hooks' promise hooks run on
 * every promise the process makes, and a GraphQL answer makes thousands. A request passes its
 * scope explicitly instead (src/db/pool.ts `scopedDatabase`, through the GraphQL context to
 * the loaders), so the `serve` process never enables the hooks at all.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export type QueryOrigin = 'graphql' | 'ingest' | 'other';

export interface QueryScope {
  origin: QueryOrigin;
  /** Statements run inside this scope so far. */
  queries: number;
  /**
   * Aborted when the work this scope belongs to must stop (a GraphQL request past its deadline,
   * or whose client went away): the pool then refuses new statements and cancels running ones.
   */
  signal?: AbortSignal;
}

const storage = new AsyncLocalStorage<QueryScope>();
/** Set by the first `withQueryScope`: until then no statement can be in an implicit scope. */
let implicitScopesUsed = false;

export function currentQueryScope(): QueryScope | undefined {
  return implicitScopesUsed ? storage.getStore() : undefined;
}

/** Whether any implicit (AsyncLocalStorage) scope was ever entered in this process. */
export function implicitScopesInUse(): boolean {
  return implicitScopesUsed;
}

/** Run `fn` with a fresh counting scope; the scope object is returned alongside. */
export async function withQueryScope<T>(
  origin: QueryOrigin,
  fn: (scope: QueryScope) => Promise<T>,
): Promise<T> {
  const scope: QueryScope = { origin, queries: 0 };
  implicitScopesUsed = true;
  return storage.run(scope, () => fn(scope));
}

/** Run `fn` inside an existing scope, implicitly (the API passes its scope explicitly instead). */
export function runInQueryScope<T>(scope: QueryScope, fn: () => T): T {
  implicitScopesUsed = true;
  return storage.run(scope, fn);
}
