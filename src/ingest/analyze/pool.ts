/**
 * The analysis thread pool: reading, checksumming and validating files is CPU work, so it
 * runs on worker threads (one per core by default) while the main thread talks to
 * PostgreSQL. Batches are cut into small chunks so that all threads share a batch, progress
 * can be shown per chunk, and a single huge file does not hold up the rest.
 */
import os from 'node:os';
import type { Worker } from 'node:worker_threads';
import { startThread } from '../../threads/spawn.js';
import { concatColumns, type AnalysisColumns } from './columns.js';
import type { AnalyzeRequest, FileTask } from './types.js';
import type { WorkerRequest, WorkerResponse } from './worker.js';
import type { ProductRules } from '../rules.js';

interface Pending {
  resolve(r: AnalysisColumns): void;
  reject(e: Error): void;
}

interface Slot {
  worker: Worker;
  busy: number;
}

export interface AnalysisPool {
  readonly size: number;
  /** Analyse files; `onChunk` is told the last file of each chunk as it is done. */
  analyze(files: FileTask[], rules: ProductRules, onChunk?: (lastPath: string) => void): Promise<AnalysisColumns>;
  close(): Promise<void>;
}

export function createAnalysisPool(size = Math.max(1, os.availableParallelism()), chunkSize = 32): AnalysisPool {
  const entry = new URL('./worker.ts', import.meta.url);
  const pending = new Map<number, Pending>();
  let seq = 0;
  let closed = false;
  const slots: Slot[] = [];

  const spawn = (): Slot => {
    // A thread holds one chunk of files at a time; capping its heap makes V8 collect instead of
    // growing, which keeps a long run's RSS flat (a 100,000-card header still fits easily).
    const slot: Slot = { worker: startThread(entry, { resourceLimits: { maxOldGenerationSizeMb: 256, maxYoungGenerationSizeMb: 32 } }), busy: 0 };
    slot.worker.unref();
    slot.worker.on('message', (msg: WorkerResponse) => {
      slot.busy--;
      const p = pending.get(msg.seq);
      pending.delete(msg.seq);
      if (!p) return;
      if (msg.error) p.reject(new Error(`analysis thread failed: ${msg.error}`));
      else p.resolve(msg.results!);
    });
    slot.worker.on('error', (err) => failSlot(slot, err));
    slot.worker.on('exit', (code) => {
      if (!closed) failSlot(slot, new Error(`analysis thread exited with code ${code}`));
    });
    return slot;
  };
  // A dead thread fails its in-flight chunks (the batch is retried) and is replaced.
  const inFlight = new Map<number, Slot>();
  const failSlot = (slot: Slot, err: Error) => {
    for (const [s, owner] of inFlight) {
      if (owner !== slot) continue;
      pending.get(s)?.reject(err);
      pending.delete(s);
      inFlight.delete(s);
    }
    const i = slots.indexOf(slot);
    if (i >= 0 && !closed) slots[i] = spawn();
  };
  for (let i = 0; i < size; i++) slots.push(spawn());

  const runChunk = (request: AnalyzeRequest): Promise<AnalysisColumns> => {
    if (closed) return Promise.reject(new Error('analysis pool is closed'));
    const slot = slots.reduce((a, b) => (b.busy < a.busy ? b : a));
    const id = ++seq;
    slot.busy++;
    inFlight.set(id, slot);
    return new Promise<AnalysisColumns>((resolve, reject) => {
      pending.set(id, {
        resolve: (r) => {
          inFlight.delete(id);
          resolve(r);
        },
        reject: (e) => {
          inFlight.delete(id);
          reject(e);
        },
      });
      slot.worker.postMessage({ seq: id, request } satisfies WorkerRequest);
    });
  };

  return {
    size,
    async analyze(files, rules, onChunk) {
      const chunks: Promise<AnalysisColumns>[] = [];
      for (let i = 0; i < files.length; i += chunkSize) {
        const chunk = files.slice(i, i + chunkSize);
        chunks.push(
          runChunk({ files: chunk, rules }).then((r) => {
            onChunk?.(chunk[chunk.length - 1].path);
            return r;
          }),
        );
      }
      return concatColumns(await Promise.all(chunks));
    },
    async close() {
      closed = true;
      await Promise.all(slots.map((s) => s.worker.terminate()));
    },
  };
}
