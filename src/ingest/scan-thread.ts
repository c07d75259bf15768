/**
 * Scan walker, run on a thread of its own (see scan.ts): walks a release tree with synchronous
 * calls, which on a thread of its own are the cheapest calls (no promise, no libuv request per
 * file), and posts the files it finds in columnar chunks.
 *
 * Back-pressure: `credits` (shared memory) counts the chunks the main thread is ready for. The
 * walker waits on it before posting, so a walk over millions of files is never more than a
 * few chunks ahead of the database, however fast the disk.
 *
 * Nothing is left out silently: every entry that is not archived (a symlink, a FIFO, a socket,
 * a directory that cannot be read, a name that is not UTF-8, a path too long to store) is
 * posted with a code and a reason, and a directory that cannot be read costs that directory
 * only. Only the release root failing stops the walk (the run then fails at once).
 */
import { isUtf8 } from 'node:buffer';
import fs from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { compileRules, type ProductRules } from './rules.js';
import { errnoText } from './errno-text.js';

export interface ScanThreadInput {
  root: string;
  chunkSize: number;
  /** The release's rules: paths they ignore are left out (compiled here: functions can't cross threads). */
  rules: ProductRules | null;
  /** Int32Array over a SharedArrayBuffer: [0] = chunks the consumer will take. */
  credits: Int32Array;
}

/** Entries the walk left out, as columns: path relative to the release, code, reason. */
export interface SkippedEntries {
  paths: string[];
  codes: string[];
  messages: string[];
}

export type ScanThreadMessage =
  | { type: 'chunk'; paths: string[]; sizes: number[]; mtimesMs: number[]; skipped: SkippedEntries }
  | { type: 'done' }
  | { type: 'error'; message: string; code?: string };

const WAIT_MS = 1000;
/**
 * Longest relative path archived, in UTF-8 bytes. Paths are a btree key (release, path), and
 * PostgreSQL refuses index entries over ~2,700 bytes: one such path would fail its whole chunk.
 */
export const MAX_PATH_BYTES = 2048;

const { O_RDONLY, O_DIRECTORY, O_NOFOLLOW } = fs.constants;
/**
 * Linux: a directory is opened without following a link (O_NOFOLLOW), its descriptor's path
 * checked, and read through /proc/self/fd, so a directory swapped for a symlink after its
 * parent was read is never listed. Elsewhere it is opened by path.
 */
const PROC_FD = fs.existsSync('/proc/self/fd');
// Names as bytes: a name that is not UTF-8 would otherwise come back mangled (U+FFFD), unopenable.
const BUFFER_NAMES = { bufferSize: 256, encoding: 'buffer' } as unknown as fs.OpenDirOptions;

function walk({ root, chunkSize, rules, credits }: ScanThreadInput): void {
  const ignored = rules ? compileRules(rules).ignored : null;
  let paths: string[] = [];
  let sizes: number[] = [];
  let mtimesMs: number[] = [];
  let skipped: SkippedEntries = { paths: [], codes: [], messages: [] };
  const post = () => {
    while (Atomics.load(credits, 0) <= 0) Atomics.wait(credits, 0, Atomics.load(credits, 0), WAIT_MS);
    Atomics.sub(credits, 0, 1);
    parentPort!.postMessage({ type: 'chunk', paths, sizes, mtimesMs, skipped } satisfies ScanThreadMessage);
    paths = [];
    sizes = [];
    mtimesMs = [];
    skipped = { paths: [], codes: [], messages: [] };
  };
  const skip = (rel: string, code: string, message: string) => {
    skipped.paths.push(rel);
    skipped.codes.push(code);
    skipped.messages.push(message);
    if (skipped.paths.length >= chunkSize) post();
  };
  const prefix = root.endsWith('/') ? root : `${root}/`;

  // A stack of directories, never a list of files; entries come from opendir (no whole
  // directory arrays), so memory is one chunk plus the directories still to visit.
  const dirs: string[] = [''];
  while (dirs.length) {
    const relDir = dirs.pop()!;
    const absDir = relDir ? prefix + relDir : root;
    let dir: fs.Dir;
    let dirFd = -1;
    try {
      [dir, dirFd] = openDirectory(absDir);
    } catch (err) {
      if (!relDir) throw err; // the release root itself: the scan cannot run
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') continue; // removed since its parent was read: not part of the release
      // O_DIRECTORY | O_NOFOLLOW on a link: ENOTDIR (Linux) or ELOOP.
      const link = code === 'ELOOP' || (code === 'ENOTDIR' && isLink(absDir));
      if (link) skip(relDir, 'SYMLINK_NOT_FOLLOWED', 'symbolic link, not followed (it could lead outside the release)');
      else skip(relDir, 'DIRECTORY_UNREADABLE', `directory cannot be read (${errnoText(err)}); its files are not archived`);
      continue;
    }
    const dirPrefix = `${absDir}/`;
    try {
      for (let entry = dir.readSync(); entry !== null; entry = dir.readSync()) {
        const raw = entry.name as unknown as Buffer;
        const isDir = entry.isDirectory();
        if (!isUtf8(raw)) {
          const what = isDir ? 'directory name is not valid UTF-8; its files are not archived' : 'file name is not valid UTF-8; rename it to archive it';
          skip(relDir ? `${relDir}/${escapeBytes(raw)}` : escapeBytes(raw), 'NAME_NOT_UTF8', what);
          continue;
        }
        const name = raw.toString();
        const rel = relDir ? `${relDir}/${name}` : name;
        if (ignored?.(rel)) continue;
        if (rel.length * 3 > MAX_PATH_BYTES && Buffer.byteLength(rel) > MAX_PATH_BYTES) {
          skip(rel, 'PATH_TOO_LONG', `path is ${Buffer.byteLength(rel)} bytes, longer than the ${MAX_PATH_BYTES} the archive stores${isDir ? '; its files are not archived' : ''}`);
        } else if (isDir) dirs.push(rel);
        else if (entry.isFile() || entry.isSymbolicLink()) {
          // lstat: never follows a link, and says what the entry is *now*.
          let s: fs.Stats | undefined;
          try {
            s = fs.lstatSync(dirPrefix + name, { throwIfNoEntry: false });
          } catch (err) {
            skip(rel, 'FILE_UNREADABLE', `cannot be examined (${errnoText(err)}); not archived`);
            continue;
          }
          if (!s) continue; // deleted since readdir: not part of the release
          if (s.isFile()) {
            paths.push(rel);
            sizes.push(s.size);
            mtimesMs.push(s.mtimeMs);
            if (paths.length >= chunkSize) post();
          } else if (s.isDirectory()) dirs.push(rel);
          else skipEntry(rel, s, skip);
        } else skipEntry(rel, entry, skip);
      }
    } catch (err) {
      skip(relDir || '.', 'DIRECTORY_UNREADABLE', `directory could not be read to its end (${errnoText(err)}); some of its files may not be archived`);
    } finally {
      dir.closeSync();
      if (dirFd >= 0) fs.closeSync(dirFd);
    }
  }
  if (paths.length || skipped.paths.length) post();
}

function skipEntry(rel: string, e: fs.Dirent | fs.Stats, skip: (rel: string, code: string, message: string) => void): void {
  if (e.isSymbolicLink()) skip(rel, 'SYMLINK_NOT_FOLLOWED', 'symbolic link, not followed (it could lead outside the release)');
  else {
    const kind = e.isFIFO() ? 'FIFO (named pipe)' : e.isSocket() ? 'socket' : e.isCharacterDevice() ? 'character device' : e.isBlockDevice() ? 'block device' : 'entry of unknown type';
    skip(rel, 'NOT_REGULAR_FILE', `${kind}, not a regular file`);
  }
}

function isLink(abs: string): boolean {
  try {
    return fs.lstatSync(abs).isSymbolicLink();
  } catch {
    return false;
  }
}

/**
 * The directory to list, and the descriptor it was checked through (-1: none), to close after
 * it: kept open while it is listed, so that /proc/self/fd/N names that directory all along.
 */
function openDirectory(abs: string): [fs.Dir, number] {
  if (!PROC_FD) return [fs.opendirSync(abs, BUFFER_NAMES), -1];
  const fd = fs.openSync(abs, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
  try {
    const proc = `/proc/self/fd/${fd}`;
    // O_NOFOLLOW covers the last component only: a directory above may have been swapped for
    // a link since it was read. The descriptor's own path says where it really is.
    if (fs.readlinkSync(proc) !== abs) {
      throw Object.assign(new Error('ESCAPE: its path no longer leads to a directory inside the release (a directory above it was replaced)'), { code: 'ESCAPE' });
    }
    return [fs.opendirSync(proc, BUFFER_NAMES), fd];
  } catch (err) {
    fs.closeSync(fd);
    throw err;
  }
}

/** A file name for display: its UTF-8 characters as they are, any other byte as \xNN. */
export function escapeBytes(b: Buffer): string {
  let out = '';
  for (let i = 0; i < b.length; ) {
    const c = b[i];
    const len = c < 0x80 ? 1 : c >= 0xc2 && c < 0xe0 ? 2 : c >= 0xe0 && c < 0xf0 ? 3 : c >= 0xf0 && c < 0xf5 ? 4 : 0;
    if (len && i + len <= b.length && isUtf8(b.subarray(i, i + len))) {
      out += b.toString('utf8', i, i + len);
      i += len;
    } else {
      out += `\\x${c.toString(16).padStart(2, '0')}`;
      i++;
    }
  }
  return out;
}

// One walk per request; the thread then waits for the next (scan.ts keeps it for the next scan).
parentPort!.on('message', (input: ScanThreadInput) => {
  try {
    walk(input);
    parentPort!.postMessage({ type: 'done' } satisfies ScanThreadMessage);
  } catch (err) {
    parentPort!.postMessage({ type: 'error', message: errnoText(err), code: (err as NodeJS.ErrnoException).code } satisfies ScanThreadMessage);
  }
});
