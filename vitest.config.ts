import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Each test file gets its own database cloned from a migrated template (test/helpers/db.ts);
    // globalSetup starts the server (embedded PostgreSQL unless DATABASE_URL is set) once.
    globalSetup: ['test/helpers/global-setup.ts'],
    pool: 'forks',
    // 2-core machines: two files at a time keeps PostgreSQL and the tests from starving each other.
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
