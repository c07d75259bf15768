/**
 * `astroarchive bench --catalogue` end to end at a tiny size on the test server: both shapes
 * are generated, loaded by the archive, by the server's own binary COPY and by psql \copy, and
 * the report has every figure. No timing is asserted.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, inject, it } from 'vitest';
import { formatCatalogueReport, runCatalogueBench } from '../../src/bench/catalogue/run-catalogue.js';

const hasPsql = (() => {
  try {
    execFileSync('psql', ['--version']);
    return true;
  } catch {
    return false;
  }
})();

describe('bench --catalogue', () => {
  it.skipIf(!hasPsql)('loads both shapes three ways and reports each', async () => {
    const report = await runCatalogueBench({ narrowRows: 3_000, galahRows: 500, databaseUrl: inject('serverUrl') });
    expect(report.results.map((r) => [r.shape, r.rows, r.columns])).toEqual([['narrow', 3_000, 10], ['galah', 500, 184]]);
    for (const r of report.results) {
      for (const f of [r.archive, r.archiveCopy, r.serverCopy, r.psqlCsv]) expect(f.rowsPerSecond).toBeGreaterThan(0);
      // CPU: the archive's own always; the server's when it runs on this machine (its
      // processes in /proc), as the embedded test server does. A tiny load may cost the
      // server less than one clock tick (10 ms), so its figure may be 0, never negative.
      expect(r.cpu.archive).toBeGreaterThan(0);
      if (!process.env.DATABASE_URL) {
        expect(r.cpu.archiveServer).not.toBeNull();
        expect(r.cpu.serverCopy).not.toBeNull();
      }
      if (r.cpu.archiveServer !== null) expect(r.cpu.archiveServer).toBeGreaterThanOrEqual(0);
      if (r.cpu.serverCopy !== null) expect(r.cpu.serverCopy).toBeGreaterThanOrEqual(0);
    }
    expect(formatCatalogueReport(report)).toMatch(/galah\s+500\s+184/);
  }, 120_000);
});
