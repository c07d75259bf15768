/**
 * A fresh, migrated database for one test file, cloned from the template made by
 * global-setup (CREATE DATABASE ... TEMPLATE is a file copy: milliseconds, not a migration).
 */
import { inject } from 'vitest';
import { connectDatabase, type Database } from '../../src/db/client.js';

let counter = 0;

export async function createTestDatabase(): Promise<Database> {
  const serverUrl = inject('serverUrl');
  const templateUrl = inject('templateUrl');
  const template = new URL(templateUrl).pathname.slice(1);
  const name = `${template}_${process.pid}_${++counter}`;
  const admin = connectDatabase(serverUrl, { poolSize: 1 });
  try {
    await admin.pool.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
  } finally {
    await admin.close();
  }
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  return connectDatabase(u.toString(), {
    poolSize: 8,
    onClose: async () => {
      const drop = connectDatabase(serverUrl, { poolSize: 1 });
      try {
        await drop.pool.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await drop.close();
      }
    },
  });
}
