/**
 * Access thread: reads a file for the API (spectrum values, preview PNGs) off the main
 * thread, so that work proportional to a file's size never stalls other requests. One task
 * at a time per thread; the main side is ./pool.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parentPort } from 'node:worker_threads';
import { fileSource } from '../fits/source.js';
import { openAsScanned, OpenProblem } from './open-file.js';
import { placeholder, renderPreview } from './preview-render.js';
import { readSpectrum } from './spectrum-read.js';
import type { AccessReply, AccessRequest, AccessTask } from './tasks.js';

function run(task: AccessTask): AccessReply['result'] {
  const { fd, size } = openAsScanned(task.file);
  try {
    const src = fileSource(fd, size);
    if (task.op === 'spectrum') {
      try {
        return { op: 'spectrum', spectrum: readSpectrum(src, task.maxPoints) };
      } catch (err) {
        throw new OpenProblem('FILE_CORRUPT', `the spectrum could not be read from the file: ${(err as Error).message}`);
      }
    }
    let preview;
    try {
      preview = renderPreview(src);
    } catch (err) {
      // A parser bug or a hostile file costs one placeholder, not a failed request each time.
      preview = placeholder(`the image could not be read: ${(err as Error).message}`);
    }
    // Written under a temporary name and renamed: a reader never sees half a PNG, and two
    // processes writing the same preview both leave a whole one.
    const tmp = `${task.outPath}.${process.pid}.${Date.now()}.tmp`;
    fs.mkdirSync(path.dirname(task.outPath), { recursive: true });
    fs.writeFileSync(tmp, preview.png);
    fs.renameSync(tmp, task.outPath);
    return { op: 'preview', ...preview };
  } finally {
    fs.closeSync(fd);
  }
}

parentPort!.on('message', ({ seq, task }: AccessRequest) => {
  let reply: AccessReply;
  try {
    reply = { seq, result: run(task) };
  } catch (err) {
    reply = err instanceof OpenProblem ? { seq, problem: { code: err.code, message: err.message } } : { seq, error: (err as Error).stack ?? String(err) };
  }
  const transfer: ArrayBuffer[] = [];
  if (reply.result?.op === 'spectrum' && reply.result.spectrum) transfer.push(reply.result.spectrum.wavelength.buffer as ArrayBuffer, reply.result.spectrum.flux.buffer as ArrayBuffer);
  parentPort!.postMessage(reply, transfer);
});
