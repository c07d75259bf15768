/** Job payload checks: a malformed payload is a bug somewhere upstream, so fail loudly. */
export function positiveInt(v: unknown, name: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v <= 0) throw new Error(`payload.${name} must be a positive integer, got ${JSON.stringify(v)}`);
  return v;
}

export function positiveIntArray(v: unknown, name: string, max: number): number[] {
  if (!Array.isArray(v) || v.length === 0 || v.length > max) throw new Error(`payload.${name} must be an array of 1..${max} ids`);
  return v.map((x, i) => positiveInt(x, `${name}[${i}]`));
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `{ ids, paths, sizes, mtimesMs }`: the files a write-once batch job carries (enqueue-new-files.ts). */
export function newFiles(v: unknown, name: string, max: number): { ids: number[]; paths: string[]; sizes: number[]; mtimesMs: number[] } {
  if (!isRecord(v)) throw new Error(`payload.${name} must be an object { ids, paths, sizes, mtimesMs }`);
  const ids = positiveIntArray(v.ids, `${name}.ids`, max);
  const same = (a: unknown, field: string, ok: (x: unknown) => boolean) => {
    if (!Array.isArray(a) || a.length !== ids.length || !a.every(ok)) throw new Error(`payload.${name}.${field} must be an array of ${ids.length} values, one per id`);
    return a;
  };
  return {
    ids,
    paths: same(v.paths, 'paths', (x) => typeof x === 'string' && x.length > 0) as string[],
    sizes: same(v.sizes, 'sizes', (x) => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0) as number[],
    mtimesMs: same(v.mtimesMs, 'mtimesMs', (x) => typeof x === 'number' && Number.isFinite(x)) as number[],
  };
}

/** Files per batch job at most. */
const MAX_BATCH_FILES = 100_000;

/**
 * An `ingest_batch` payload: `{ runId, fileIds }` (files registered by the scan) or
 * `{ runId, files: { ids, paths, sizes, mtimesMs } }` (a release's first ingest, whose files
 * are written once: run-new-files.ts).
 */
export function ingestBatchPayload(payload: unknown): { runId: number; files: ReturnType<typeof newFiles> | null; fileIds: number[] } {
  if (!isRecord(payload)) throw new Error('payload must be an object { runId, fileIds } or { runId, files }');
  const runId = positiveInt(payload.runId, 'runId');
  const files = payload.files === undefined ? null : newFiles(payload.files, 'files', MAX_BATCH_FILES);
  return { runId, files, fileIds: files ? files.ids : positiveIntArray(payload.fileIds, 'fileIds', MAX_BATCH_FILES) };
}

/** A `load_catalogue` payload, `{ runId, fileId }`; jobs queued before runs counted their loads carry no run. */
export function loadCataloguePayload(payload: unknown): { fileId: number; runId: number | null } {
  if (!isRecord(payload)) throw new Error('payload must be an object { runId, fileId }');
  return { fileId: positiveInt(payload.fileId, 'fileId'), runId: payload.runId === undefined ? null : positiveInt(payload.runId, 'runId') };
}

/** A `scan_release` payload, `{ runId }`. */
export function scanPayload(payload: unknown): { runId: number } {
  return { runId: positiveInt(isRecord(payload) ? payload.runId : undefined, 'runId') };
}
