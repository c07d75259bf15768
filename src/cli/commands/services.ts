/** `start` (API + worker), `serve` (API only), `worker` (worker only). */
import { parseArgs } from 'node:util';
import { loadConfig } from '../../config.js';
import { intOption, type CliIo } from '../io.js';
import { DEFAULT_INGEST_SETTINGS } from '../../ingest/settings.js';

const HELP = {
  start: `Usage: astroarchive start [--concurrency N] [--batch-size N]

Migrate the database and run the GraphQL API and the ingest worker in one process.
With no DATABASE_URL, an embedded PostgreSQL is initialised under ARCHIVE_HOME
(default ./.astroarchive) and reused on later starts.

Environment: DATABASE_URL, PORT (4000), HOST (127.0.0.1), ARCHIVE_HOME, ARCHIVE_DATA_ROOT,
ARCHIVE_ADMIN_TOKEN, LOG_LEVEL.`,
  serve: `Usage: astroarchive serve

Migrate and run the GraphQL API only (no ingest jobs are processed by this process).`,
  worker: `Usage: astroarchive worker [--concurrency N] [--batch-size N]

Migrate and run the ingest worker only. Run several, on several machines, against one
database (DATABASE_URL): each job is processed by exactly one worker.

  --concurrency N  batch jobs at once (default 4)
  --batch-size N   files per batch job for the scans this process runs (default ${DEFAULT_INGEST_SETTINGS.batchSize})`,
} as const;

export async function servicesCommand(name: 'start' | 'serve' | 'worker', args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { help: { type: 'boolean', short: 'h' }, concurrency: { type: 'string' }, 'batch-size': { type: 'string' } },
    allowPositionals: false,
  });
  if (values.help) {
    io.out(HELP[name] + '\n');
    return 0;
  }
  const concurrency = intOption('--concurrency', values.concurrency, 1, 64);
  const batchSize = intOption('--batch-size', values['batch-size'], 1, 100_000);
  const config = loadConfig(io.env, io.cwd);
  const role = name === 'start' ? 'all-in-one' : name === 'serve' ? 'api' : 'worker';
  // Imported here, after the arguments: the server's packages take ~0.4 s of CPU to load,
  // which `--help` and a mistyped option should not pay.
  const { runServices } = await import('../services.js');
  return runServices(config, io, { role, concurrency, batchSize });
}
