/**
 * What a single-file download needs, batched across the requests of one turn of the event
 * loop (./tick-batch.ts): the file rows in one statement, and small files' bytes (opened,
 * checked against the ingest and read by the reader thread, ./reader.ts) in one message.
 * Ten clients asking at once cost one statement and one thread round trip, not ten of each.
 * Rows are looked up for every request, never kept: whether a release is published is
 * always what the database says now.
 */
import type pg from 'pg';
import { loadServedFiles, type ServedFile } from './queries.js';
import { readMembers } from './reader.js';
import { tickBatch } from './tick-batch.js';

/** Ids per statement (a bounded array parameter). */
const MAX_IDS = 500;
/** Files per reader message: at most 64 files of 64 kB, a 4 MB buffer. */
const MAX_READS = 64;
/**
 * Batches under way at once. Letting requests gather while a batch runs makes batches grow
 * with load instead of round trips multiplying (10 clients: about 4 requests a statement,
 * against 2.5 with no limit, and a fifth less CPU a request). Two lookups, so that one slow
 * statement does not hold every download; one read, as the reader thread takes one message
 * at a time anyway.
 */
const LOOKUPS_IN_FLIGHT = 2;
const READS_IN_FLIGHT = 1;

export type WholeRead = { ok: true; bytes: Buffer } | { ok: false; problem: 'gone' | 'changed'; message: string };

const loaders = new WeakMap<pg.Pool, (id: number) => Promise<ServedFile | null>>();
/** Rows looked up for a request, by request: ./fast-file.ts hands a request to the route with its row. */
const looked = new WeakMap<object, { id: number; file: ServedFile | null }>();

/**
 * The file of `id` (with its release's status and directory), or null; batched per pool.
 * With `req`, a row already looked up for that same request and id is used again (a request
 * the fast path handed to the Express route costs one statement, not two); never across requests.
 */
export async function servedFile(pool: pg.Pool, id: number, req?: object): Promise<ServedFile | null> {
  const known = req && looked.get(req);
  if (known && known.id === id) return known.file;
  let load = loaders.get(pool);
  if (!load) {
    load = tickBatch((ids: number[]) => loadServedFiles(pool, ids), { max: MAX_IDS, inFlight: LOOKUPS_IN_FLIGHT });
    loaders.set(pool, load);
  }
  const file = await load(id);
  if (req) looked.set(req, { id, file });
  return file;
}

/**
 * A small file's bytes, read whole by the reader thread after the checks of ./open-served.ts
 * (its root already checked by the caller), or why it was not read. The bytes of a batch
 * share one buffer; each caller's is its own slice, never written again.
 */
export const readWhole: (file: ServedFile & { root: string }) => Promise<WholeRead> = tickBatch(async (files: Array<ServedFile & { root: string }>) => {
  const { buffer, entries } = await readMembers('', files.map((f) => ({ path: f.path, sizeBytes: f.sizeBytes, mtimeMs: f.mtimeMs, checksum: f.checksum, root: f.root, stream: false })), true);
  return entries.map((e): WholeRead => {
    if (e.kind === 'whole') return { ok: true, bytes: buffer.subarray(e.offset, e.offset + e.length) };
    if (e.kind === 'left-out') return { ok: false, problem: e.problem, message: e.message };
    throw new Error('the reader left a small file to be streamed');
  });
}, { max: MAX_READS, inFlight: READS_IN_FLIGHT });
