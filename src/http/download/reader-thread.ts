/**
 * Thread side of the archive reader (./reader.ts): opens, checks and reads a chunk of small
 * files with blocking calls (cheap here: this thread does nothing else) and answers with one
 * buffer of tar members (header, data, padding), moved to the main thread, not copied. Files
 * marked `stream` (too large to read whole) are left to the main thread, which streams them.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { openCheckedSync } from './open-served.js';
import { fileHeader, padding } from './tar-format.js';
import type { ReadEntry, ReadRequest, ReadResponse } from './reader-types.js';

/** Room for one member's headers (ustar, plus a pax header for a long or non-ASCII name). */
const HEADER_ROOM = 2048;
const EMPTY = Buffer.alloc(0);

parentPort!.on('message', (req: ReadRequest) => {
  try {
    // One buffer for the whole chunk, sized from the sizes the ingest recorded (a file whose
    // size differs now is left out before it is read): no copy here, and it moves, not copies.
    let capacity = 0;
    for (const file of req.files) if (!file.stream) capacity += req.raw ? file.sizeBytes : HEADER_ROOM + file.sizeBytes + padding(file.sizeBytes);
    const buffer = new ArrayBuffer(capacity);
    const out = Buffer.from(buffer);
    const entries: ReadEntry[] = [];
    let offset = 0;
    for (const file of req.files) {
      if (file.stream) {
        entries.push({ kind: 'stream' });
        continue;
      }
      const opened = openCheckedSync(file);
      if (!opened.ok) {
        entries.push({ kind: 'left-out', problem: opened.problem, message: opened.message });
        continue;
      }
      try {
        const size = opened.stat.size;
        const header = req.raw ? EMPTY : fileHeader(`${req.top}/${file.path}`, size, opened.stat.mtimeMs / 1000);
        if (header.length > HEADER_ROOM) {
          entries.push({ kind: 'left-out', problem: 'changed', message: 'the path is too long to be named in the archive' });
          continue;
        }
        header.copy(out, offset);
        const data = out.subarray(offset + header.length, offset + header.length + size);
        let n = 0;
        while (n < size) {
          const r = fs.readSync(opened.fd, data, n, size - n, n);
          if (r === 0) break;
          n += r;
        }
        if (n < size) {
          entries.push({ kind: 'left-out', problem: 'changed', message: 'the file became shorter while it was being read' });
          continue;
        }
        const length = header.length + size + (req.raw ? 0 : padding(size));
        out.fill(0, offset + header.length + size, offset + length);
        entries.push({ kind: 'whole', offset, length, hex: file.checksum ?? crypto.createHash('sha256').update(data).digest('hex') });
        offset += length;
      } finally {
        fs.closeSync(opened.fd);
      }
    }
    parentPort!.postMessage({ seq: req.seq, buffer, used: offset, entries } satisfies ReadResponse, [buffer]);
  } catch (err) {
    parentPort!.postMessage({ seq: req.seq, error: (err as Error).stack ?? String(err) } satisfies ReadResponse);
  }
});
