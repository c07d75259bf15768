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
import type { ReadEntry, ReadFile, ReadRequest, ReadResponse, TarRequest, TarResponse } from './reader-types.js';

export interface ReadChunk {
  buffer: Buffer;
  entries: ReadEntry[];
}

let worker: Worker | null = null;
let seq = 0;
// Each request's own resolve turns its answer (ReadResponse or TarResponse) into its result.
const pending = new Map<number, { resolve(msg: ReadResponse & TarResponse): void; reject(e: Error): void }>();

function thread(): Worker {
  if (worker) return worker;
  const w = startThread(new URL('./reader-thread.ts', import.meta.url));
  w.unref();
  w.on('message', (msg: ReadResponse & TarResponse) => {
    const p = pending.get(msg.seq);
    if (!p) return;
    pending.delete(msg.seq);
    if (msg.error !== undefined) p.reject(new Error(`archive reader: ${msg.error}`));
    else p.resolve(msg);
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
    pending.set(id, { resolve: (msg) => resolve({ buffer: Buffer.from(msg.buffer!, 0, msg.used), entries: msg.entries! }), reject });
    thread().postMessage({ seq: id, top, files, raw } satisfies ReadRequest);
  });
}

/** A release archive's chunk built on the thread: its members (`data`) and SHA256SUMS lines. */
export interface TarChunk {
  data: Buffer;
  sums: string;
  files: number;
  bytes: number;
  leftOut: NonNullable<TarResponse['leftOut']>;
  /** Call once `data` has been written (the socket is done with it): the buffer is filled again. */
  release(): void;
}

export type TarFiles = Omit<TarRequest, 'kind' | 'seq' | 'top' | 'spare'>;

/** Chunk buffers written and handed back (see TarChunk.release), sent with the next requests. */
const spares: ArrayBuffer[] = [];
const SPARES = 4;

export function readTarChunk(top: string, files: TarFiles): Promise<TarChunk> {
  const id = ++seq;
  const spare = spares.pop() ?? null;
  return new Promise<TarChunk>((resolve, reject) => {
    pending.set(id, {
      resolve: (msg) => {
        const buffer = msg.buffer!;
        const release = () => {
          if (spares.length < SPARES && !spares.includes(buffer)) spares.push(buffer);
        };
        resolve({ data: Buffer.from(buffer, 0, msg.used), sums: msg.sums!, files: msg.files!, bytes: msg.bytes!, leftOut: msg.leftOut!, release });
      },
      reject,
    });
    thread().postMessage({ kind: 'tar', seq: id, top, ...files, spare } satisfies TarRequest, spare ? [spare] : []);
  });
}
