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
}

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
  };
}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v.trim() === '' ? undefined : v;
}
