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
