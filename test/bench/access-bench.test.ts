/**
 * `astroarchive bench --access` end to end at a tiny size and a short run (1 s, 1 round): the
 * data ingested and published, our server and nginx (when installed) started and stopped,
 * every figure either timed on both sides or skipped with the reason, preview times per
 * image. The report's shape is asserted, not its speed: speed is the bench's output.
 */
import fs from 'node:fs';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { nginxAvailable } from '../../src/bench/access/nginx.js';
import { formatAccessReport } from '../../src/bench/access/report.js';
import { runAccessBench } from '../../src/bench/access/run-access.js';
import { tempDir } from '../helpers/ingest.js';

const dir = tempDir('astroarchive-access-bench-test-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('bench --access', () => {
  it('reports each figure beside nginx (or says why it was skipped) and the preview time per image', async () => {
    const logs: string[] = [];
    const report = await runAccessBench({
      dir,
      databaseUrl: inject('serverUrl'),
      seconds: 1,
      rounds: 1,
      shape: { spectra: 40, bigBytes: 3 * 1024 * 1024, imageSide: 600, images: 1, cubeSide: 8, cubePlanes: 5 },
      log: (m) => logs.push(m),
    });
    const withNginx = nginxAvailable();
    expect(report.nginx === null).toBe(!withNginx);
    expect(report.dataset).toMatchObject({ spectra: 40, bigBytes: 3 * 1024 * 1024, previews: 2 });
    expect(report.dataset.spectrumBytes).toBe(8640);
    expect(report.figures.map((f) => f.name)).toEqual(['download', 'smallFiles', 'tar', 'preview']);
    for (const f of report.figures.slice(0, 3)) {
      if (f.skipped) {
        expect(f.skipped).toMatch(/route missing|answered \d+/);
        expect(f.ours).toEqual([]);
        continue;
      }
      expect(f.ours).toHaveLength(1);
      expect(f.oursMedian).toBeGreaterThan(0);
      if (withNginx || f.name === 'tar') {
        expect(f.reference).toHaveLength(1);
        expect(f.ratios).toHaveLength(1);
        expect(typeof f.met).toBe('boolean');
      }
    }
    // Previews exist in this build: each image rendered once, then read from the cache.
    expect(report.previews.map((p) => [p.path, p.status, p.width, p.height])).toEqual([
      ['cube.fits', 200, 8, 8],
      ['image_0.fits', 200, 600 / 2, 600 / 2],
    ]);
    for (const p of report.previews) expect(p.firstMs).toBeGreaterThan(0);
    const text = formatAccessReport(report);
    expect(text).toMatch(/^figure\s+unit\s+ours\s+reference\s+ratio \(per round\)\s+target\s+met$/m);
    expect(text).toMatch(/^single-stream download of a 3 MB file \(curl\)\s+MB\/s\s+(skipped|\d)/m);
    expect(text).toMatch(/^file\s+MB\s+status\s+PNG\s+first ms\s+cached ms$/m);
    expect(text).toMatch(/^image_0\.fits\s+[\d.]+\s+200\s+300x300\s/m);
  }, 300_000);
});
