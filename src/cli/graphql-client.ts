/**
 * The CLI talks to the archive only through its public GraphQL API, like any other client,
 * so what the CLI can do a script can do too.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.js';

export class GraphQLRequestError extends Error {
  constructor(
    message: string,
    readonly code?: string,
    /** The first error's `extensions` (e.g. where a pending profile will appear). */
    readonly extensions?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export interface GraphQLClient {
  url: string;
  request<T>(query: string, variables?: Record<string, unknown>): Promise<T>;
}

export function createGraphQLClient(url: string, token: string | undefined): GraphQLClient {
  return {
    url,
    async request<T>(query: string, variables?: Record<string, unknown>): Promise<T> {
      let res: Response;
      try {
        res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
          body: JSON.stringify({ query, variables }),
        });
      } catch (err) {
        throw new GraphQLRequestError(`cannot reach the archive at ${url}: ${(err as Error & { cause?: Error }).cause?.message ?? (err as Error).message} (is \`astroarchive start\` running? --url sets the address)`, 'UNREACHABLE');
      }
      let body: { data?: T; errors?: Array<{ message: string; extensions?: { code?: string } & Record<string, unknown> }> };
      try {
        body = (await res.json()) as typeof body;
      } catch {
        throw new GraphQLRequestError(`the archive at ${url} answered HTTP ${res.status} without a GraphQL response`, 'BAD_RESPONSE');
      }
      if (body.errors?.length) {
        const first = body.errors[0];
        throw new GraphQLRequestError(body.errors.map((e) => `${e.extensions?.code ? `${e.extensions.code}: ` : ''}${e.message}`).join('\n'), first.extensions?.code, first.extensions);
      }
      return body.data as T;
    },
  };
}

/** The token the CLI sends: ARCHIVE_TOKEN, else the admin token file in ARCHIVE_HOME. */
export function cliToken(config: Config): string | undefined {
  return cliCredentials(config).token;
}

export interface CliCredentials {
  token: string | undefined;
  /** The admin token file the CLI reads when ARCHIVE_TOKEN is not set. */
  file: string;
  /** Which token was sent, for a refusal's message: the first thing to check. */
  sent: string;
}

export function cliCredentials(config: Config): CliCredentials {
  const file = path.join(config.home, 'admin-token');
  if (config.cliToken) return { token: config.cliToken, file, sent: 'the CLI sent the token in ARCHIVE_TOKEN' };
  let token: string | undefined;
  try {
    token = fs.readFileSync(file, 'utf8').trim() || undefined;
  } catch {
    token = undefined;
  }
  return { token, file, sent: `the CLI sent the admin token from ${file} (ARCHIVE_TOKEN sends another)` };
}

export function defaultGraphQLUrl(config: Config): string {
  const host = config.host === '0.0.0.0' ? '127.0.0.1' : config.host === '::' ? '[::1]' : config.host.includes(':') ? `[${config.host}]` : config.host;
  return `http://${host}:${config.port}/graphql`;
}
