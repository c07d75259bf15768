/**
 * Main-thread side of a catalogue load thread: one thread per load (started per job, ended
 * with it), one request at a time. `chunks` asks for the next chunk as soon as the current
 * one is handed out, so decoding on the thread overlaps the database's COPY; the consumer's
 * own pace (the COPY stream's backpressure) bounds how far ahead it runs: one chunk.
 */
import type { Worker } from 'node:worker_threads';
import { startThread } from '../threads/spawn.js';
import type { ColumnStatsOut } from './column-stats.js';
import { LoadProblem } from './copy-binary.js';
import type { ThreadReply, ThreadRequest } from './load-protocol.js';
import type { CatalogueRules, TablePlan } from './plan.js';

export class LoadReader {
  private readonly worker: Worker;
  private waiting: { resolve(r: ThreadReply): void; reject(e: Error): void } | null = null;
  private dead: Error | null = null;

  constructor() {
    this.worker = startThread(new URL('./load-thread.ts', import.meta.url), { resourceLimits: { maxOldGenerationSizeMb: 256 } });
    this.worker.on('message', (reply: ThreadReply) => {
      const w = this.waiting;
      this.waiting = null;
      if (!w) return;
      if (reply.op === 'error') w.reject(reply.problem ? new LoadProblem(reply.problem.code, reply.problem.message, reply.problem.column) : new Error(reply.message));
      else w.resolve(reply);
    });
    const fail = (err: Error) => {
      this.dead = err;
      this.waiting?.reject(err);
      this.waiting = null;
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`catalogue load thread exited with code ${code}`)));
  }

  private ask(msg: ThreadRequest): Promise<ThreadReply> {
    if (this.dead) return Promise.reject(this.dead);
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      this.worker.postMessage(msg);
    });
  }

  async plan(absPath: string, relPath: string, rules: CatalogueRules): Promise<TablePlan[]> {
    const r = await this.ask({ op: 'plan', absPath, relPath, rules });
    return r.op === 'plan' ? r.plans : [];
  }

  /** The table's COPY data, chunk by chunk; the generator's return value is the row count. */
  /** The statistics of the table `chunks` last sent to its end. */
  lastStats: ColumnStatsOut[] = [];

  async *chunks(hdu: number, chunkBytes?: number): AsyncGenerator<Uint8Array, number, undefined> {
    await this.ask({ op: 'open', hdu, chunkBytes });
    let next: Promise<ThreadReply> | null = this.ask({ op: 'next' });
    try {
      for (;;) {
        const r: ThreadReply = await next;
        next = null;
        if (r.op === 'done') {
          this.lastStats = r.stats;
          return r.rows;
        }
        if (r.op !== 'chunk') throw new Error(`unexpected reply ${r.op}`);
        next = this.ask({ op: 'next' });
        // A rejection while the consumer is still writing this chunk is seen at the next await.
        next.catch(() => undefined);
        yield r.bytes;
      }
    } finally {
      // Stopped early (the COPY failed): let the request in flight answer, so the next one
      // is not taken for its reply.
      if (next) await next.catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}
