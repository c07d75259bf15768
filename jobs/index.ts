/** The task list: one file per task in this folder, each a factory over the JobContext. */
import type { TaskList } from 'graphile-worker';
import type { JobContext } from '../src/worker/job-context.js';
import scanRelease from './scan_release.js';
import ingestBatch from './ingest_batch.js';
import loadCatalogue from './load_catalogue.js';
import tapQuery from './tap_query.js';
import tapDestroy from './tap_destroy.js';

export function createTaskList(ctx: JobContext): TaskList {
  return {
    scan_release: scanRelease(ctx),
    ingest_batch: ingestBatch(ctx),
    load_catalogue: loadCatalogue(ctx),
    tap_query: tapQuery(ctx),
    tap_destroy: tapDestroy(ctx),
  };
}
