/**
 * The API's access threads: reading a file to answer a request (spectrum values, a preview)
 * is work proportional to the file, so it runs on worker threads (src/threads: the same
 * bundles as the ingest's analysis threads), never on the event loop that serves everyone
 * else. Started on first use, at most two threads (the API shares the machine with
 * PostgreSQL and the ingest), unref'd: an idle pool keeps no process alive. A thread that
 * dies fails only its own tasks and is replaced.
 */
import os from 'node:os';
import type { Worker } from 'node:worker_threads';
import { startThread } from '../threads/spawn.js';
import { OpenProblem } from './open-file.js';
import type { AccessReply, AccessRequest, AccessResult, AccessTask } from './tasks.js';

interface Slot {
  worker: Worker;
  busy: number;
}

interface Pending {
  slot: Slot;
  resolve(r: AccessResult): void;
  reject(e: Error): void;
}

export class AccessPool {
  private readonly slots: Slot[] = [];
  private readonly pending = new Map<number, Pending>();
  private seq = 0;
  private closed = false;

  constructor(private readonly size = Math.min(2, Math.max(1, os.availableParallelism()))) {}

  run(task: AccessTask): Promise<AccessResult> {
    if (this.closed) return Promise.reject(new Error('the access threads are stopped'));
    while (this.slots.length < this.size) this.slots.push(this.spawn());
    const slot = this.slots.reduce((a, b) => (b.busy < a.busy ? b : a));
    const seq = ++this.seq;
    slot.busy++;
    return new Promise<AccessResult>((resolve, reject) => {
      this.pending.set(seq, { slot, resolve, reject });
      slot.worker.postMessage({ seq, task } satisfies AccessRequest);
    });
  }

  private spawn(): Slot {
    const slot: Slot = { worker: startThread(new URL('./worker.ts', import.meta.url), { resourceLimits: { maxOldGenerationSizeMb: 256, maxYoungGenerationSizeMb: 32 } }), busy: 0 };
    slot.worker.unref();
    slot.worker.on('message', (reply: AccessReply) => {
      const p = this.pending.get(reply.seq);
      if (!p) return;
      this.pending.delete(reply.seq);
      slot.busy--;
      if (reply.result) p.resolve(reply.result);
      else if (reply.problem) p.reject(new OpenProblem(reply.problem.code, reply.problem.message));
      else p.reject(new Error(`access thread failed: ${reply.error}`));
    });
    slot.worker.on('error', (err) => this.fail(slot, err));
    slot.worker.on('exit', (code) => this.fail(slot, new Error(`access thread exited with code ${code}`)));
    return slot;
  }

  private fail(slot: Slot, err: Error): void {
    for (const [seq, p] of this.pending) {
      if (p.slot !== slot) continue;
      this.pending.delete(seq);
      p.reject(err);
    }
    const i = this.slots.indexOf(slot);
    if (i >= 0) this.slots.splice(i, 1); // the next task starts a new one
  }

  async close(): Promise<void> {
    this.closed = true;
    const slots = this.slots.splice(0);
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }
}

let shared: AccessPool | undefined;

/** The process's access pool (threads start on the first task). */
export function accessPool(): AccessPool {
  return (shared ??= new AccessPool());
}

/** Stops the shared pool's threads (the HTTP app's stop); a later task starts a new pool. */
export async function closeAccessPool(): Promise<void> {
  const pool = shared;
  shared = undefined;
  await pool?.close();
}
