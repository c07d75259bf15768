/**
 * Who is running a SQL statement. Every statement goes through the instrumented pool
 * (src/db/pool.ts), which asks this module for the current scope: the metric label
 * (`graphql`, `ingest`, `other`) and, when someone is counting (a GraphQL request, an
 * ingest batch), the counter to bump. AsyncLocalStorage carries the scope through awaits,
 * so no function signature has to pass it along.
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

export function currentQueryScope(): QueryScope | undefined {
  return storage.getStore();
}

/** Run `fn` with a fresh counting scope; the scope object is returned alongside. */
export async function withQueryScope<T>(
  origin: QueryOrigin,
  fn: (scope: QueryScope) => Promise<T>,
): Promise<T> {
  const scope: QueryScope = { origin, queries: 0 };
  return storage.run(scope, () => fn(scope));
}

/** Run `fn` inside an existing scope (e.g. a request's scope created by middleware). */
export function runInQueryScope<T>(scope: QueryScope, fn: () => T): T {
  return storage.run(scope, fn);
}
