/**
 * The embedded database's home: initialised once and reused, and a second process on the same
 * home gets a clear message instead of a second postmaster on the same data directory.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/db/embedded.js';
import { tempDir } from '../helpers/ingest.js';
import { runCli, startService, type Service } from '../helpers/cli-process.js';

const home = tempDir('astroarchive-home-');
let first: Service | undefined;

afterAll(async () => {
  await first?.stop();
  fs.rmSync(home, { recursive: true, force: true });
});

describe('embedded PostgreSQL under ARCHIVE_HOME', () => {
  it('initialises on first start, refuses a second owner with a clear message, and is reused after a restart', async () => {
    const env = { DATABASE_URL: '', ARCHIVE_HOME: home, PORT: String(await freePort()), LOG_LEVEL: 'warn' };
    first = await startService(['start'], env, /Press Ctrl-C to stop/, 120_000);
    expect(first.output()).toContain('initialising embedded PostgreSQL');
    expect(fs.existsSync(path.join(home, 'pgdata', 'PG_VERSION'))).toBe(true);

    const second = await runCli(['serve'], { ...env, PORT: String(await freePort()) });
    expect(second.code).toBe(3);
    expect(second.stderr).toContain(`is in use by process ${first.child.pid}`);

    expect(await first.stop()).toBe(0);
    expect(fs.existsSync(path.join(home, 'owner.lock'))).toBe(false);
    first = await startService(['start'], env, /Press Ctrl-C to stop/, 120_000);
    expect(first.output()).not.toContain('initialising embedded PostgreSQL');
    expect(await first.stop()).toBe(0);
    first = undefined;
  });
});
