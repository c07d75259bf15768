/**
 * The DataLoaders of one ingest batch (the job-side twin of the per-request API loaders):
 * every file's source lookup in a batch is queued on one loader, which resolves them all
 * with one lookup-or-create statement. Built fresh per batch so nothing is cached across
 * batches (a long-lived cache would grow with the release).
 */
import DataLoader from 'dataloader';
import type pg from 'pg';
import { lookupOrCreateSources } from '../db/queries/lookup-or-create-sources.js';
import { dataloaderBatches } from '../monitor/metrics.js';

export interface JobLoaders {
  sourceIdByName: DataLoader<string, number>;
}

export function createJobLoaders(pool: pg.Pool): JobLoaders {
  return {
    sourceIdByName: new DataLoader<string, number>(
      async (names) => {
        dataloaderBatches.inc({ loader: 'sourceIdByName' });
        let found = await lookupOrCreateSources(pool, names);
        const lost = names.filter((n) => !found.has(n));
        if (lost.length) {
          // Inserted concurrently by another batch after our snapshot: now committed, so a
          // second statement sees them. Rare, and still per batch, never per file.
          const again = await lookupOrCreateSources(pool, lost);
          found = new Map([...found, ...again]);
        }
        return names.map((n) => found.get(n) ?? new Error(`source ${JSON.stringify(n)} could not be created`));
      },
      { maxBatchSize: 10_000 },
    ),
  };
}
