/** `migrate`: bring the database schema up to date and exit. */
import { parseArgs } from 'node:util';
import { loadConfig } from '../../config.js';
import { openDatabase } from '../../db/client.js';
import { migrate } from '../../db/migrate.js';
import { redactUrl } from '../../log.js';
import type { CliIo } from '../io.js';

export async function migrateCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args, options: { help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    io.out('Usage: astroarchive migrate\n\nApply the archive\'s migrations (drizzle/) and graphile-worker\'s to the database.\n');
    return 0;
  }
  const config = loadConfig(io.env, io.cwd);
  const database = await openDatabase({ databaseUrl: config.databaseUrl, home: config.home, poolSize: 2, log: (m) => io.err(m) });
  try {
    await migrate(database.pool);
    io.err(`migrated ${database.embedded ? `embedded database in ${config.home}` : redactUrl(database.url)}\n`);
    return 0;
  } finally {
    await database.close();
  }
}
