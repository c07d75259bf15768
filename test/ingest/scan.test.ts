/** The streamed scan on its own thread: chunks, rules, symlinks, errors, early stop, thread reuse. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idleScanThreads, scanRelease, type ScanChunk } from '../../src/ingest/scan.js';

let root: string;
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'aa-scan-'));
  for (let d = 0; d < 5; d++) {
    fs.mkdirSync(path.join(root, `d${d}`, 'deep'), { recursive: true });
    for (let i = 0; i < 50; i++) fs.writeFileSync(path.join(root, `d${d}`, `f${i}.fits`), 'x'.repeat(i));
    fs.writeFileSync(path.join(root, `d${d}`, 'deep', 'run.log'), 'log');
  }
  fs.writeFileSync(path.join(root, 'astroarchive.json'), '{}');
  fs.symlinkSync('/etc/passwd', path.join(root, 'escape'));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

async function collect(it: AsyncIterable<ScanChunk>): Promise<ScanChunk[]> {
  const out: ScanChunk[] = [];
  for await (const c of it) out.push(c);
  return out;
}

describe('scanRelease', () => {
  it('streams every regular file once, in chunks, with its size and mtime', async () => {
    const chunks = await collect(scanRelease(root, { chunkSize: 40 }));
    const skipped = chunks.flatMap((c) => c.skipped.paths.map((p, k) => `${p}: ${c.skipped.codes[k]}`));
    const paths = chunks.flatMap((c) => c.paths);
    expect(paths).toHaveLength(5 * 51 + 1);
    expect(new Set(paths).size).toBe(paths.length);
    expect(chunks.slice(0, -1).every((c) => c.paths.length === 40)).toBe(true);
    const i = paths.indexOf('d3/f17.fits');
    const c = chunks.find((ch) => ch.paths.includes('d3/f17.fits'))!;
    const j = c.paths.indexOf('d3/f17.fits');
    expect(i).toBeGreaterThanOrEqual(0);
    expect(c.sizes[j]).toBe(17);
    expect(c.mtimesMs[j]).toBe(fs.statSync(path.join(root, 'd3/f17.fits')).mtimeMs);
    expect(paths).toContain('d0/deep/run.log');
    expect(skipped).toEqual(['escape: SYMLINK_NOT_FOLLOWED']);
  });

  it("leaves out what the release's rules ignore, and the rules file itself", async () => {
    const chunks = await collect(scanRelease(root, { rules: { products: [], ignore: ['**/*.log'] } }));
    const paths = chunks.flatMap((c) => c.paths);
    expect(paths).toHaveLength(5 * 50);
    expect(paths.some((p) => p.endsWith('.log') || p === 'astroarchive.json')).toBe(false);
  });

  it('fails with the reason, and no server path, when the root cannot be read', async () => {
    const failed = collect(scanRelease(path.join(root, 'nope')));
    await expect(failed).rejects.toThrow(/^the release directory cannot be read: ENOENT: no such file or directory$/);
    await expect(failed).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('stops its thread when the consumer stops early', async () => {
    let taken = 0;
    for await (const c of scanRelease(root, { chunkSize: 10, ahead: 1 })) {
      taken += c.paths.length;
      break;
    }
    expect(taken).toBe(10);
    // A second full scan still works (nothing left holding the directory or the process).
    expect((await collect(scanRelease(root))).flatMap((c) => c.paths)).toHaveLength(5 * 51 + 1);
  });

  it("keeps a thread whose walk ended for the next scan, and stops one that was stopped early", async () => {
    await collect(scanRelease(root));
    const idle = idleScanThreads();
    expect(idle).toBeGreaterThan(0);
    const early = scanRelease(root, { chunkSize: 10, ahead: 1 })[Symbol.asyncIterator]();
    expect((await early.next()).value?.paths).toHaveLength(10);
    expect(idleScanThreads()).toBe(idle - 1); // it took the waiting thread rather than starting one
    await early.return(undefined);
    expect(idleScanThreads()).toBe(idle - 1); // not handed on: its walk was cut short
    expect((await collect(scanRelease(root))).flatMap((c) => c.paths)).toHaveLength(5 * 51 + 1);
    expect(idleScanThreads()).toBe(Math.max(idle - 1, 1));
  });
});
