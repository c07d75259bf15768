/**
 * The process's Prometheus registry and the metric families of the contract
 * (shared/CONTRACT.md, "Metrics and tracing"). One registry per process: counters never
 * reset while the process lives. Buckets are chosen for the values they measure: a stage
 * of a batch and a GraphQL request both take milliseconds, so buckets start at 0.5 ms.
 */
import client from 'prom-client';

export const registry = new client.Registry();
client.collectDefaultMetrics({ register: registry });

const FAST_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export const filesProcessed = new client.Counter({
  name: 'astroarchive_files_processed_total',
  help: 'Files finished by ingest batches, by kind and final status.',
  labelNames: ['kind', 'status'] as const,
  registers: [registry],
});

export const dbQueries = new client.Counter({
  name: 'astroarchive_db_queries_total',
  help: 'SQL statements sent to PostgreSQL, by origin (graphql, ingest, other).',
  labelNames: ['origin'] as const,
  registers: [registry],
});

export const ingestStageSeconds = new client.Histogram({
  name: 'astroarchive_ingest_stage_seconds',
  help: 'Time spent in one ingest stage for one batch of files.',
  labelNames: ['stage'] as const,
  buckets: FAST_BUCKETS,
  registers: [registry],
});

/**
 * A label whose values come from clients (a GraphQL operation name) must not grow a series per
 * value: 15,000 names made one scrape 34.6 MB. The first `max` distinct values keep their own
 * series for the process's life (an application's operations are a short, fixed list); every
 * later value is counted under `other`.
 */
export function boundedLabel(max: number, other = 'other'): (value: string) => string {
  const seen = new Set<string>();
  return (value) => {
    if (seen.has(value)) return value;
    if (seen.size >= max) return other;
    seen.add(value);
    return value;
  };
}

export const graphqlRequestSeconds = new client.Histogram({
  name: 'astroarchive_graphql_request_duration_seconds',
  help: 'GraphQL request duration, by operation name (the first 100 distinct names; later ones: other).',
  labelNames: ['operation'] as const,
  buckets: FAST_BUCKETS,
  registers: [registry],
});

export const dataloaderBatches = new client.Counter({
  name: 'astroarchive_dataloader_batches_total',
  help: 'DataLoader batch functions run, by loader.',
  labelNames: ['loader'] as const,
  registers: [registry],
});
