/**
 * Stage 1, scan: stream a release directory as chunks of (path, size, mtime).
 *
 * Streaming is the point: the walker holds a stack of directories, never a list of files,
 * so a release of millions of files costs the memory of one chunk. Directory entries come
 * from `opendir` (no whole-directory arrays) and stats run a bounded number at a time.
 * Only regular files are archived; symlinks are not followed (they could point outside
 * ARCHIVE_DATA_ROOT) and are reported by the caller's `onSkip`.
 */
import fs from 'node:fs/promises';
import path from 'node:path';

export interface ScannedFile {
  /** Relative to the release root, '/'-separated. */
  path: string;
  size: number;
  mtimeMs: number;
}

export interface ScanOptions {
  chunkSize?: number;
  /** Concurrent stat calls (libuv threadpool). */
  statConcurrency?: number;
  /** Paths (relative) to leave out entirely, e.g. the release's rules file. */
  exclude?: (relPath: string) => boolean;
  onSkip?: (relPath: string, reason: string) => void;
}

export async function* scanRelease(root: string, opts: ScanOptions = {}): AsyncGenerator<ScannedFile[]> {
  const chunkSize = opts.chunkSize ?? 1000;
  const statConcurrency = opts.statConcurrency ?? 64;
  const dirs: string[] = [''];
  let pending: string[] = [];
  let chunk: ScannedFile[] = [];

  const flushStats = async () => {
    const stats = await Promise.all(
      pending.map((rel) =>
        fs.stat(path.join(root, rel)).then(
          (s) => ({ rel, s }),
          () => ({ rel, s: undefined }),
        ),
      ),
    );
    pending = [];
    for (const { rel, s } of stats) {
      // A file deleted between readdir and stat is simply not part of the release.
      if (s?.isFile()) chunk.push({ path: rel, size: s.size, mtimeMs: s.mtimeMs });
    }
  };

  while (dirs.length) {
    const relDir = dirs.pop()!;
    const dir = await fs.opendir(path.join(root, relDir), { bufferSize: 256 });
    for await (const entry of dir) {
      const rel = relDir ? `${relDir}/${entry.name}` : entry.name;
      if (opts.exclude?.(rel)) continue;
      if (entry.isDirectory()) dirs.push(rel);
      else if (entry.isFile()) {
        pending.push(rel);
        if (pending.length >= statConcurrency) await flushStats();
        if (chunk.length >= chunkSize) {
          yield chunk;
          chunk = [];
        }
      } else opts.onSkip?.(rel, entry.isSymbolicLink() ? 'symbolic link (not followed)' : 'not a regular file');
    }
  }
  await flushStats();
  while (chunk.length > chunkSize) yield chunk.splice(0, chunkSize);
  if (chunk.length) yield chunk;
}
