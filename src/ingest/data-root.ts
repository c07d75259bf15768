/**
 * Ingest reads only inside ARCHIVE_DATA_ROOT. A request names a directory (absolute, or
 * relative to the root); we resolve its *real* path (following symlinks) and refuse anything
 * whose real path is outside the root's real path, so `../` and symlinks cannot escape.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { badInput } from '../errors.js';

export async function resolveInsideDataRoot(dataRoot: string, requested: string, field = 'input.path'): Promise<string> {
  if (typeof requested !== 'string' || requested.trim() === '') {
    throw badInput('path is empty: give a directory inside ARCHIVE_DATA_ROOT', field);
  }
  if (requested.includes('\0')) throw badInput('path contains a NUL character', field);
  const root = await fs.realpath(dataRoot).catch(() => {
    throw badInput(`ARCHIVE_DATA_ROOT ${dataRoot} does not exist on the server`, field);
  });
  const candidate = path.resolve(root, requested);
  let real: string;
  try {
    real = await fs.realpath(candidate);
  } catch {
    throw badInput(`path ${requested} does not exist on the server (looked for ${candidate})`, field);
  }
  if (real !== root && !real.startsWith(root + path.sep)) {
    throw badInput(`path ${requested} resolves to ${real}, outside ARCHIVE_DATA_ROOT (${root}); ingest reads only inside it`, field);
  }
  const stat = await fs.stat(real);
  if (!stat.isDirectory()) throw badInput(`path ${requested} is not a directory`, field);
  return real;
}
