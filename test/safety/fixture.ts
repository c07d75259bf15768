/**
 * The setting the safety tests share: a cloned test database that logs every write of a
 * file's processed_at, a generated release `dr1` under a temporary data root, and what each of
 * its files must end up as. Torn down after the test file, with any worker process it left.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { generateRelease, type ReleaseShape } from '../../src/bench/generate.js';
import { createTestDatabase } from '../helpers/db.js';
import { tempDir } from '../helpers/ingest.js';
import { killAllWorkers } from '../helpers/processes.js';
import { expectedResults, logProcessedAtWrites, type Expected } from './invariants.js';

export interface SafetyFixture {
  database: Database;
  /** The data root; the release is its `dr1`. */
  root: string;
  expected: Map<string, Expected>;
}

/** Call at the top of a test file. `addFiles` may add files to the release before `expected` is computed. */
export function safetyFixture(shape: Partial<ReleaseShape>, addFiles?: (releaseDir: string) => void): SafetyFixture {
  const fx = {} as SafetyFixture;
  beforeAll(async () => {
    fx.database = await createTestDatabase();
    await logProcessedAtWrites(fx.database);
    fx.root = tempDir();
    const rel = path.join(fx.root, 'dr1');
    generateRelease(rel, { spectra: 0, cubes: 0, images: 0, catalogues: 0, blobs: 0, sources: 10, ...shape });
    addFiles?.(rel);
    fx.expected = expectedResults(rel);
  });
  afterAll(async () => {
    await killAllWorkers();
    await fx.database?.close();
    if (fx.root) fs.rmSync(fx.root, { recursive: true, force: true });
  });
  return fx;
}
