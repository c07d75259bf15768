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
  // Messages name the request, never a resolved server path: an ingest token does not make
  // its holder an operator, and what exists outside the data root is none of its business.
  const root = await fs.realpath(dataRoot).catch(() => {
    throw badInput('ARCHIVE_DATA_ROOT does not exist on the server; ask the operator', field);
  });
  const candidate = path.resolve(root, requested);
  // Outside as written: refused before anything is looked up there (no probing what exists).
  if (!isInside(candidate, root) && !isInside(candidate, path.resolve(dataRoot))) {
    throw badInput(`path ${requested} is outside ARCHIVE_DATA_ROOT; ingest reads only inside it`, field);
  }
  let real: string;
  try {
    real = await fs.realpath(candidate);
  } catch {
    throw badInput(`path ${requested} does not exist inside ARCHIVE_DATA_ROOT`, field);
  }
  if (!isInside(real, root)) {
    throw badInput(`path ${requested} leads outside ARCHIVE_DATA_ROOT (through a symbolic link); ingest reads only inside it`, field);
  }
  const stat = await fs.stat(real);
  if (!stat.isDirectory()) throw badInput(`path ${requested} is not a directory`, field);
  return real;
}

function isInside(p: string, root: string): boolean {
  return p === root || p.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}
