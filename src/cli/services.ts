/**
 * `start`, `serve` and `worker`: open the database (embedded unless DATABASE_URL), migrate,
 * register the process, then run the API and/or the ingest worker until asked to stop, and
 * shut down in order: stop taking requests and jobs, let running jobs finish, leave the
 * process registry, close the pool, stop the embedded server.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { attach, claimPort, closeServer } from './listen.js';
import type { Config } from '../config.js';
import { createLogger, redactUrl, type Logger } from '../log.js';
import { openDatabase, type Database } from '../db/client.js';
import { givePostmastersTheirOwnProcessGroup } from '../db/embedded.js';
import { migrate } from '../db/migrate.js';
import { ActivityBoard } from '../monitor/activity.js';
import { registerProcess, registryTiming, type ProcessRole } from '../monitor/processes.js';
import { startProfileListener } from '../monitor/profile-listener.js';
import { setProfileBaseUrl } from '../monitor/profile-requests.js';
import { startWorker } from '../worker/runner.js';
import { isLostJobReturn } from '../worker/supervise.js';
import { DEFAULT_INGEST_SETTINGS } from '../ingest/settings.js';
import { createHttpApp } from '../http/app.js';
import { ensureAdminToken } from '../auth/admin-token.js';
import { EXIT, type CliIo } from './io.js';

export interface ServicesOptions {
  role: ProcessRole;
  /** Batch jobs at once (worker roles). */
  concurrency?: number;
  /** Files per batch job, for the scans this process runs (worker roles). */
  batchSize?: number;
}

export async function runServices(config: Config, io: CliIo, opts: ServicesOptions): Promise<number> {
  const stopped = io.waitForStop(); // from here on, a signal means an orderly shutdown
  givePostmastersTheirOwnProcessGroup(); // so a terminal's Ctrl-C reaches this process only
  const logger = createLogger(config.logLevel).child({ role: opts.role });
  const cleanups: Array<() => Promise<void>> = [];
  const cleanup = async () => {
    for (const fn of cleanups.reverse()) {
      await fn().catch((err) => logger.error({ err: String(err) }, 'shutdown step failed'));
    }
  };
  // The embedded server is restarted if it dies; if it cannot be, the process ends (exit 1).
  let databaseLost!: (err: Error) => void;
  const lost = new Promise<Error>((resolve) => (databaseLost = resolve));
  try {
    // The port first: if it is taken, say so before the database and the worker start.
    const server = opts.role === 'worker' ? undefined : await claimPort(config);
    if (server) cleanups.push(() => closeServer(server));
    const database = await openDatabase({
      databaseUrl: config.databaseUrl,
      home: config.home,
      poolSize: 20,
      applicationName: `astroarchive-${opts.role}`,
      log: (m) => io.err(m),
      supervisorLog: logger.child({ component: 'database' }),
      onDatabaseLost: databaseLost,
    });
    cleanups.push(() => database.close());
    logger.info({ database: redactUrl(database.url), embedded: database.embedded }, 'database ready');
    await migrate(database.pool);

    const activity = new ActivityBoard();
    const registered = await registerProcess(database.pool, {
      role: opts.role,
      activity,
      ...registryTiming(process.env),
      onError: (err) => logger.warn({ err: String(err) }, 'heartbeat failed'),
      onReregistered: () => logger.warn('this process was taken for dead while it stalled (its jobs may run twice); registered again'),
    });
    cleanups.push(() => registered.stop());
    const processLogger = logger.child({ processId: registered.id });
    // Answers `captureProfile` requests addressed to this process (src/monitor/profile-listener.ts).
    const profiler = startProfileListener({ databaseUrl: database.url, pool: database.pool, processId: registered.id, logger: processLogger });
    cleanups.push(() => profiler.stop());

    if (opts.role !== 'api') {
      const onRejection = (reason: unknown) => {
        if (!isLostJobReturn(reason)) throw reason; // anything else still ends the process, as by default
        logger.warn({ err: String(reason) }, 'jobs held by the stopped job runner are freed when it restarts');
      };
      process.on('unhandledRejection', onRejection);
      cleanups.push(async () => void process.off('unhandledRejection', onRejection));
      const worker = await startWorker({
        pool: database.pool,
        logger: processLogger,
        activity,
        concurrency: opts.concurrency,
        settings: { ...DEFAULT_INGEST_SETTINGS, ...(opts.batchSize ? { batchSize: opts.batchSize } : {}) },
        onWorkerId: (id) => registered.addWorkerId(id),
        tapLimits: config.tapLimits,
      });
      cleanups.push(() => worker.stop());
    }

    if (opts.role !== 'worker') {
      const url = await serveApi(config, server!, database, processLogger, cleanups);
      setProfileBaseUrl(url);
      const token = await ensureAdminToken(database, { home: config.home, adminToken: config.adminToken });
      io.err(
        [
          `astroarchive ${opts.role === 'api' ? 'API' : 'API + ingest worker'} ready (process ${registered.id})`,
          `  web pages: ${url}/`,
          `  GraphQL:   ${url}/graphql`,
          `  GraphiQL:  ${url}/graphiql`,
          `  metrics:   ${url}/metrics`,
          `  database:  ${database.embedded ? `embedded PostgreSQL in ${config.home}/pgdata` : redactUrl(database.url)}`,
          `  admin token: ${token.source === 'env' ? 'from ARCHIVE_ADMIN_TOKEN' : `${token.file}${token.created ? ' (new)' : ''}`}${token.revoked ? ' (REVOKED by an admin: delete the file and restart for a new one)' : ''}`,
          `  data root: ${config.dataRoot}`,
          'Press Ctrl-C to stop.',
        ].join('\n'),
      );
    } else {
      io.err(`astroarchive worker ready (process ${registered.id}); Ctrl-C to stop.`);
    }

    const ended = await Promise.race([stopped, lost]);
    if (ended instanceof Error) {
      io.err(`${ended.message}; shutting down.`);
      await cleanup();
      return EXIT.ERROR;
    }
    io.err(`received ${ended}: finishing running jobs and shutting down...`);
    await cleanup();
    return 0;
  } catch (err) {
    await cleanup();
    throw err;
  }
}

async function serveApi(config: Config, server: http.Server, database: Database, logger: Logger, cleanups: Array<() => Promise<void>>): Promise<string> {
  const { listener, stop } = await createHttpApp({ database, config, logger });
  attach(server, listener);
  cleanups.push(async () => {
    await closeServer(server);
    await stop();
  });
  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  return `http://${host}:${port}`;
}
