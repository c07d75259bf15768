/**
 * Configuration from the environment, read once at the edge and passed down as a value.
 * Names and defaults are the public contract (shared/CONTRACT.md, "Environment").
 */
import path from 'node:path';

export interface Config {
  /** External PostgreSQL; undefined means the embedded server under `home`. */
  databaseUrl: string | undefined;
  port: number;
  host: string;
  /** Embedded database, admin token, profiles. */
  home: string;
  /** Ingest reads only real paths inside this directory. */
  dataRoot: string;
  /** Bootstrap admin token from the environment, if the operator set one. */
  adminToken: string | undefined;
  /** Token the CLI sends; falls back to `home/admin-token`. */
  cliToken: string | undefined;
  logLevel: string;
  /** Browser origins allowed to call the API cross-origin (exact `scheme://host[:port]`). */
  corsOrigins: string[];
  graphqlLimits: GraphQLLimits;
  /** Base of the absolute URLs the API hands out (download links): ARCHIVE_PUBLIC_URL, else each request's host. */
  publicUrl: string | undefined;
  /** Believe X-Forwarded-Host/-Proto (ARCHIVE_TRUST_PROXY=1): only behind a proxy that sets them. */
  trustProxy: boolean;
  tapLimits: TapLimits;
}

/** What TAP queries may cost (README, "IVOA services"). */
export interface TapLimits {
  /** Rows when the client gives no MAXREC, and the most it may ask for. */
  maxrecDefault: number;
  maxrecLimit: number;
  /** Statement timeout of a /tap/sync query. */
  syncTimeoutMs: number;
  /** An async job's executionDuration when the client asks for none, and the most it may ask for (seconds). */
  asyncDurationDefaultS: number;
  asyncDurationLimitS: number;
  /** How long an async job and its result are kept (seconds): its destruction time, at most this far ahead. */
  retentionS: number;
  /** Async jobs executing at once across all workers. */
  asyncConcurrency: number;
  /** Bytes of rows one read of a result may hold in memory (src/vo/row-budget.ts). */
  maxBatchBytes: number;
  /** Bytes one result may have: a sync answer, an async job's file. */
  maxResultBytes: number;
  /** Bytes all async results kept at once may have (ARCHIVE_HOME/tap-results). */
  resultsMaxBytes: number;
  /** Wall-clock seconds a /tap/sync answer may take, however fast each statement is. */
  syncDurationS: number;
  /** TAP and simple-service queries one process runs at once (the rest wait, then get 503). */
  sessions: number;
  /** How long a query past `sessions` waits for its turn before the 503 (milliseconds). */
  sessionWaitMs: number;
}

/** The limits an async TAP job runs under (the worker's share of TapLimits). */
export type AsyncTapLimits = Pick<TapLimits, 'maxBatchBytes' | 'maxResultBytes' | 'resultsMaxBytes'>;

export const DEFAULT_TAP_LIMITS: TapLimits = {
  maxrecDefault: 10_000,
  maxrecLimit: 1_000_000,
  syncTimeoutMs: 30_000,
  asyncDurationDefaultS: 600,
  asyncDurationLimitS: 3600,
  retentionS: 7 * 24 * 3600,
  asyncConcurrency: 2,
  maxBatchBytes: 64 * 2 ** 20,
  maxResultBytes: 2 * 2 ** 30,
  resultsMaxBytes: 20 * 2 ** 30,
  syncDurationS: 600,
  sessions: 6,
  sessionWaitMs: 10_000,
};

/**
 * What one GraphQL request may cost (README, "GraphQL request limits"). Checked before
 * execution (tokens, depth, aliases, cost) or while it runs (time, answer size).
 */
export interface GraphQLLimits {
  /** Estimated values in the answer: list fields multiply their selection (src/graphql/limits/cost.ts). */
  maxCost: number;
  maxDepth: number;
  maxAliases: number;
  /** Lexical tokens in the document: bounds parse and validation work. */
  maxTokens: number;
  /** Wall-clock budget; its SQL is cancelled when it runs out or the client goes away. */
  timeoutMs: number;
  maxResponseBytes: number;
}

export const DEFAULT_GRAPHQL_LIMITS: GraphQLLimits = {
  maxCost: 500_000,
  maxDepth: 10,
  maxAliases: 15,
  maxTokens: 5_000,
  timeoutMs: 15_000,
  maxResponseBytes: 16 * 1024 * 1024,
};

export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const port = env.PORT === undefined || env.PORT === '' ? 4000 : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT must be an integer from 0 to 65535, got ${JSON.stringify(env.PORT)}`);
  }
  return {
    databaseUrl: nonEmpty(env.DATABASE_URL),
    port,
    host: nonEmpty(env.HOST) ?? '127.0.0.1',
    home: path.resolve(cwd, nonEmpty(env.ARCHIVE_HOME) ?? '.astroarchive'),
    dataRoot: path.resolve(cwd, nonEmpty(env.ARCHIVE_DATA_ROOT) ?? '.'),
    adminToken: nonEmpty(env.ARCHIVE_ADMIN_TOKEN),
    cliToken: nonEmpty(env.ARCHIVE_TOKEN),
    logLevel: nonEmpty(env.LOG_LEVEL) ?? 'info',
    corsOrigins: parseOrigins(env.ARCHIVE_CORS_ORIGINS),
    graphqlLimits: {
      maxCost: positiveInt(env, 'ARCHIVE_GRAPHQL_MAX_COST', DEFAULT_GRAPHQL_LIMITS.maxCost),
      maxDepth: positiveInt(env, 'ARCHIVE_GRAPHQL_MAX_DEPTH', DEFAULT_GRAPHQL_LIMITS.maxDepth),
      maxAliases: positiveInt(env, 'ARCHIVE_GRAPHQL_MAX_ALIASES', DEFAULT_GRAPHQL_LIMITS.maxAliases),
      maxTokens: positiveInt(env, 'ARCHIVE_GRAPHQL_MAX_TOKENS', DEFAULT_GRAPHQL_LIMITS.maxTokens),
      timeoutMs: positiveInt(env, 'ARCHIVE_GRAPHQL_TIMEOUT_MS', DEFAULT_GRAPHQL_LIMITS.timeoutMs),
      maxResponseBytes: positiveInt(env, 'ARCHIVE_GRAPHQL_MAX_RESPONSE_BYTES', DEFAULT_GRAPHQL_LIMITS.maxResponseBytes),
    },
    publicUrl: parsePublicUrl(env.ARCHIVE_PUBLIC_URL),
    trustProxy: /^(1|true|yes)$/i.test(env.ARCHIVE_TRUST_PROXY?.trim() ?? ''),
    tapLimits: {
      maxrecDefault: positiveInt(env, 'ARCHIVE_TAP_MAXREC_DEFAULT', DEFAULT_TAP_LIMITS.maxrecDefault),
      maxrecLimit: positiveInt(env, 'ARCHIVE_TAP_MAXREC_LIMIT', DEFAULT_TAP_LIMITS.maxrecLimit),
      syncTimeoutMs: positiveInt(env, 'ARCHIVE_TAP_SYNC_TIMEOUT_MS', DEFAULT_TAP_LIMITS.syncTimeoutMs),
      asyncDurationDefaultS: positiveInt(env, 'ARCHIVE_TAP_ASYNC_DURATION_S', DEFAULT_TAP_LIMITS.asyncDurationDefaultS),
      asyncDurationLimitS: positiveInt(env, 'ARCHIVE_TAP_ASYNC_DURATION_LIMIT_S', DEFAULT_TAP_LIMITS.asyncDurationLimitS),
      retentionS: positiveInt(env, 'ARCHIVE_TAP_RETENTION_S', DEFAULT_TAP_LIMITS.retentionS),
      asyncConcurrency: positiveInt(env, 'ARCHIVE_TAP_ASYNC_CONCURRENCY', DEFAULT_TAP_LIMITS.asyncConcurrency),
      maxBatchBytes: positiveInt(env, 'ARCHIVE_TAP_MAX_BATCH_BYTES', DEFAULT_TAP_LIMITS.maxBatchBytes),
      maxResultBytes: positiveInt(env, 'ARCHIVE_TAP_MAX_RESULT_BYTES', DEFAULT_TAP_LIMITS.maxResultBytes),
      resultsMaxBytes: positiveInt(env, 'ARCHIVE_TAP_RESULTS_MAX_BYTES', DEFAULT_TAP_LIMITS.resultsMaxBytes),
      syncDurationS: positiveInt(env, 'ARCHIVE_TAP_SYNC_DURATION_S', DEFAULT_TAP_LIMITS.syncDurationS),
      sessions: positiveInt(env, 'ARCHIVE_TAP_SESSIONS', DEFAULT_TAP_LIMITS.sessions),
      sessionWaitMs: positiveInt(env, 'ARCHIVE_TAP_SESSION_WAIT_MS', DEFAULT_TAP_LIMITS.sessionWaitMs),
    },
  };
}

function positiveInt(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = nonEmpty(env[name]);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, got ${JSON.stringify(raw)}`);
  return n;
}

/** Comma-separated origins, compared exactly with the browser's Origin header, so each must be one. */
function parseOrigins(raw: string | undefined): string[] {
  const origins = (raw ?? '').split(',').map((o) => o.trim()).filter(Boolean);
  for (const o of origins) {
    let origin: string | undefined;
    try {
      origin = new URL(o).origin;
    } catch {
      origin = undefined;
    }
    if (origin !== o) {
      throw new Error(`ARCHIVE_CORS_ORIGINS: ${JSON.stringify(o)} is not an origin; write scheme://host[:port] with no path or trailing slash, e.g. https://archive.example.org`);
    }
  }
  return origins;
}

/** An http(s) URL without query or fragment, kept without its trailing slash (paths are appended). */
function parsePublicUrl(raw: string | undefined): string | undefined {
  const v = nonEmpty(raw)?.trim();
  if (v === undefined) return undefined;
  let u: URL | undefined;
  try {
    u = new URL(v);
  } catch {
    u = undefined;
  }
  if (!u || (u.protocol !== 'http:' && u.protocol !== 'https:') || u.search || u.hash || u.username || u.password) {
    throw new Error(`ARCHIVE_PUBLIC_URL: ${JSON.stringify(v)} is not a base URL; write scheme://host[:port][/path], e.g. https://archive.example.org`);
  }
  return u.toString().replace(/\/+$/, '');
}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v.trim() === '' ? undefined : v;
}
