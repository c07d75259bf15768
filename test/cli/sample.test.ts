/**
 * `astroarchive sample <dir>`: the small release a new user tries the archive with. The real
 * command writes the kinds it says, as FITS the archive's own parser reads, and refuses to
 * write into a directory that has files.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bufferSource, verifyFits } from '../../src/fits/index.js';
import { runCli } from '../helpers/cli-process.js';
import { tempDir } from '../helpers/ingest.js';

const root = tempDir('astroarchive-sample-');
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const filesUnder = (dir: string): string[] =>
  fs.existsSync(dir) ? fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name)) : [];

describe('astroarchive sample', () => {
  it('writes the kinds and counts asked for, as readable FITS', async () => {
    const dir = path.join(root, 'demo');
    const r = await runCli(['sample', dir, '--spectra', '7', '--cubes', '1', '--images', '2', '--catalogues', '1', '--blobs', '3'], { ARCHIVE_HOME: root });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('wrote 14 files');
    const counts = Object.fromEntries(['spectra', 'cubes', 'images', 'catalogues', 'blobs'].map((k) => [k, filesUnder(path.join(dir, k)).length]));
    expect(counts).toEqual({ spectra: 7, cubes: 1, images: 2, catalogues: 1, blobs: 3 });
    for (const f of filesUnder(dir).filter((f) => f.endsWith('.fits'))) {
      expect(verifyFits(bufferSource(fs.readFileSync(f))).issues.filter((i) => i.severity === 'ERROR'), f).toEqual([]);
    }
  });

  it('refuses a directory that has files, and a bad count, with exit 2', async () => {
    const full = path.join(root, 'full');
    fs.mkdirSync(full);
    fs.writeFileSync(path.join(full, 'keep.txt'), 'mine');
    const r = await runCli(['sample', full], { ARCHIVE_HOME: root });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('is not empty');
    expect(fs.readdirSync(full)).toEqual(['keep.txt']);
    const bad = await runCli(['sample', path.join(root, 'x'), '--spectra', 'many'], { ARCHIVE_HOME: root });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--spectra must be an integer');
  });
});
