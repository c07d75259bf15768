/**
 * The benchmark's baselines, measured on the same files as the ingest: a warm page cache, warm
 * analysis threads, and the I/O floor (the streamed scan plus the analysis thread pool, with no
 * database), so the ingest's figure can be read against what the machine can do without it.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { AnalysisPool } from '../ingest/analyze/pool.js';
import type { FileTask } from '../ingest/analyze/types.js';
import { DEFAULT_RULES } from '../ingest/rules.js';
import { scanRelease } from '../ingest/scan.js';

/** Read every file once so that both the floor and the ingest see a warm page cache. */
export async function warm(dir: string): Promise<number> {
  let bytes = 0;
  const buf = Buffer.allocUnsafe(1 << 20);
  for await (const chunk of scanRelease(dir, { chunkSize: 1000 })) {
    for (const rel of chunk.paths) {
      const fd = fs.openSync(path.join(dir, rel), 'r');
      try {
        let n: number;
        while ((n = fs.readSync(fd, buf, 0, buf.length, null)) > 0) bytes += n;
      } finally {
        fs.closeSync(fd);
      }
    }
  }
  return bytes;
}

/**
 * A thread compiles the analysis code (V8's JIT) on its first files: give every thread of the
 * pool one real file first, so neither the floor nor the first ingest pays for it.
 */
export async function warmThreads(pool: AnalysisPool, dir: string): Promise<void> {
  let first: string | undefined;
  for await (const chunk of scanRelease(dir, { chunkSize: 1 })) {
    first = chunk.paths[0];
    break;
  }
  if (!first) return;
  const task: FileTask = { id: 1, path: first, absPath: path.join(dir, first) };
  await Promise.all(Array.from({ length: pool.size * 2 }, () => pool.analyze([task], DEFAULT_RULES)));
}

export async function measureFloor(pool: AnalysisPool, dir: string, batchSize: number, inFlight: number) {
  const t0 = performance.now();
  let scanSeconds = 0;
  let files = 0;
  let id = 0;
  const running = new Set<Promise<unknown>>();
  let ts = performance.now();
  for await (const chunk of scanRelease(dir, { chunkSize: batchSize })) {
    scanSeconds += (performance.now() - ts) / 1000;
    const tasks: FileTask[] = chunk.paths.map((rel) => ({ id: ++id, path: rel, absPath: path.join(dir, rel) }));
    files += tasks.length;
    const p: Promise<unknown> = pool.analyze(tasks, DEFAULT_RULES).then(() => running.delete(p));
    running.add(p);
    if (running.size >= inFlight) await Promise.race(running);
    ts = performance.now();
  }
  scanSeconds += (performance.now() - ts) / 1000;
  await Promise.all(running);
  return { files, seconds: (performance.now() - t0) / 1000, scanSeconds };
}
