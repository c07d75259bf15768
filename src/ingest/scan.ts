/**
 * Stage 1, scan: stream a release directory as chunks of (path, size, mtime) columns.
 *
 * Streaming is the point: the walker holds a stack of directories, never a list of files,
 * so a release of millions of files costs the memory of a few chunks. The walk runs on a
 * thread of its own (scan-thread.ts): a stat per file through fs.promises cost the main
 * thread ~60 µs of every file's time in a profile of the bench (a promise, an async-hooks
 * context and a libuv request each), the walk on a thread costs nothing there.
 * Only regular files are archived; symlinks are not followed (they could point outside
 * ARCHIVE_DATA_ROOT) and are reported by the caller's `onSkip`.
 */
import type { Worker } from 'node:worker_threads';
import { startThread, threadBundle } from '../threads/spawn.js';
import type { ProductRules } from './rules.js';
import type { ScanThreadInput, ScanThreadMessage } from './scan-thread.js';

/** One chunk of scanned files, as parallel arrays (what the register statement binds). */
export interface ScanChunk {
  /** Relative to the release root, '/'-separated. */
  paths: string[];
  sizes: number[];
  mtimesMs: number[];
}

export interface ScanOptions {
  chunkSize?: number;
  /** Chunks the walker may run ahead of the consumer. */
  ahead?: number;
  /** The release's rules: paths they ignore (and the rules file itself) are left out. */
  rules?: ProductRules | null;
  onSkip?: (relPath: string, reason: string) => void;
}

const SCAN_THREAD = new URL('./scan-thread.ts', import.meta.url);

/** Builds the scan thread's bundle now (~100 ms, once per process) rather than in the first scan. */
export function prepareScanThread(): void {
  threadBundle(SCAN_THREAD);
}

export async function* scanRelease(root: string, opts: ScanOptions = {}): AsyncGenerator<ScanChunk> {
  const credits = new Int32Array(new SharedArrayBuffer(4));
  credits[0] = opts.ahead ?? 4;
  const input: ScanThreadInput = { root, chunkSize: opts.chunkSize ?? 1000, rules: opts.rules ?? null, credits };
  const thread: Worker = startThread(SCAN_THREAD, { workerData: input });
  const inbox: ScanThreadMessage[] = [];
  let wake: (() => void) | null = null;
  let failure: Error | null = null;
  thread.on('message', (m: ScanThreadMessage) => {
    inbox.push(m);
    wake?.();
  });
  thread.on('error', (err) => {
    failure = err;
    wake?.();
  });
  thread.on('exit', (code) => {
    failure ??= code === 0 ? null : new Error(`scan thread exited with code ${code}`);
    inbox.push({ type: 'done' });
    wake?.();
  });
  try {
    for (;;) {
      while (!inbox.length && !failure) await new Promise<void>((resolve) => (wake = resolve));
      wake = null;
      if (failure) throw failure;
      const m = inbox.shift()!;
      if (m.type === 'done') return;
      if (m.type === 'error') throw Object.assign(new Error(`scan of ${root} failed: ${m.message}`), { code: m.code });
      for (const [p, reason] of m.skipped) opts.onSkip?.(p, reason);
      if (m.paths.length) yield { paths: m.paths, sizes: m.sizes, mtimesMs: m.mtimesMs };
      // Taken: the walker may post one more.
      Atomics.add(credits, 0, 1);
      Atomics.notify(credits, 0);
    }
  } finally {
    // Also when the consumer stops early: the walker must not outlive its scan.
    await thread.terminate();
  }
}
