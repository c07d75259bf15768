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

parentPort!.on('message', (req: ReadRequest) => {
  try {
    const parts: Buffer[] = [];
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
        const header = fileHeader(`${req.top}/${file.path}`, size, opened.stat.mtimeMs / 1000);
        const member = Buffer.allocUnsafe(header.length + size + padding(size));
        header.copy(member);
        const data = member.subarray(header.length, header.length + size);
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
        member.fill(0, header.length + size);
        parts.push(member);
        entries.push({ kind: 'whole', offset, length: member.length, hex: file.checksum ?? crypto.createHash('sha256').update(data).digest('hex') });
        offset += member.length;
      } finally {
        fs.closeSync(opened.fd);
      }
    }
    const all = Buffer.concat(parts, offset);
    // A fresh ArrayBuffer of exactly these bytes, moved (not copied) to the main thread.
    const buffer = all.buffer.slice(all.byteOffset, all.byteOffset + all.length);
    parentPort!.postMessage({ seq: req.seq, buffer, entries } satisfies ReadResponse, [buffer]);
  } catch (err) {
    parentPort!.postMessage({ seq: req.seq, error: (err as Error).stack ?? String(err) } satisfies ReadResponse);
  }
});
