/**
 * `astroarchive bench --api` end to end at a tiny size and a short run (1 s, 1 round): both
 * servers start as child processes on one database, return equal data for Q1-Q3, and the
 * report carries req/s, latencies, statements per request and RSS for both. No speed is
 * asserted: speed is the bench's output, not a test's.
 */
import fs from 'node:fs';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { formatApiReport } from '../../src/bench/api/report.js';
import { runApiBench } from '../../src/bench/api/run-api.js';
import { benchCommand } from '../../src/cli/commands/bench.js';
import type { CliIo } from '../../src/cli/io.js';
import { tempDir } from '../helpers/ingest.js';

const dir = tempDir('astroarchive-api-bench-test-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('bench --api', () => {
  it('runs ours and PostGraphile on the same published release, checks equal data, and reports both', async () => {
    const logs: string[] = [];
    const report = await runApiBench({
      dir,
      databaseUrl: inject('serverUrl'),
      seconds: 1,
      rounds: 1,
      unloaded: 3,
      shape: { spectra: 60, cubes: 0, images: 0, catalogues: 0, blobs: 20, sources: 15 },
      log: (m) => logs.push(m),
    });
    expect(report.dataset.files).toBe(80);
    // Our server runs with its default limits: the three queries must pass them, anonymously.
    expect(report.oursEnv).toEqual({});
    expect(report.results.map((q) => [q.name, q.sameData, q.problem])).toEqual([
      ['Q1', true, undefined],
      ['Q2', true, undefined],
      ['Q3', true, undefined],
    ]);
    for (const q of report.results) {
      expect(q.ratios).toHaveLength(1);
      for (const side of [q.ours!, q.theirs!]) {
        expect(side.runs).toHaveLength(1);
        expect(side.rps).toBeGreaterThan(0);
        expect(side.p99).toBeGreaterThanOrEqual(side.p50);
        expect(side.runs[0].non2xx + side.runs[0].errors).toBe(0);
        // The server process's own CPU per answered request, from /proc.
        expect(side.runs[0].cpuMsPerRequest).toBeGreaterThan(0);
        expect(side.cpuMsPerRequest).toBe(side.runs[0].cpuMsPerRequest);
        expect(side.unloadedP50).toBeGreaterThan(0);
        expect(side.statements).toBeGreaterThan(0);
        expect(side.peakRssMb).toBeGreaterThan(20);
      }
      // Paged queries are counted again at a small page: ours must be flat in the page size.
      if (q.pageSize) expect(q.ours!.statements).toBeLessThanOrEqual(q.ours!.statementsSmallPage!);
    }
    expect(report.servers.ours.hwmMb).toBeGreaterThan(20);
    expect(report.servers.theirs.hwmMb).toBeGreaterThan(20);
    const text = formatApiReport(report);
    expect(text).toMatch(/^query\s+ours req\/s\s+theirs req\/s\s+ratio \(per pair\)\s+p50 ms\s+p99 ms\s+CPU ms\/request\s+unloaded p50 ms\s+stmts\/request \(at 10\)\s+peak RSS MB$/m);
    for (const name of ['Q1', 'Q2', 'Q3']) expect(text).toMatch(new RegExp(`^${name}\\s+\\d`, 'm'));
    expect(text).toContain('same data from both servers: yes');
    expect(text).toMatch(/peak RSS over the whole run \(VmHWM\): ours \d/);
    // Both children are gone.
    for (const s of [report.servers.ours, report.servers.theirs]) expect(fs.existsSync(`/proc/${s.pid}`)).toBe(false);
  }, 300_000);

  it('--api-queries names the queries to run, and only with --api', async () => {
    const io = { out: () => {}, err: () => {}, env: {} } as unknown as CliIo;
    await expect(benchCommand(['--api', '--api-queries', 'Q3,Q9'], io)).rejects.toThrow(/--api-queries takes a comma-separated list of Q1, Q2, Q3, not "Q3,Q9"/);
    await expect(benchCommand(['--api-queries', 'Q3'], io)).rejects.toThrow(/--api-queries go with --api/);
  });
});
