/**
 * Thread side of the archive reader (./reader.ts): opens, checks and reads a chunk of small
 * files with blocking calls (cheap here: this thread does nothing else) and answers with one
 * buffer of tar members (header, data, padding), moved to the main thread, not copied. Files
 * marked `stream` (too large to read whole) are left to the main thread, which streams them.
 *
 * `tar` requests (a release archive's chunks) are answered with the chunk ready to send: its
 * members and their SHA256SUMS lines, in a buffer the main thread hands back once written
 * (`spare`), so a long archive reuses a few buffers instead of allocating (and zeroing, and
 * collecting) one per chunk.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { openCheckedInDirSync, openCheckedSync, openDirCheckedSync } from './open-served.js';
import { sumLine } from './sha256sums.js';
import { fileHeader, padding, writeFileHeader } from './tar-format.js';
import type { ReadEntry, ReadRequest, ReadResponse, TarRequest, TarResponse } from './reader-types.js';

/** Room for one member's headers (ustar, plus a pax header for a long or non-ASCII name). */
const HEADER_ROOM = 2048;
const EMPTY = Buffer.alloc(0);

const isTar = (msg: ReadRequest | TarRequest): msg is TarRequest => (msg as TarRequest).kind === 'tar';

parentPort!.on('message', (msg: ReadRequest | TarRequest) => {
  if (isTar(msg)) return buildTar(msg);
  const req = msg;
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

/** Chunk buffers handed back by the main thread, to fill again (at most SPARES kept). */
const spares: ArrayBuffer[] = [];
const SPARES = 4;

function buildTar(req: TarRequest): void {
  try {
    if (req.spare && spares.length < SPARES) spares.push(req.spare);
    let capacity = 0;
    for (const size of req.sizes) capacity += HEADER_ROOM + size + padding(size);
    const spareAt = spares.findIndex((b) => b.byteLength >= capacity);
    const buffer = spareAt >= 0 ? spares.splice(spareAt, 1)[0] : new ArrayBuffer(capacity);
    const out = Buffer.from(buffer);
    const leftOut: NonNullable<TarResponse['leftOut']> = [];
    let offset = 0;
    let sums = '';
    let bytes = 0;
    const n = req.paths.length;
    for (let i = 0; i < n; i++) {
      const path = req.paths[i];
      const row = { path, sizeBytes: req.sizes[i], mtimeMs: req.mtimesMs[i], root: req.roots[i] };
      // A chunk's files share a few directories: each is opened and checked once, its files opened through it.
      const dirKey = `${row.root}/${path.slice(0, Math.max(0, path.lastIndexOf('/')))}`;
      let dirFd = dirs.get(dirKey);
      if (dirFd === undefined) dirs.set(dirKey, (dirFd = openDirCheckedSync(row.root, path.slice(0, Math.max(0, path.lastIndexOf('/'))))));
      const opened = dirFd === null ? openCheckedSync(row) : openCheckedInDirSync(dirFd, row);
      if (!opened.ok) {
        leftOut.push({ index: i, problem: opened.problem, message: opened.message });
        continue;
      }
      try {
        const size = opened.stat.size;
        // Every byte up to the next offset is written (header, data, padding): a reused buffer needs no clearing.
        const head = writeFileHeader(out, offset, `${req.top}/${path}`, size, opened.stat.mtimeMs / 1000, HEADER_ROOM);
        if (head < 0) {
          leftOut.push({ index: i, problem: 'changed', message: 'the path is too long to be named in the archive' });
          continue;
        }
        const start = offset + head;
        let got = 0;
        while (got < size) {
          const r = fs.readSync(opened.fd, out, start + got, size - got, got);
          if (r === 0) break;
          got += r;
        }
        if (got < size) {
          leftOut.push({ index: i, problem: 'changed', message: 'the file became shorter while it was being read' });
          continue;
        }
        const pad = padding(size);
        if (pad) out.fill(0, start + size, start + size + pad);
        const hex = req.checksums[i] ?? crypto.createHash('sha256').update(out.subarray(start, start + size)).digest('hex');
        sums += sumLine(hex, path);
        bytes += size;
        offset = start + size + pad;
      } finally {
        fs.closeSync(opened.fd);
      }
    }
    const res: TarResponse = { seq: req.seq, buffer, used: offset, sums, files: n - leftOut.length, bytes, leftOut };
    parentPort!.postMessage(res, [buffer]);
  } catch (err) {
    parentPort!.postMessage({ seq: req.seq, error: (err as Error).stack ?? String(err) } satisfies TarResponse);
  } finally {
    for (const fd of dirs.values()) if (fd !== null) fs.closeSync(fd);
    dirs.clear();
  }
}

/** The directories of the chunk being built (./open-served.ts openDirCheckedSync), closed when it is done. */
const dirs = new Map<string, number | null>();
