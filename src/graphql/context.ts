/**
 * Everything a resolver may use for one request. Built by the HTTP layer per request (and by
 * tests directly): the caller (resolved from the bearer token before execution), a fresh set
 * of loaders, and the request's query scope so the trace extension can report its statements.
 */
import { performance } from 'node:perf_hooks';
import { drizzle } from 'drizzle-orm/node-postgres';
import type { Viewer } from '../auth/tokens.js';
import type { Config } from '../config.js';
import type { Database, Db } from '../db/client.js';
import { scopedPool } from '../db/pool.js';
import * as schema from '../db/schema.js';
import { createLoaders, type Loaders } from '../loaders/index.js';
import type { QueryScope } from '../monitor/query-scope.js';
import { publicBaseUrl } from '../http/public-url.js';
import type { SelectedFields } from './selection.js';

export interface GraphQLContext {
  viewer: Viewer | null;
  loaders: Loaders;
  database: Database;
  config: Config;
  /** Counts the request's SQL statements (src/monitor/query-scope.ts). */
  scope: QueryScope;
  /** performance.now() when the request arrived. */
  startedAt: number;
  /** The client asked for `x-astroarchive-trace: 1`. */
  trace: boolean;
  /** Lets a self-bounded operation outlast the request deadline (src/graphql/limits/deadline.ts). */
  liftDeadline: () => void;
  /**
   * The fields the operation selects, set when execution starts (plugins.ts); the loaders
   * narrow their columns to them. A holder, shared by reference: Apollo may copy the context.
   */
  selection: { fields?: SelectedFields };
  /** Where the archive is reached, for absolute links (src/http/public-url.ts), e.g. https://archive.example.org */
  publicBase: string;
}

export function createContext(opts: {
  database: Database;
  config: Config;
  viewer: Viewer | null;
  scope?: QueryScope;
  trace?: boolean;
  startedAt?: number;
  liftDeadline?: () => void;
  publicBase?: string;
}): GraphQLContext {
  const scope = opts.scope ?? { origin: 'graphql', queries: 0 };
  const database = scopedDatabase(opts.database, scope);
  const selection: GraphQLContext['selection'] = {};
  return {
    viewer: opts.viewer,
    loaders: createLoaders(database, undefined, () => selection.fields),
    selection,
    database,
    config: opts.config,
    scope,
    startedAt: opts.startedAt ?? performance.now(),
    trace: opts.trace ?? false,
    liftDeadline: opts.liftDeadline ?? (() => {}),
    publicBase: opts.publicBase ?? publicBaseUrl(undefined, opts.config),
  };
}

/**
 * `database` whose statements belong to `scope` (src/db/pool.ts scopedPool): everything a
 * request runs, loaders and resolvers alike, is counted and stopped through its context, with
 * no AsyncLocalStorage. The drizzle handle is made on first use (few resolvers need one).
 */
export function scopedDatabase(database: Database, scope: QueryScope): Database {
  const pool = scopedPool(database.pool, scope);
  let db: Db | undefined;
  return {
    url: database.url,
    embedded: database.embedded,
    pool,
    get db() {
      return (db ??= drizzle(pool, { schema }));
    },
    close: () => database.close(),
  };
}
