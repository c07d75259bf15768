/**
 * Catalogue load thread: plans a file's tables and encodes one table at a time into binary
 * COPY chunks, one chunk per `next` request. The main side (load-reader.ts) asks for the next
 * chunk only while the database keeps up, so at most a couple of chunks are ever in flight:
 * constant memory whatever the table's size.
 */
import fs from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { fileSource } from '../fits/source.js';
import type { ByteSource } from '../fits/types.js';
import { LoadProblem } from './copy-binary.js';
import type { TablePlan } from './plan.js';
import { encodeTable, planFile, type EncodedTable } from './read-table.js';
import type { ThreadReply, ThreadRequest } from './load-protocol.js';

let fd: number | null = null;
let src: ByteSource | null = null;
let plans: TablePlan[] = [];
let rows: Generator<Uint8Array, EncodedTable, undefined> | null = null;

function close(): void {
  rows?.return({ rows: 0, stats: [] });
  rows = null;
  if (fd !== null) fs.closeSync(fd);
  fd = null;
  src = null;
}

function handle(msg: ThreadRequest): { reply: ThreadReply; transfer?: ArrayBuffer[] } {
  switch (msg.op) {
    case 'plan': {
      close();
      // The last path component is not followed if it became a symlink since the scan.
      fd = fs.openSync(msg.absPath, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
      src = fileSource(fd, fs.fstatSync(fd).size);
      plans = planFile(src, msg.relPath, msg.rules);
      return { reply: { op: 'plan', plans } };
    }
    case 'open': {
      const plan = plans.find((p) => p.hdu === msg.hdu);
      if (!src || !plan) throw new Error(`no planned table for HDU ${msg.hdu}`);
      rows?.return({ rows: 0, stats: [] });
      rows = encodeTable(src, plan, msg.chunkBytes);
      return { reply: { op: 'opened' } };
    }
    case 'next': {
      if (!rows) throw new Error('no table is open');
      const step = rows.next();
      if (step.done) {
        rows = null;
        return { reply: { op: 'done', rows: step.value.rows, stats: step.value.stats } };
      }
      return { reply: { op: 'chunk', bytes: step.value }, transfer: [step.value.buffer as ArrayBuffer] };
    }
    case 'close':
      close();
      return { reply: { op: 'closed' } };
  }
}

parentPort!.on('message', (msg: ThreadRequest) => {
  try {
    const { reply, transfer } = handle(msg);
    parentPort!.postMessage(reply, transfer);
  } catch (err) {
    rows = null;
    const problem = err instanceof LoadProblem ? { code: err.code, message: err.message, column: err.column } : null;
    parentPort!.postMessage({ op: 'error', message: (err as Error).message, problem } satisfies ThreadReply);
  }
});
