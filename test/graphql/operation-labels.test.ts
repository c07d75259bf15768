/**
 * Operation names are chosen by clients; as a metric label they must not grow /metrics
 * without bound (15,000 names made one scrape 34.6 MB). The first 100 distinct names keep a
 * series of their own, every later one is counted as `other`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { MAX_OPERATION_LABELS } from '../../src/graphql/plugins.js';
import { registry } from '../../src/monitor/metrics.js';
import { createTestDatabase } from '../helpers/db.js';
import { createHarness } from './harness.js';

let database: Database;
let h: ReturnType<typeof createHarness>;
beforeAll(async () => {
  database = await createTestDatabase();
  h = createHarness(database);
});
afterAll(async () => {
  await database?.close();
});

async function operationLabels(): Promise<Map<string, number>> {
  const { values } = await registry.getSingleMetric('astroarchive_graphql_request_duration_seconds')!.get();
  const counts = new Map<string, number>();
  for (const v of values) if ((v as { metricName?: string }).metricName?.endsWith('_count')) counts.set(String(v.labels.operation), v.value);
  return counts;
}

describe('operation label', () => {
  it('15,000 distinct operation names keep /metrics small: 100 names, then other', async () => {
    const names = Array.from({ length: 15_000 }, (_, i) => `Client${i}`);
    // Chunks of 100 finish one after the other, so the first 100 names seen are Client0-99.
    for (let i = 0; i < names.length; i += MAX_OPERATION_LABELS) {
      const rs = await Promise.all(names.slice(i, i + MAX_OPERATION_LABELS).map((n) => h.exec(`query ${n} { viewer { role } }`)));
      expect(rs.every((r) => r.errors === undefined)).toBe(true);
    }
    const labels = await operationLabels();
    expect(labels.size).toBeLessThanOrEqual(MAX_OPERATION_LABELS + 1);
    expect(labels.get('Client0')).toBe(1);
    expect(labels.get(`Client${MAX_OPERATION_LABELS - 1}`)).toBe(1);
    expect(labels.has(`Client${MAX_OPERATION_LABELS}`)).toBe(false);
    expect(labels.get('other')).toBe(15_000 - MAX_OPERATION_LABELS);
    // A name seen before the limit keeps its series.
    await h.exec('query Client7 { viewer { role } }');
    expect((await operationLabels()).get('Client7')).toBe(2);
    const scrape = await registry.metrics();
    expect(Buffer.byteLength(scrape)).toBeLessThan(500_000);
  });
});
