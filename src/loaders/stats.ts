/**
 * Counting batches: the process-wide Prometheus counter (by loader) and a per-request tally
 * that the trace extension reports (`extensions.dataloaderBatches`). One function so a new
 * loader can't count one and forget the other.
 */
import { dataloaderBatches } from '../monitor/metrics.js';

export interface BatchStats {
  /** Batch functions run by this set of loaders. */
  total: number;
  byLoader: Record<string, number>;
}

export function newBatchStats(): BatchStats {
  return { total: 0, byLoader: {} };
}

export function countBatch(stats: BatchStats, loader: string): void {
  stats.total++;
  stats.byLoader[loader] = (stats.byLoader[loader] ?? 0) + 1;
  dataloaderBatches.inc({ loader });
}
