/**
 * Bridge to the pipeline's `retryFailed(database, runId)` (src/ingest/retry.ts, written by the
 * ingest pipeline). Imported lazily through a variable so this layer compiles and serves
 * everything else while that module does not exist yet; once it does, this is a plain call.
 */
import type { Database } from '../db/client.js';
import type { RunRow } from '../ingest/submit.js';

type RetryFailed = (database: Database, runId: number) => Promise<RunRow>;

const RETRY_MODULE = '../ingest/retry.js';

export async function retryRun(database: Database, runId: number): Promise<RunRow> {
  const mod = (await import(/* @vite-ignore */ RETRY_MODULE)) as { retryFailed: RetryFailed };
  return mod.retryFailed(database, runId);
}
