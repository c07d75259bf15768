/**
 * Scan walker, run on a thread of its own (see scan.ts): walks a release tree with synchronous
 * calls, which on a thread of its own are the cheapest calls (no promise, no libuv request per
 * file), and posts the files it finds in columnar chunks.
 *
 * Back-pressure: `credits` (shared memory) counts the chunks the main thread is ready for. The
 * walker waits on it before posting, so a walk over millions of files is never more than a
 * few chunks ahead of the database, however fast the disk.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parentPort } from 'node:worker_threads';
import { compileRules, type ProductRules } from './rules.js';

export interface ScanThreadInput {
  root: string;
  chunkSize: number;
  /** The release's rules: paths they ignore are left out (compiled here: functions can't cross threads). */
  rules: ProductRules | null;
  /** Int32Array over a SharedArrayBuffer: [0] = chunks the consumer will take. */
  credits: Int32Array;
}

export type ScanThreadMessage =
  | { type: 'chunk'; paths: string[]; sizes: number[]; mtimesMs: number[]; skipped: Array<[string, string]> }
  | { type: 'done' }
  | { type: 'error'; message: string; code?: string };

const WAIT_MS = 1000;

function walk({ root, chunkSize, rules, credits }: ScanThreadInput): void {
  const ignored = rules ? compileRules(rules).ignored : null;
  let paths: string[] = [];
  let sizes: number[] = [];
  let mtimesMs: number[] = [];
  let skipped: Array<[string, string]> = [];
  const post = () => {
    while (Atomics.load(credits, 0) <= 0) Atomics.wait(credits, 0, Atomics.load(credits, 0), WAIT_MS);
    Atomics.sub(credits, 0, 1);
    parentPort!.postMessage({ type: 'chunk', paths, sizes, mtimesMs, skipped } satisfies ScanThreadMessage);
    paths = [];
    sizes = [];
    mtimesMs = [];
    skipped = [];
  };

  // A stack of directories, never a list of files; entries come from opendir (no whole
  // directory arrays), so memory is one chunk plus the directories still to visit.
  const dirs: string[] = [''];
  while (dirs.length) {
    const relDir = dirs.pop()!;
    const dir = fs.opendirSync(path.join(root, relDir), { bufferSize: 256 });
    try {
      for (let entry = dir.readSync(); entry !== null; entry = dir.readSync()) {
        const rel = relDir ? `${relDir}/${entry.name}` : entry.name;
        if (ignored?.(rel)) continue;
        if (entry.isDirectory()) dirs.push(rel);
        else if (entry.isFile()) {
          // A file deleted between readdir and stat is simply not part of the release.
          const s = fs.statSync(path.join(root, rel), { throwIfNoEntry: false });
          if (!s?.isFile()) continue;
          paths.push(rel);
          sizes.push(s.size);
          mtimesMs.push(s.mtimeMs);
          if (paths.length >= chunkSize) post();
        } else skipped.push([rel, entry.isSymbolicLink() ? 'symbolic link (not followed)' : 'not a regular file']);
      }
    } finally {
      dir.closeSync();
    }
  }
  if (paths.length || skipped.length) post();
}

// One walk per request; the thread then waits for the next (scan.ts keeps it for the next scan).
parentPort!.on('message', (input: ScanThreadInput) => {
  try {
    walk(input);
    parentPort!.postMessage({ type: 'done' } satisfies ScanThreadMessage);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    parentPort!.postMessage({ type: 'error', message: e.message, code: e.code } satisfies ScanThreadMessage);
  }
});
