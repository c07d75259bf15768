/**
 * Stage 1, scan: stream a release directory as chunks of (path, size, mtime) columns.
 *
 * Streaming is the point: the walker holds a stack of directories, never a list of files,
 * so a release of millions of files costs the memory of a few chunks. The walk runs on a
 * thread of its own (scan-thread.ts): a stat per file through fs.promises cost the main
 * thread ~60 µs of every file's time in a profile of the bench (a promise, an async-hooks
 * context and a libuv request each), the walk on a thread costs nothing there.
 * Only regular files are archived; symlinks are not followed (they could point outside
 * ARCHIVE_DATA_ROOT). Every entry left out comes with its chunk (`skipped`), with a reason.
 */
import type { Worker } from 'node:worker_threads';
import { startThread } from '../threads/spawn.js';
import type { ProductRules } from './rules.js';
import type { ScanThreadInput, ScanThreadMessage, SkippedEntries } from './scan-thread.js';

export type { SkippedEntries };

/** One chunk of scanned files, as parallel arrays (what the register statement binds). */
export interface ScanChunk {
  /** Relative to the release root, '/'-separated. */
  paths: string[];
  sizes: number[];
  mtimesMs: number[];
  /** Entries of the release left out, with a code and reason each (may be empty). */
  skipped: SkippedEntries;
}

/** The release directory itself cannot be read: the scan cannot run (retrying will not help). */
export class ScanError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

export interface ScanOptions {
  chunkSize?: number;
  /** Chunks the walker may run ahead of the consumer. */
  ahead?: number;
  /** The release's rules: paths they ignore (and the rules file itself) are left out. */
  rules?: ProductRules | null;
}

const SCAN_THREAD = new URL('./scan-thread.ts', import.meta.url);

/**
 * Threads that finished a walk wait here for the next scan. Starting one costs ~100 ms before
 * its first chunk (thread start, bundle load): a 20,000-blob run took ~0.75 s, and with a new
 * thread per scan both cores idled for most of its first 100 ms (bench trace). Unref'd while
 * idle, so they never keep the process alive.
 */
const idleThreads: Worker[] = [];
const MAX_IDLE_THREADS = 2;

/**
 * Builds the scan thread's bundle and starts a thread, so that the first scan of this process
 * finds one ready (the worker calls this at start).
 */
export function prepareScanThread(): void {
  if (!idleThreads.length) keepIdle(startScanThread());
}

/** Scan threads waiting for a scan (for tests and diagnostics). */
export function idleScanThreads(): number {
  return idleThreads.length;
}

export async function* scanRelease(root: string, opts: ScanOptions = {}): AsyncGenerator<ScanChunk> {
  const credits = new Int32Array(new SharedArrayBuffer(4));
  credits[0] = opts.ahead ?? 4;
  const input: ScanThreadInput = { root, chunkSize: opts.chunkSize ?? 1000, rules: opts.rules ?? null, credits };
  const thread = idleThreads.pop() ?? startScanThread();
  thread.ref();
  const inbox: ScanThreadMessage[] = [];
  let wake: (() => void) | null = null;
  let failure: Error | null = null;
  let walked = false;
  const onMessage = (m: ScanThreadMessage) => {
    inbox.push(m);
    wake?.();
  };
  const onError = (err: Error) => {
    failure = err;
    wake?.();
  };
  const onExit = (code: number) => {
    failure ??= new Error(`scan thread exited with code ${code}`);
    wake?.();
  };
  thread.on('message', onMessage).on('error', onError).on('exit', onExit);
  thread.postMessage(input);
  try {
    for (;;) {
      while (!inbox.length && !failure) await new Promise<void>((resolve) => (wake = resolve));
      wake = null;
      if (failure) throw failure;
      const m = inbox.shift()!;
      if (m.type === 'done') {
        walked = true;
        return;
      }
      // The message names no server path: it may end up where readers of the release see it.
      if (m.type === 'error') throw new ScanError(`the release directory cannot be read: ${m.message}`, m.code);
      if (m.paths.length || m.skipped.paths.length) yield { paths: m.paths, sizes: m.sizes, mtimesMs: m.mtimesMs, skipped: m.skipped };
      // Taken: the walker may post one more.
      Atomics.add(credits, 0, 1);
      Atomics.notify(credits, 0);
    }
  } finally {
    thread.off('message', onMessage).off('error', onError).off('exit', onExit);
    // A thread whose walk ended is kept for the next scan. Otherwise (the consumer stopped
    // early, the walk failed) it is stopped: the walker must not outlive its scan.
    if (walked) keepIdle(thread);
    else await thread.terminate();
  }
}

function startScanThread(): Worker {
  const thread = startThread(SCAN_THREAD);
  // A thread that dies while idle must not be handed to the next scan.
  thread.on('exit', () => {
    const i = idleThreads.indexOf(thread);
    if (i >= 0) idleThreads.splice(i, 1);
  });
  return thread;
}

function keepIdle(thread: Worker): void {
  if (idleThreads.length >= MAX_IDLE_THREADS) {
    void thread.terminate();
    return;
  }
  thread.unref();
  idleThreads.push(thread);
}
