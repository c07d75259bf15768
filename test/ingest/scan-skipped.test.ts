/**
 * Nothing is left out silently: every entry the scan does not archive comes with a code and a
 * reason (symlinks and symlink loops, FIFOs, sockets, names that are not UTF-8, paths too long
 * to store), and an over-long directory costs that directory only.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanRelease, type ScanChunk } from '../../src/ingest/scan.js';

let root: string;
let server: net.Server;
const LONG = 'd'.repeat(255);

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'aa-scan-skip-'));
  fs.writeFileSync(path.join(root, 'good.fits'), 'x');
  fs.mkdirSync(path.join(root, 'sub'));
  fs.writeFileSync(path.join(root, 'sub', 'ok.txt'), 'y');
  fs.symlinkSync('/etc/passwd', path.join(root, 'sub', 'outside'));
  fs.symlinkSync('loop-b', path.join(root, 'loop-a'));
  fs.symlinkSync('loop-a', path.join(root, 'loop-b'));
  fs.symlinkSync('/etc', path.join(root, 'etc-dir'));
  execFileSync('mkfifo', [path.join(root, 'pipe')]);
  server = net.createServer();
  await new Promise<void>((resolve) => server.listen(path.join(root, 'sock'), resolve));
  // A name that is not UTF-8 (byte 0xff): Node's string APIs cannot even name it.
  fs.writeFileSync(Buffer.concat([Buffer.from(`${root}/bad-`), Buffer.from([0xff]), Buffer.from('.fits')]), 'z');
  // Nested 255-byte directory names, 17 deep: over PATH_MAX (4096) from the root; created step
  // by step (relative mkdir), as no single path may name the deepest one.
  const mkdeep = `import os\nos.chdir(${JSON.stringify(root)})\nfor _ in range(17):\n    os.mkdir('${LONG}')\n    os.chdir('${LONG}')\nopen('deep.fits', 'w').write('deep')`;
  execFileSync('/usr/bin/python3', ['-c', mkdeep]);
});
afterAll(() => {
  server?.close();
  if (root) execFileSync('rm', ['-rf', root]); // fs.rmSync cannot reach past PATH_MAX
});

async function collect(it: AsyncIterable<ScanChunk>): Promise<ScanChunk[]> {
  const out: ScanChunk[] = [];
  for await (const c of it) out.push(c);
  return out;
}

describe('scan: entries left out', () => {
  it('reports every entry it does not archive, with a code and reason, and goes on', async () => {
    const chunks = await collect(scanRelease(root, { chunkSize: 3 }));
    const files = chunks.flatMap((c) => c.paths).sort();
    expect(files).toEqual(['good.fits', 'sub/ok.txt']);
    const skipped = Object.fromEntries(chunks.flatMap((c) => c.skipped.paths.map((p, k) => [p, `${c.skipped.codes[k]}: ${c.skipped.messages[k]}`])));
    const deepDir = Array.from({ length: 9 }, () => LONG).join('/'); // 8 levels fit in 2,048 bytes (2,047)
    expect(skipped).toEqual({
      'sub/outside': expect.stringMatching(/^SYMLINK_NOT_FOLLOWED: symbolic link, not followed/),
      'loop-a': expect.stringMatching(/^SYMLINK_NOT_FOLLOWED/),
      'loop-b': expect.stringMatching(/^SYMLINK_NOT_FOLLOWED/),
      'etc-dir': expect.stringMatching(/^SYMLINK_NOT_FOLLOWED/),
      pipe: 'NOT_REGULAR_FILE: FIFO (named pipe), not a regular file',
      sock: 'NOT_REGULAR_FILE: socket, not a regular file',
      'bad-\\xff.fits': 'NAME_NOT_UTF8: file name is not valid UTF-8; rename it to archive it',
      [deepDir]: expect.stringMatching(/^PATH_TOO_LONG: path is 2303 bytes, longer than the 2048 .*; its files are not archived$/),
    });
    // Nothing names a server path.
    expect(JSON.stringify(chunks)).not.toContain(root);
  });
});
