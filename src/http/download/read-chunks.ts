/**
 * Reads `length` bytes of an open descriptor from `start`, as fresh buffers of at most
 * `chunk` bytes (each yielded buffer is the consumer's: a socket may hold it until sent).
 * The descriptor is the caller's: this never closes it (fs.ReadStream's destroy() would,
 * even with autoClose off, and a descriptor closed twice may close someone else's).
 * Stops early when the file ends before `length`: the caller compares what it got.
 */
import fs from 'node:fs';

const read = (fd: number, buf: Buffer, pos: number) =>
  new Promise<number>((resolve, reject) => fs.read(fd, buf, 0, buf.length, pos, (err, n) => (err ? reject(err) : resolve(n))));

export async function* readChunks(fd: number, start: number, length: number, chunk: number): AsyncGenerator<Buffer> {
  let pos = start;
  const end = start + length;
  while (pos < end) {
    const buf = Buffer.allocUnsafe(Math.min(chunk, end - pos));
    const n = await read(fd, buf, pos);
    if (n === 0) return;
    pos += n;
    yield n === buf.length ? buf : buf.subarray(0, n);
  }
}
