/**
 * readChunks (src/http/download/read-chunks.ts): a file's bytes in chunks, one read running
 * ahead of the consumer, and none left in flight on the descriptor once the consumer stops.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { readChunks } from '../../src/http/download/read-chunks.js';

let dir: string;
let file: string;
let bytes: Buffer;
const CHUNK = 64 * 1024;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'read-chunks-'));
  file = path.join(dir, 'data.bin');
  bytes = crypto.randomBytes(10 * CHUNK + 123);
  fs.writeFileSync(file, bytes);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

async function collect(fd: number, start: number, length: number): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for await (const c of readChunks(fd, start, length, CHUNK)) out.push(c);
  return out;
}

describe('readChunks', () => {
  it('yields exactly the bytes asked for, whole file and ranges', async () => {
    const fd = fs.openSync(file, 'r');
    try {
      expect(Buffer.concat(await collect(fd, 0, bytes.length)).equals(bytes)).toBe(true);
      expect(Buffer.concat(await collect(fd, 5, 3 * CHUNK)).equals(bytes.subarray(5, 5 + 3 * CHUNK))).toBe(true);
      expect(Buffer.concat(await collect(fd, bytes.length - 7, 7)).equals(bytes.subarray(-7))).toBe(true);
      expect(await collect(fd, 0, 0)).toEqual([]);
    } finally {
      fs.closeSync(fd);
    }
  });

  it('stops at the end of a file shorter than asked, with no read past it', async () => {
    const fd = fs.openSync(file, 'r');
    const reads = vi.spyOn(fs, 'read');
    try {
      const got = Buffer.concat(await collect(fd, bytes.length - 100, 5 * CHUNK));
      expect(got.equals(bytes.subarray(-100))).toBe(true);
      expect(reads).toHaveBeenCalledTimes(1);
    } finally {
      fs.closeSync(fd);
    }
  });

  it('has the next read under way while the consumer holds a chunk', async () => {
    const fd = fs.openSync(file, 'r');
    const reads = vi.spyOn(fs, 'read');
    try {
      const it = readChunks(fd, 0, bytes.length, CHUNK);
      await it.next();
      // The first chunk is with the consumer; the second is already being read.
      expect(reads).toHaveBeenCalledTimes(2);
      await it.return(undefined);
    } finally {
      fs.closeSync(fd);
    }
  });

  it('leaves no read in flight when the consumer stops early', async () => {
    const fd = fs.openSync(file, 'r');
    let inFlight = 0;
    const real = fs.read;
    vi.spyOn(fs, 'read').mockImplementation(((...args: unknown[]) => {
      const cb = args[args.length - 1] as (err: Error | null, n: number, b: Buffer) => void;
      inFlight++;
      // Held back a little: the consumer's return() arrives while this read is in flight.
      return (real as unknown as (...a: unknown[]) => void)(...args.slice(0, -1), (err: Error | null, n: number, b: Buffer) =>
        setTimeout(() => {
          inFlight--;
          cb(err, n, b);
        }, 20),
      );
    }) as unknown as typeof fs.read);
    try {
      for await (const c of readChunks(fd, 0, bytes.length, CHUNK)) {
        expect(c.length).toBe(CHUNK);
        break;
      }
      expect(inFlight).toBe(0);
    } finally {
      fs.closeSync(fd);
    }
  });
});
