/**
 * `astroarchive bench` end to end at a tiny size, on the test server: the report has every
 * kind asked for, each run finished with every file, and the warm-up ran (or not) as told.
 * No timing is asserted: speed is the bench's output, not a test's.
 */
import fs from 'node:fs';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { runBench } from '../../src/bench/run.js';
import { formatReport } from '../../src/cli/commands/bench.js';
import { tempDir } from '../helpers/ingest.js';

const dir = tempDir('astroarchive-bench-test-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('bench', () => {
  it('ingests each kind as its own run after an untimed warm-up, and reports counts and statements', async () => {
    const logs: string[] = [];
    const report = await runBench(
      { spectra: 60, cubes: 2, images: 0, catalogues: 0, blobs: 40, sources: 10 },
      {
        dir,
        databaseUrl: inject('serverUrl'),
        warmupShape: { spectra: 20, cubes: 1, images: 1, catalogues: 1, blobs: 20, sources: 5 },
        log: (m) => logs.push(m),
      },
    );
    expect(report.results.map((r) => [r.kind, r.files, r.status, r.counts.ingested])).toEqual([
      ['spectra', 60, 'SUCCEEDED', 60],
      ['cubes', 2, 'SUCCEEDED', 2],
      ['blobs', 40, 'SUCCEEDED', 40],
    ]);
    for (const r of report.results) {
      expect(r.runStatements).toBeGreaterThan(0);
      expect(r.floor.filesPerSecond).toBeGreaterThan(0);
    }
    expect(report.jit).toMatch(/^warm: an untimed ingest of a 43-file mixed release/);
    expect(logs.some((l) => l.startsWith('warm-up:'))).toBe(true);
    expect(formatReport(report)).toContain('JIT: warm');
    expect(report.databaseState).toMatch(/^settled/);
  }, 120_000);

  it('--cold skips the warm-up', async () => {
    const logs: string[] = [];
    const report = await runBench(
      { spectra: 10, cubes: 0, images: 0, catalogues: 0, blobs: 0, sources: 3 },
      { dir, databaseUrl: inject('serverUrl'), cold: true, log: (m) => logs.push(m) },
    );
    expect(report.results.map((r) => r.counts.ingested)).toEqual([10]);
    expect(report.jit).toMatch(/^cold/);
    expect(logs.some((l) => l.startsWith('warm-up:'))).toBe(false);
  }, 120_000);
});
