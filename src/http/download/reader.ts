/**
 * Reads archive members on a thread of their own. Opening, checking and reading 20,000 small
 * files through the thread pool cost the main thread a callback per system call (five per
 * file); on one thread with blocking calls they cost the system calls only, and the main
 * thread is left to write the answer. One thread per process, started on the first archive
 * and shared by all (it does not keep the process alive); a thread that dies fails its
 * requests and is replaced on the next one.
 */
import type { Worker } from 'node:worker_threads';
import { startThread } from '../../threads/spawn.js';
import type { ReadEntry, ReadFile, ReadResponse } from './reader-types.js';

export interface ReadChunk {
  buffer: Buffer;
  entries: ReadEntry[];
}

let worker: Worker | null = null;
let seq = 0;
const pending = new Map<number, { resolve(r: ReadChunk): void; reject(e: Error): void }>();

function thread(): Worker {
  if (worker) return worker;
  const w = startThread(new URL('./reader-thread.ts', import.meta.url));
  w.unref();
  w.on('message', (msg: ReadResponse) => {
    const p = pending.get(msg.seq);
    if (!p) return;
    pending.delete(msg.seq);
    if (msg.error !== undefined) p.reject(new Error(`archive reader: ${msg.error}`));
    else p.resolve({ buffer: Buffer.from(msg.buffer!, 0, msg.used), entries: msg.entries! });
  });
  const fail = (err: Error) => {
    if (worker === w) worker = null;
    for (const [s, p] of pending) {
      pending.delete(s);
      p.reject(err);
    }
  };
  w.on('error', fail);
  w.on('exit', (code) => fail(new Error(`archive reader thread exited (${code})`)));
  worker = w;
  return w;
}

/** Members for `files`, in order: their bytes in one buffer, and what became of each file. */
export function readMembers(top: string, files: ReadFile[], raw = false): Promise<ReadChunk> {
  const id = ++seq;
  return new Promise<ReadChunk>((resolve, reject) => {
    pending.set(id, { resolve, reject });
    thread().postMessage({ seq: id, top, files, raw });
  });
}
