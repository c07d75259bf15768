/**
 * Opens a file of a release for serving, the way the ingest opened it (src/ingest/analyze/
 * analyze-file.ts), but checked again now: what was ingested may have been replaced since.
 *
 * - The release root (the run's real path) must be inside ARCHIVE_DATA_ROOT, and still a real
 *   path: a root directory swapped for a symbolic link is refused (with /proc, by the next
 *   check, which sees where the file really is).
 * - The file is opened with O_NOFOLLOW | O_NONBLOCK (never through a final link, never
 *   blocking on a FIFO), then the descriptor's own path (/proc/self/fd: where the kernel says
 *   the open file is) must be root + path exactly: a directory on the way swapped for a link
 *   leads elsewhere and is refused. Without /proc, the real path must be the path and lead to
 *   the same inode.
 * - `fstat` must show a regular file with the size and mtime the ingest recorded; anything
 *   else is not the file whose checksum the archive holds, and is not served.
 * - A release archive's reader opens a directory once, with the same check of where its
 *   descriptor really is, and the directory's files through that descriptor
 *   (/proc/self/fd/<dir>/<name>, O_NOFOLLOW): each file is then an entry of that checked
 *   directory, proved by the kernel, without a /proc read per file.
 *
 * Messages name paths relative to the release only, never the server's.
 */
import fs from 'node:fs';
import path from 'node:path';

const OPEN_FLAGS = fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK;
const DIR_FLAGS = fs.constants.O_RDONLY | fs.constants.O_DIRECTORY | fs.constants.O_NOFOLLOW;
const PROC_FD = fs.existsSync('/proc/self/fd');

export interface ServedFileRow {
  path: string;
  sizeBytes: number;
  mtimeMs: number;
  /** The run's scanned directory (absolute real path when it was scanned). */
  root: string | null;
}

export type Opened =
  | { ok: true; fd: number; stat: fs.Stats }
  /** gone: 410; changed: 409 (other bytes, another kind of file, or a path leading elsewhere). */
  | { ok: false; problem: 'gone' | 'changed'; message: string };

/** Real paths of the data roots, resolved once per process (a root's own real path does not move). */
const realRoots = new Map<string, Promise<string>>();

function realDataRoot(dataRoot: string): Promise<string> {
  let p = realRoots.get(dataRoot);
  if (!p) {
    p = realpath(dataRoot);
    // A failed lookup is retried next time (the directory may be mounted later).
    p.catch(() => realRoots.delete(dataRoot));
    realRoots.set(dataRoot, p);
  }
  return p;
}

const inside = (p: string, root: string) => p.startsWith(root.endsWith('/') ? root : root + '/');

/** Checks the release root once (per file, or once for a whole archive). Null when it is fine. */
export async function checkRoot(root: string | null, dataRoot: string): Promise<Exclude<Opened, { ok: true }> | null> {
  if (!root || path.normalize(root) !== root || !path.isAbsolute(root)) {
    return { ok: false, problem: 'gone', message: 'the release directory this file was ingested from is not known; ingest the release again' };
  }
  let dataReal: string;
  try {
    dataReal = await realDataRoot(dataRoot);
  } catch {
    return { ok: false, problem: 'gone', message: 'the archive data directory is not available on this server' };
  }
  if (!inside(root, dataReal)) return { ok: false, problem: 'changed', message: 'the release directory is outside the archive data directory; not served' };
  // With /proc, each file's descriptor path proves where it really is (openChecked): a root
  // replaced by a link fails that check, so its real path need not be resolved per request.
  if (PROC_FD) return null;
  let real: string;
  try {
    real = await realpath(root);
  } catch {
    return { ok: false, problem: 'gone', message: 'the release directory is no longer on the server' };
  }
  if (real !== root) {
    return { ok: false, problem: 'changed', message: 'the release directory now leads elsewhere (it was replaced, e.g. by a symbolic link); not served' };
  }
  return null;
}

/** Why `rel` is not a path inside a release, or null. */
function badPath(rel: string): Opened | null {
  if (rel === '' || rel.startsWith('/') || rel.split('/').some((s) => s === '..' || s === '.' || s === '') || rel.includes('\0')) {
    return { ok: false, problem: 'changed', message: `the path ${JSON.stringify(rel)} is not a path inside the release; not served` };
  }
  return null;
}

/** A failed open, as gone (410) or changed (409). */
function openFailure(err: unknown, rel: string): Opened {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return { ok: false, problem: 'gone', message: `${rel} is no longer on disk` };
  // ELOOP: O_NOFOLLOW met a link; ENOTDIR: a directory on the path is now something else; ENXIO: a socket.
  if (code === 'ELOOP' || code === 'ENOTDIR' || code === 'ENXIO') {
    return { ok: false, problem: 'changed', message: `${rel} is now a symbolic link or special file, not the file that was ingested; not served` };
  }
  return { ok: false, problem: 'gone', message: `${rel} cannot be read now (${code ?? 'error'})` };
}

/**
 * Why the open file is not the one ingested, or null. `where`: where the descriptor really is
 * (/proc/self/fd, or the real path); `sameInode`: without /proc, the path still leads to it.
 */
function mismatch(stat: fs.Stats, where: string, abs: string, row: ServedFileRow, sameInode = true): string | null {
  if (!stat.isFile()) return `${row.path} is no longer a regular file; not served`;
  if (where !== abs) return `the path ${row.path} now leads outside the release (a directory on it was replaced, e.g. by a symbolic link); not served`;
  if (!sameInode) return `${row.path} was replaced while being opened; not served`;
  if (stat.size !== row.sizeBytes || stat.mtimeMs !== row.mtimeMs) {
    return `${row.path} changed on disk since it was ingested (size ${row.sizeBytes} -> ${stat.size} bytes${stat.mtimeMs !== row.mtimeMs ? ', modified' : ''}); not served: ingest the release again`;
  }
  return null;
}

/** Opens `row` inside its (already checked) root. The caller closes `fd`. */
export async function openChecked(row: ServedFileRow & { root: string }): Promise<Opened> {
  const refused = badPath(row.path);
  if (refused) return refused;
  const abs = `${row.root}/${row.path}`;
  let fd: number;
  try {
    fd = await openFd(abs);
  } catch (err) {
    return openFailure(err, row.path);
  }
  try {
    const stat = await fstat(fd);
    let problem: string | null;
    if (PROC_FD) problem = mismatch(stat, await readlink(`/proc/self/fd/${fd}`), abs, row);
    else {
      const where = await realpath(abs).catch(() => '');
      const now = where === abs ? await fs.promises.stat(abs) : stat;
      problem = mismatch(stat, where, abs, row, now.dev === stat.dev && now.ino === stat.ino);
    }
    if (problem) {
      await closeFd(fd);
      return { ok: false, problem: 'changed', message: problem };
    }
    return { ok: true, fd, stat };
  } catch (err) {
    await closeFd(fd);
    throw err;
  }
}

/** openChecked with blocking calls: for a thread whose only job is reading (./reader-thread.ts). */
export function openCheckedSync(row: ServedFileRow & { root: string }): Opened {
  const refused = badPath(row.path);
  if (refused) return refused;
  const abs = `${row.root}/${row.path}`;
  let fd: number;
  try {
    fd = fs.openSync(abs, OPEN_FLAGS);
  } catch (err) {
    return openFailure(err, row.path);
  }
  return verdictSync(fd, (stat) => {
    if (PROC_FD) return mismatch(stat, fs.readlinkSync(`/proc/self/fd/${fd}`), abs, row);
    let where = '';
    try {
      where = fs.realpathSync.native(abs);
    } catch {
      where = '';
    }
    const now = where === abs ? fs.statSync(abs) : stat;
    return mismatch(stat, where, abs, row, now.dev === stat.dev && now.ino === stat.ino);
  });
}

/** An opened descriptor kept when `problemOf` its fstat finds nothing wrong, else closed (on a throw too). */
function verdictSync(fd: number, problemOf: (stat: fs.Stats) => string | null): Opened {
  try {
    const stat = fs.fstatSync(fd);
    const problem = problemOf(stat);
    if (problem) {
      fs.closeSync(fd);
      return { ok: false, problem: 'changed', message: problem };
    }
    return { ok: true, fd, stat };
  } catch (err) {
    fs.closeSync(fd);
    throw err;
  }
}

/**
 * For a thread that opens many files of one directory (./reader-thread.ts): the directory
 * opened once and checked as a file is (O_NOFOLLOW; its descriptor's /proc path exactly
 * root + dir), or null when /proc is missing or the check fails (the caller then opens each
 * file with openCheckedSync, which says why). The caller closes it.
 */
export function openDirCheckedSync(root: string, dir: string): number | null {
  if (!PROC_FD) return null;
  const abs = dir === '' ? root : `${root}/${dir}`;
  let fd: number;
  try {
    fd = fs.openSync(abs, DIR_FLAGS);
  } catch {
    return null;
  }
  let where = '';
  try {
    where = fs.readlinkSync(`/proc/self/fd/${fd}`);
  } catch {
    where = '';
  }
  if (where === abs) return fd;
  fs.closeSync(fd);
  return null;
}

/**
 * openCheckedSync for a file of a directory opened by openDirCheckedSync, opened *through
 * that descriptor* (/proc/self/fd/<dir>/<name>, O_NOFOLLOW): the kernel resolves the name in
 * that very directory, the one whose place was checked, whatever becomes of the path, so the
 * file's own /proc path need not be read (one system call less per file). The same checks of
 * the path, the kind, size and mtime, and the same messages.
 */
export function openCheckedInDirSync(dirFd: number, row: ServedFileRow & { root: string }): Opened {
  const refused = badPath(row.path);
  if (refused) return refused;
  let fd: number;
  try {
    fd = fs.openSync(`/proc/self/fd/${dirFd}/${row.path.slice(row.path.lastIndexOf('/') + 1)}`, OPEN_FLAGS);
  } catch (err) {
    return openFailure(err, row.path);
  }
  return verdictSync(fd, (stat) => mismatch(stat, '', '', row));
}

// One system call each (fs.promises.realpath walks the path in JavaScript, an lstat per part).
const realpath = (p: string) => new Promise<string>((resolve, reject) => fs.realpath.native(p, (err, r) => (err ? reject(err) : resolve(r))));
const readlink = (p: string) => new Promise<string>((resolve, reject) => fs.readlink(p, (err, r) => (err ? reject(err) : resolve(r))));
const openFd = (p: string) => new Promise<number>((resolve, reject) => fs.open(p, OPEN_FLAGS, (err, fd) => (err ? reject(err) : resolve(fd))));
const fstat = (fd: number) => new Promise<fs.Stats>((resolve, reject) => fs.fstat(fd, (err, s) => (err ? reject(err) : resolve(s))));
export const closeFd = (fd: number) => new Promise<void>((resolve) => fs.close(fd, () => resolve()));
