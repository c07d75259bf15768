// Test-only load for a spawned process (`node --import <this file> ...`): once the file named
// by AA_BUSY_FILE exists, the main thread's event loop is blocked for AA_BUSY_BLOCK_MS out of
// every AA_BUSY_BLOCK_MS + AA_BUSY_GAP_MS, the way long synchronous work (parsing, JSON,
// a big batch's bookkeeping) starves a busy process's callbacks. Atomics.wait blocks without
// burning a core. Worker threads inherit --import; only the main thread is blocked.
import fs from 'node:fs';
import { isMainThread } from 'node:worker_threads';

const file = process.env.AA_BUSY_FILE;
if (file && isMainThread) {
  const block = Number(process.env.AA_BUSY_BLOCK_MS ?? 1200);
  const gap = Number(process.env.AA_BUSY_GAP_MS ?? 100);
  const cell = new Int32Array(new SharedArrayBuffer(4));
  const tick = () => {
    if (fs.existsSync(file)) Atomics.wait(cell, 0, 0, block);
    setTimeout(tick, gap).unref();
  };
  setTimeout(tick, gap).unref();
}
