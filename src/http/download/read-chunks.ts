/**
 * Reads `length` bytes of an open descriptor from `start`, as fresh buffers of at most
 * `chunk` bytes (each yielded buffer is the consumer's: a socket may hold it until sent).
 * The descriptor is the caller's: this never closes it (fs.ReadStream's destroy() would,
 * even with autoClose off, and a descriptor closed twice may close someone else's).
 * Stops early when the file ends before `length`: the caller compares what it got.
 *
 * One read runs ahead: the next chunk is read (on libuv's thread pool) while the consumer
 * writes this one to its socket, instead of the two taking turns. When the consumer stops
 * early, the read ahead is awaited before this returns, so the caller may close the
 * descriptor as soon as its loop is over: no read is ever left in flight on it.
 */
import fs from 'node:fs';

const read = (fd: number, buf: Buffer, pos: number) =>
  new Promise<number>((resolve, reject) => fs.read(fd, buf, 0, buf.length, pos, (err, n) => (err ? reject(err) : resolve(n))));

export async function* readChunks(fd: number, start: number, length: number, chunk: number): AsyncGenerator<Buffer> {
  const end = start + length;
  const readAt = async (pos: number) => {
    const buf = Buffer.allocUnsafe(Math.min(chunk, end - pos));
    const n = await read(fd, buf, pos);
    return { bytes: n === buf.length ? buf : buf.subarray(0, n), short: n < buf.length };
  };
  let pos = start;
  let ahead: ReturnType<typeof readAt> | null = pos < end ? readAt(pos) : null;
  try {
    while (ahead) {
      const { bytes, short } = await ahead;
      ahead = null;
      if (bytes.length === 0) return;
      pos += bytes.length;
      // A short read is the file's end (a truncation the caller detects): nothing past it.
      if (pos < end && !short) ahead = readAt(pos);
      yield bytes;
    }
  } finally {
    // The consumer stopped (a client left, a write failed): let the read ahead finish first.
    if (ahead) await ahead.catch(() => undefined);
  }
}
