/**
 * The setup the auth tests share: a test database, the real HTTP app on a loopback port and
 * an admin token minted for the test. Call at the top of a file; fields fill in beforeAll.
 */
import fs from 'node:fs';
import { afterAll, beforeAll } from 'vitest';
import { createToken } from '../../src/auth/tokens.js';
import { loadConfig } from '../../src/config.js';
import type { Database } from '../../src/db/client.js';
import { createTestDatabase } from '../helpers/db.js';
import { serveApp, type ServedApp } from '../helpers/http-app.js';
import { tempDir } from '../helpers/ingest.js';

export interface ServedArchive {
  database: Database;
  served: ServedApp;
  /** ARCHIVE_HOME and ARCHIVE_DATA_ROOT. */
  root: string;
  /** An admin token's secret. */
  admin: string;
}

export function servedArchive(adminName = 'test admin'): ServedArchive {
  const a = {} as ServedArchive;
  beforeAll(async () => {
    a.database = await createTestDatabase();
    a.root = tempDir();
    a.served = await serveApp(a.database, loadConfig({ ARCHIVE_HOME: a.root, ARCHIVE_DATA_ROOT: a.root }, a.root));
    a.admin = (await createToken(a.database, adminName, 'admin')).token;
  });
  afterAll(async () => {
    await a.served?.close();
    await a.database?.close();
    if (a.root) fs.rmSync(a.root, { recursive: true, force: true });
  });
  return a;
}
