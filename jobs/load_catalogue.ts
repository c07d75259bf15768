/**
 * Task `load_catalogue`: load the tables of one CATALOGUE file into the database
 * (src/catalogue/load-file.ts). Queued by the ingest batch that wrote the file, one job per
 * file, so a big table loads beside the release's other batches instead of inside one.
 */
import type { Task } from 'graphile-worker';
import type { JobContext } from '../src/worker/job-context.js';
import { isRecord, positiveInt } from '../src/worker/payload.js';
import { loadCatalogue } from '../src/catalogue/load-file.js';

export default function loadCatalogueTask(ctx: JobContext): Task {
  return async (payload, helpers) => {
    if (!isRecord(payload)) throw new Error('payload must be an object { fileId }');
    const fileId = positiveInt(payload.fileId, 'fileId');
    const activity = ctx.activity.start(String(helpers.job.id), 'load_catalogue', null);
    try {
      const r = await loadCatalogue(ctx.pool, fileId, { onStage: (s) => activity.stage(s) });
      ctx.logger.debug({ fileId, jobId: helpers.job.id, tables: r.tables }, 'catalogue loaded');
    } finally {
      activity.end();
    }
  };
}
