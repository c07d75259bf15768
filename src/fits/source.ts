/**
 * ByteSource implementations: an in-memory buffer (tests, the API re-parsing stored bytes)
 * and a file descriptor read with fs.readSync (ingest workers).
 *
 * Why a read-ahead cache: walking a file's headers asks for one 2880-byte block at a time,
 * and a syscall per block dominates the cost for the small files an archive is full of.
 * The file source therefore reads a larger window (64 KiB by default) on a miss and serves
 * later reads that fall inside it from memory, so a small file's whole structure walk is
 * one read(2). Large data reads (checksums, pixel streaming) bypass the window instead of
 * evicting it through a copy.
 */
import { readSync } from 'node:fs';
import type { ByteSource } from './types.js';

export const DEFAULT_READ_AHEAD = 64 * 1024;

/** A ByteSource over bytes already in memory; `read` returns views, never copies. */
export function bufferSource(buf: Uint8Array): ByteSource {
  const size = buf.length;
  return {
    size,
    read(offset: number, length: number): Uint8Array {
      const start = clamp(offset, size);
      return buf.subarray(start, clamp(start + Math.max(0, length), size));
    },
  };
}

/**
 * A ByteSource over an open file descriptor. `size` is the file size the caller already
 * knows (from fstat), so that no extra syscall is spent here. The returned arrays may be
 * views into the cache window: callers must not keep them across later reads if they
 * mutate them (nothing in src/fits does).
 */
export function fileSource(fd: number, size: number, readAhead: number = DEFAULT_READ_AHEAD): ByteSource {
  let window = new Uint8Array(0);
  let windowStart = 0;

  function readInto(target: Uint8Array, offset: number): number {
    let done = 0;
    // readSync may return short counts (pipes, network filesystems): loop until EOF.
    while (done < target.length) {
      const n = readSync(fd, target, done, target.length - done, offset + done);
      if (n <= 0) break;
      done += n;
    }
    return done;
  }

  return {
    size,
    read(offset: number, length: number): Uint8Array {
      const start = clamp(offset, size);
      const end = clamp(start + Math.max(0, length), size);
      if (end <= start) return new Uint8Array(0);
      if (start >= windowStart && end <= windowStart + window.length) {
        return window.subarray(start - windowStart, end - windowStart);
      }
      if (end - start >= readAhead) {
        // Big reads go straight to a fresh buffer; the window stays useful for headers.
        const out = new Uint8Array(end - start);
        return out.subarray(0, readInto(out, start));
      }
      const buf = new Uint8Array(Math.min(readAhead, size - start));
      window = buf.subarray(0, readInto(buf, start));
      windowStart = start;
      return window.subarray(0, Math.min(end - start, window.length));
    },
  };
}

function clamp(n: number, size: number): number {
  return n < 0 ? 0 : n > size ? size : n;
}
