/**
 * `sample <dir>`: write a small synthetic release to try the archive with (the bench's
 * generator: spectra, cubes and images of shared sources with WCS in their headers,
 * FITS catalogues, blobs). A new user has no survey data at hand; this is what the README's
 * first steps ingest.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { generateRelease, type ReleaseShape } from '../../bench/generate.js';
import { intOption, UsageError, type CliIo } from '../io.js';

const USAGE = `Usage: astroarchive sample <dir> [--spectra N] [--cubes N] [--images N] [--catalogues N] [--blobs N] [--sources N]

Write a small synthetic release into <dir> (created; it must not exist or be empty), to try
the archive with: astroarchive ingest <dir> --survey DEMO --release DR1 --wait.
Defaults: 200 spectra, 4 cubes, 12 images, 2 catalogues, 40 blobs, of 40 sources.
`;

const KINDS = ['spectra', 'cubes', 'images', 'catalogues', 'blobs', 'sources'] as const;
const DEFAULTS: ReleaseShape = { spectra: 200, cubes: 4, images: 12, catalogues: 2, blobs: 40, sources: 40 };
const MOST = 100_000;

export async function sampleCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { help: { type: 'boolean', short: 'h' }, ...Object.fromEntries(KINDS.map((k) => [k, { type: 'string' as const }])) },
  });
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError('sample takes one directory: astroarchive sample <dir>');
  const shape: ReleaseShape = { ...DEFAULTS };
  for (const k of KINDS) shape[k] = intOption(`--${k}`, (values as Record<string, string | undefined>)[k], k === 'sources' ? 1 : 0, MOST) ?? DEFAULTS[k];
  const dir = path.resolve(io.cwd, positionals[0]!);
  if (fs.existsSync(dir) && fs.readdirSync(dir).length > 0) throw new UsageError(`${dir} is not empty: give a new directory`);
  fs.mkdirSync(dir, { recursive: true });
  const { files, bytes } = generateRelease(dir, shape);
  io.out(`wrote ${files} files (${(bytes / 1e6).toFixed(1)} MB) into ${dir}\n`);
  return 0;
}
