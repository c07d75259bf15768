/**
 * `astroarchive bench --find` end to end at a tiny size on the test server: every record and
 * file row is loaded, the sky indexes are built after the load, every query kind runs the
 * number of times asked, every cone page equals the brute-force page, and the cross-match
 * finds the positions placed next to records. With Debian's PostgreSQL 15 and q3c on the
 * machine, q3c's pages must equal ours too (skipped otherwise). No timing is asserted.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { q3cUnavailable } from '../../src/bench/find/pg15.js';
import { formatFindReport } from '../../src/bench/find/report.js';
import { runFindBench } from '../../src/bench/find/run-find.js';

const KINDS = ['cone 1"', "cone 1'", "cone 6'", "cone 30'", 'cone 1 deg', 'covers point', 'name', "cone 30' + wavelength + time", 'primary key'];

describe('bench --find', () => {
  it('loads the rows, builds the sky indexes after, and answers every query kind like brute force', async () => {
    const logs: string[] = [];
    const report = await runFindBench({ rows: 20_000, queries: 12, crossmatchPositions: 2_000, databaseUrl: inject('serverUrl'), log: (m) => logs.push(m) });
    expect(report.load).toMatchObject({ records: 20_000, files: 20_000 });
    expect(Object.keys(report.skyIndex.perIndex).sort()).toEqual(['records_coverage_idx', 'records_hpx_idx']);
    expect(report.queries.map((q) => [q.name, q.ours.n])).toEqual(KINDS.map((k) => [k, 12]));
    expect(report.bruteForce).toEqual({ cones: 60, mismatches: 0 });
    const byName = Object.fromEntries(report.queries.map((q) => [q.name, q]));
    expect(byName['primary key'].ours.rowsTotal).toBe(12);
    expect(byName['name'].ours.rowsTotal).toBeGreaterThan(0); // every name asked exists
    expect(byName['cone 1 deg'].ours.rowsTotal).toBeGreaterThan(byName["cone 1'"].ours.rowsTotal);
    // Half the positions lie within 0.8" of a record.
    expect(report.crossmatch).toMatchObject({ positions: 2_000, radiusArcsec: 1, statements: 1 });
    expect(report.crossmatch.matched).toBeGreaterThanOrEqual(1_000);
    // The same positions as a table's rows find the same matches.
    expect(report.tableCrossmatch).toMatchObject({ rows: 2_000, matched: report.crossmatch.matched, statements: 2 });
    expect(report.q3c).toBeNull();
    const text = formatFindReport(report);
    for (const k of KINDS) expect(text).toContain(k);
    expect(text).toContain('brute-force check: 60 cone pages, 0 different');
  }, 300_000);

  it('with --dir, a second run reuses the records the first loaded there, and asks the same questions', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'astroarchive-find-dir-'));
    try {
      const first = await runFindBench({ rows: 5_000, queries: 4, crossmatchPositions: 500, dir });
      expect(first.reused).toBeUndefined();
      expect(first.load.seconds).toBeGreaterThan(0);
      const second = await runFindBench({ rows: 5_000, queries: 4, crossmatchPositions: 500, dir });
      expect(second.reused).toBe(dir);
      expect(second.load).toMatchObject({ seconds: 0, records: 5_000, files: 5_000 });
      expect(second.queries.map((q) => [q.name, q.ours.rowsTotal])).toEqual(first.queries.map((q) => [q.name, q.ours.rowsTotal]));
      expect(second.crossmatch.matched).toBe(first.crossmatch.matched);
      expect(formatFindReport(second)).toContain(`records an earlier run loaded into ${dir} (--dir) were used`);
      await expect(runFindBench({ rows: 6_000, queries: 1, crossmatchPositions: 10, dir })).rejects.toThrow(/holds 5000 records, not 6000/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);

  it.skipIf(q3cUnavailable() !== null)('with --vs-q3c, q3c returns the same pages for the same cones', async () => {
    const report = await runFindBench({ rows: 20_000, queries: 12, crossmatchPositions: 1_000, vsQ3c: true, databaseUrl: inject('serverUrl') });
    expect(report.q3c).toMatchObject({ q3cVersion: expect.any(String) });
    const cones = report.queries.filter((q) => q.q3c);
    expect(cones).toHaveLength(5);
    for (const q of cones) expect(q.samePages, q.name).toBe(12);
  }, 300_000);
});
