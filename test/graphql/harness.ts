/**
 * Runs operations through the real Apollo server (schema, resolvers, error formatting,
 * plugins) with a context built the way the HTTP layer builds it, inside a counting query
 * scope so tests can pin statement counts.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Viewer } from '../../src/auth/tokens.js';
import { loadConfig, type Config } from '../../src/config.js';
import type { Database } from '../../src/db/client.js';
import { createContext } from '../../src/graphql/context.js';
import { createApolloServer } from '../../src/graphql/server.js';
import { createLogger } from '../../src/log.js';
import { withQueryScope } from '../../src/monitor/query-scope.js';

export interface ExecResult {
  data: any;
  errors: { message: string; extensions?: Record<string, unknown>; path?: unknown }[] | undefined;
  extensions: Record<string, unknown> | undefined;
  /** SQL statements the operation ran. */
  queries: number;
}

export function testConfig(): Config {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'aa-gql-'));
  return loadConfig({ ARCHIVE_HOME: home, ARCHIVE_DATA_ROOT: home }, home);
}

export function createHarness(database: Database, config: Config = testConfig()) {
  const server = createApolloServer({ logger: createLogger('silent') });
  return {
    server,
    config,
    async exec(query: string, variables: Record<string, unknown> = {}, viewer: Viewer | null = null, trace = false): Promise<ExecResult> {
      return withQueryScope('graphql', async (scope) => {
        const contextValue = createContext({ database, config, viewer, scope, trace });
        const response = await server.executeOperation({ query, variables }, { contextValue });
        if (response.body.kind !== 'single') throw new Error('expected a single result');
        const r = response.body.singleResult;
        return { data: r.data, errors: r.errors as ExecResult['errors'], extensions: r.extensions, queries: scope.queries };
      });
    },
  };
}

export const ADMIN: Viewer = { tokenId: 1, tokenName: 'test admin', role: 'admin' };
export const INGEST: Viewer = { tokenId: 2, tokenName: 'test ingest', role: 'ingest' };

export function codes(r: ExecResult): unknown[] {
  return (r.errors ?? []).map((e) => e.extensions?.code);
}

/** release -> a page of files -> hdus with header cards, issues, record -> source: a legitimate nested query. */
export const NESTED_QUERY = `query Nested($id: ID!, $first: Int!) {
  release(id: $id) {
    name
    files(first: $first) {
      totalCount
      edges { node { path hdus { index header { keyword value } } issues { code } record { center { ra } source { name } } } }
    }
  }
}`;
