/**
 * Runs once per `vitest run`: finds a PostgreSQL server (DATABASE_URL, or an embedded one in
 * a throw-away ARCHIVE_HOME), migrates a template database, and tells each test file where
 * it is. Each test file then clones the template (test/helpers/db.ts): isolation without
 * paying for migrations per file, as graphile-worker's own test suite does.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbedded, type EmbeddedDatabase } from '../../src/db/embedded.js';
import { connectDatabase } from '../../src/db/client.js';
import { migrate } from '../../src/db/migrate.js';

declare module 'vitest' {
  export interface ProvidedContext {
    templateUrl: string;
    serverUrl: string;
  }
}

const TEMPLATE = `astroarchive_template_${process.pid}`;

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let embedded: EmbeddedDatabase | undefined;
  let home: string | undefined;
  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'astroarchive-test-'));
    embedded = await startEmbedded(home);
    serverUrl = embedded.url;
  }
  const admin = connectDatabase(serverUrl, { poolSize: 1 });
  await admin.pool.query(`DROP DATABASE IF EXISTS ${TEMPLATE}`);
  await admin.pool.query(`CREATE DATABASE ${TEMPLATE}`);
  const templateUrl = withDatabase(serverUrl, TEMPLATE);
  const template = connectDatabase(templateUrl, { poolSize: 2 });
  await migrate(template.pool);
  await template.close();
  project.provide('templateUrl', templateUrl);
  project.provide('serverUrl', serverUrl);
  return async () => {
    // Clones made by test files are dropped by the files themselves; the template is ours.
    const left = await admin.pool.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE $1`,
      [`${TEMPLATE}%`],
    );
    for (const { datname } of left.rows) await admin.pool.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    await admin.close();
    await embedded?.stop();
    if (home) fs.rmSync(home, { recursive: true, force: true });
  };
}

export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}
