/**
 * Opening a release's file to serve something made from it (spectrum values, a preview):
 * exactly as the ingest opens it (src/ingest/analyze/analyze-file.ts openInRelease + refuse):
 * never through a link, never outside the release directory the scan read, and only while
 * its size and mtime are those the files row recorded. Otherwise the bytes are not the ones
 * the archive checked, and what would be drawn from them is not what the record describes.
 * Synchronous: called on an access thread.
 */
import fs from 'node:fs';
import { createScratch, openInRelease, OUTSIDE, refuse, releaseDirectory } from '../ingest/analyze/analyze-file.js';

/** Where a file is and what the scan saw of it (a files row joined to its run's root). */
export interface FileOnDisk {
  absPath: string;
  sizeBytes: number;
  mtimeMs: number;
}

/** FILE_CORRUPT: opened as scanned, but its content could not be read (spectra only: previews draw a placeholder). */
export type OpenProblemCode = 'FILE_CHANGED' | 'FILE_GONE' | 'FILE_OUTSIDE_RELEASE' | 'FILE_NOT_REGULAR' | 'FILE_UNREADABLE' | 'FILE_CORRUPT';

export class OpenProblem extends Error {
  constructor(
    readonly code: OpenProblemCode,
    message: string,
  ) {
    super(message);
  }
}

/** A descriptor of the file as the scan saw it, with its size; throws OpenProblem otherwise. */
export function openAsScanned(file: FileOnDisk): { fd: number; size: number } {
  const scratch = createScratch(0);
  let fd: number | undefined;
  try {
    fd = openInRelease(file.absPath, scratch);
    const stat = fs.fstatSync(fd);
    const refused = refuse(fd, stat, { id: 0, path: file.absPath, absPath: file.absPath, expected: { sizeBytes: file.sizeBytes, mtimeMs: file.mtimeMs } });
    if (refused) {
      const message =
        refused.code === 'FILE_CHANGED'
          ? `the file changed on disk since it was ingested (size ${file.sizeBytes} -> ${stat.size} bytes${stat.mtimeMs !== file.mtimeMs ? ', modified again' : ''}); ingest the release again`
          : refused.message;
      throw new OpenProblem(refused.code as OpenProblemCode, message);
    }
    const out = { fd, size: stat.size };
    fd = undefined;
    return out;
  } catch (err) {
    if (err instanceof OpenProblem) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === OUTSIDE) throw new OpenProblem('FILE_OUTSIDE_RELEASE', (err as Error).message);
    if (code === 'ENOENT') throw new OpenProblem('FILE_GONE', 'the file is no longer on disk; ingest the release again');
    if (code === 'ELOOP' || code === 'ENXIO') throw new OpenProblem('FILE_NOT_REGULAR', 'the file is no longer the regular file the scan found; not read');
    throw new OpenProblem('FILE_UNREADABLE', `cannot read the file (${code ?? (err as Error).message})`);
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
    releaseDirectory(scratch);
  }
}
