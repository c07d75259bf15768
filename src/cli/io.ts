/** The CLI's view of the outside world, passed in so commands stay testable. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  env: NodeJS.ProcessEnv;
  cwd: string;
  isTTY: boolean;
  /**
   * Take over SIGINT/SIGTERM: the promise resolves when the process is asked to stop.
   * Only long-running commands call it; the others keep Ctrl-C's default behaviour.
   */
  waitForStop(): Promise<string>;
}

export const EXIT = {
  OK: 0,
  /** Unexpected failure (a bug, or the database went away). */
  ERROR: 1,
  /** Bad command line. */
  USAGE: 2,
  /** The server refused the request or could not be reached. */
  UNAVAILABLE: 3,
  /** The ingest ran and FAILED. */
  RUN_FAILED: 4,
} as const;

export class UsageError extends Error {}

/** An integer option within [min, max], or undefined when not given; a UsageError otherwise. */
export function intOption(name: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`${name} must be an integer from ${min} to ${max}`);
  return n;
}

/** A failure the user can act on (a port in use, ...): printed as one line, no stack trace. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.UNAVAILABLE,
  ) {
    super(message);
  }
}
