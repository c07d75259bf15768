/**
 * GET/HEAD /releases/:id/archive[?kind=&productType=&status=&ids=1,2,3]: the release (or the
 * selection) as one streamed tar, `<survey>_<release>/<path>` per file, then
 * `<survey>_<release>/SHA256SUMS` (the checksums recorded at ingest, in `sha256sum -c`
 * format) and, when some file could not be sent, `<survey>_<release>/ERRORS` (one line per
 * file: path, tab, why). Nothing is staged on disk and memory stays constant: files come from
 * the database a page at a time (keyset on id), each file is read through its own checked
 * descriptor (./open-served.ts): small files by the reader thread (./reader.ts), which builds
 * whole chunks of the tar (headers, data, padding, and their SHA256SUMS lines) two ahead of
 * the one being written, so that this thread does one write per chunk and no work per file;
 * large ones streamed here. Everything is written as the client takes it (a slow client slows
 * the reads, it does not grow a buffer: at most three chunks and one batch are held; written
 * chunks' buffers go back to the thread to be filled again). Headers: ./tar-format.ts.
 *
 * A file gone or changed on disk is left out (and flagged for the next ingest, one statement
 * per page's worth) rather than sent wrong: the tar stays well-formed. One that shrinks *while* it is
 * being read is padded to the size its header promised and listed in ERRORS; its line in
 * SHA256SUMS then fails, as it should. There is no Content-Length (the answer's size is known
 * only at its end): an interrupted download is resumed by starting again.
 */
import crypto from 'node:crypto';
import express from 'express';
import type { Config } from '../../config.js';
import type { Database } from '../../db/client.js';
import { badInput } from '../../errors.js';
import type { Logger } from '../../log.js';
import { answerArchiveError, mayReadDrafts, urlId } from './access.js';
import { attachment } from './disposition.js';
import { countBytes, countFiles, countRequest } from './metrics.js';
import { checkRoot, closeFd, openChecked } from './open-served.js';
import { END_OF_ARCHIVE, fileHeader, padding } from './tar-format.js';
import { readTarChunk, type TarChunk, type TarFiles } from './reader.js';
import { sumLine } from './sha256sums.js';
import { readChunks } from './read-chunks.js';
import { archivePage, flagFiles, loadArchiveRelease, type ArchiveFile, type ArchiveSelection } from './queries.js';

const PAGE = 1000;
/** Files up to this size are read in one call into their member's buffer; larger ones are streamed. */
const WHOLE_READ = 256 * 1024;
const CHUNK = 256 * 1024;
/**
 * Files built into one chunk by the reader thread, and the most data of one chunk; IN_FLIGHT
 * chunks are asked for ahead of the one being written (memory: about IN_FLIGHT + 1 chunks).
 */
const CHUNK_FILES = 256;
const CHUNK_BYTES = 4 * 1024 * 1024;
const IN_FLIGHT = 2;
/** Bytes gathered before one write to the socket. */
const BATCH = 256 * 1024;
const MAX_IDS = 10_000;
const KINDS = new Set(['SPECTRUM', 'IFS_CUBE', 'IMAGE', 'CATALOGUE', 'BLOB']);
const STATUSES = new Set(['PENDING', 'INGESTED', 'INVALID', 'FAILED', 'SKIPPED']);

export function releaseArchiveRoutes(database: Database, config: Config, logger: Logger): express.Router {
  const router = express.Router();
  router.get('/releases/:id/archive', async (req, res, next) => {
    res.on('close', () => countRequest('archive', res.statusCode));
    try {
      const id = urlId(req.params.id);
      if (id === null) return res.status(404).json({ error: 'no such release' });
      const selection = parseSelection(req.query);
      const drafts = await mayReadDrafts(req, database, config, `release:${id}`);
      const release = await loadArchiveRelease(database.pool, id);
      if (!release || (!release.published && !drafts)) return res.status(404).json({ error: 'no such release' });

      const top = `${release.survey}_${release.name}`.replace(/[\u0000-\u001f\u007f/\\]/g, '_');
      res.status(200).setHeader('content-type', 'application/x-tar');
      res.setHeader('content-disposition', attachment(`${top}.tar`));
      res.setHeader('cache-control', release.published ? 'public, max-age=3600' : 'private, no-store');
      res.setHeader('x-content-type-options', 'nosniff');
      if (req.method === 'HEAD') return res.end();
      await streamArchive(database, config, logger, release.id, selection, top, res);
    } catch (err) {
      if (answerArchiveError(err, res)) return;
      if (res.headersSent) {
        res.destroy();
        return;
      }
      next(err);
    }
  });
  return router;
}

function parseSelection(q: express.Request['query']): ArchiveSelection {
  const one = (name: string): string | null => {
    const v = q[name];
    if (v === undefined) return null;
    if (typeof v !== 'string') throw badInput(`give ${name} once`, name);
    return v;
  };
  const kind = one('kind');
  if (kind !== null && !KINDS.has(kind)) throw badInput(`kind must be one of ${[...KINDS].join(', ')}`, 'kind');
  const status = one('status');
  if (status !== null && !STATUSES.has(status)) throw badInput(`status must be one of ${[...STATUSES].join(', ')}`, 'status');
  const productType = one('productType');
  if (productType !== null && (productType === '' || productType.length > 200)) throw badInput('productType must be 1 to 200 characters', 'productType');
  const rawIds = one('ids');
  let ids: number[] | null = null;
  if (rawIds !== null) {
    const parts = rawIds.split(',');
    if (parts.length > MAX_IDS) throw badInput(`at most ${MAX_IDS} ids`, 'ids');
    ids = parts.map((p) => {
      const n = urlId(p.trim());
      if (n === null) throw badInput(`ids must be file ids separated by commas, got ${JSON.stringify(p.slice(0, 40))}`, 'ids');
      return n;
    });
  }
  return { kind, status, productType, ids };
}

interface Outcome {
  sums: string[];
  errors: string[];
}

/**
 * What one page becomes, in file order: chunks of small files (built whole on the reader
 * thread), large files (streamed here), files refused before any read (their release
 * directory failed the check).
 */
type Piece =
  | { kind: 'small'; files: ArchiveFile[] }
  | { kind: 'large'; file: ArchiveFile }
  | { kind: 'refused'; file: ArchiveFile; problem: 'gone' | 'changed'; message: string };

async function streamArchive(
  database: Database,
  config: Config,
  logger: Logger,
  releaseId: number,
  selection: ArchiveSelection,
  top: string,
  res: express.Response,
): Promise<void> {
  const out = new TarOut(res);
  const outcome: Outcome = { sums: [], errors: [] };
  const pieces = pieceSource(database, config, releaseId, selection);
  // Chunks of small files are built on the reader thread, IN_FLIGHT ahead of the one being
  // written, across page boundaries (the pages themselves are read one ahead).
  const ahead: Array<{ piece: Piece; chunk?: Promise<TarChunk> }> = [];
  let building = 0;
  let exhausted = false;
  const askAhead = async () => {
    while (!exhausted && building < IN_FLIGHT && !out.gone) {
      const next = await pieces.next();
      if (next.done) exhausted = true;
      else if (next.value.kind === 'small') {
        const chunk = readTarChunk(top, columns(next.value.files));
        chunk.catch(() => {});
        building++;
        ahead.push({ piece: next.value, chunk });
      } else ahead.push({ piece: next.value });
    }
  };
  let gone: number[] = [];
  let changed: number[] = [];
  const flag = async () => {
    if (!gone.length && !changed.length) return;
    await flagFiles(database.pool, gone, changed);
    logger.warn({ releaseId, gone: gone.length, changed: changed.length }, 'archive: files left out, the disk no longer matches the ingest');
    gone = [];
    changed = [];
  };
  const leaveOut = (file: ArchiveFile, problem: 'gone' | 'changed', message: string) => {
    outcome.errors.push(`${file.path}\t${problem}: ${message}\n`);
    (problem === 'gone' ? gone : changed).push(file.id);
  };
  try {
    for (;;) {
      await askAhead();
      const next = ahead.shift();
      if (!next || out.gone) break;
      const { piece } = next;
      if (piece.kind === 'refused') leaveOut(piece.file, piece.problem, piece.message);
      else if (piece.kind === 'small') {
        const chunk = await next.chunk!;
        building--;
        await askAhead();
        for (const { index, problem, message } of chunk.leftOut) leaveOut(piece.files[index], problem, message);
        // One write of the whole chunk; its buffer goes back to the thread once the socket is done with it.
        await out.send(chunk.data, chunk.release);
        if (out.gone) break;
        countBytes('archive', chunk.bytes);
        countFiles('archive', chunk.files);
        outcome.sums.push(chunk.sums);
      } else {
        const file = piece.file;
        const opened = await openChecked({ ...file, root: file.root! });
        if (!opened.ok) {
          leaveOut(file, opened.problem, opened.message);
          continue;
        }
        const { hex, size } = await streamMember(out, { file, fd: opened.fd, size: opened.stat.size, mtime: opened.stat.mtimeMs / 1000 }, top, outcome);
        if (out.gone) break;
        countBytes('archive', size);
        countFiles('archive');
        outcome.sums.push(sumLine(hex, file.path));
      }
      if (gone.length + changed.length >= PAGE) await flag();
    }
  } finally {
    // Stops the page reads; chunks already asked for finish on the thread, and nothing here holds a descriptor.
    await pieces.return(undefined);
  }
  if (out.gone) throw new Error('the client closed the connection');
  await flag();
  const now = Date.now() / 1000;
  await out.write(member(`${top}/SHA256SUMS`, Buffer.from(outcome.sums.join('')), now));
  if (outcome.errors.length) await out.write(member(`${top}/ERRORS`, Buffer.from(outcome.errors.join('')), now));
  await out.write(END_OF_ARCHIVE);
  await out.end();
}

/**
 * The selection's files as pieces, in id order: pages read one ahead (keyset on id), each
 * release directory checked once per archive.
 */
async function* pieceSource(database: Database, config: Config, releaseId: number, selection: ArchiveSelection): AsyncGenerator<Piece, void, undefined> {
  const roots = new Map<string, Awaited<ReturnType<typeof checkRoot>>>();
  let page = archivePage(database.pool, releaseId, selection, 0, PAGE);
  try {
    for (;;) {
      const files = await page;
      if (files.length === 0) return;
      // The next page is read while this one is sent.
      page = files.length < PAGE ? Promise.resolve([]) : archivePage(database.pool, releaseId, selection, files[files.length - 1].id, PAGE);
      for (const file of files) {
        const root = file.root ?? '';
        if (!roots.has(root)) roots.set(root, await checkRoot(file.root, config.dataRoot));
      }
      yield* cut(files, roots);
    }
  } finally {
    page.catch(() => {});
  }
}

/** A page in file order: chunks of at most CHUNK_FILES small files and about CHUNK_BYTES, large and refused files between them. */
function cut(files: ArchiveFile[], roots: Map<string, Awaited<ReturnType<typeof checkRoot>>>): Piece[] {
  const pieces: Piece[] = [];
  let current: ArchiveFile[] = [];
  let bytes = 0;
  const close = () => {
    if (current.length) pieces.push({ kind: 'small', files: current });
    current = [];
    bytes = 0;
  };
  for (const file of files) {
    const refused = roots.get(file.root ?? '');
    if (refused) {
      close();
      pieces.push({ kind: 'refused', file, problem: refused.problem, message: refused.message });
    } else if (file.sizeBytes > WHOLE_READ) {
      close();
      pieces.push({ kind: 'large', file });
    } else {
      if (current.length >= CHUNK_FILES || (current.length > 0 && bytes + file.sizeBytes > CHUNK_BYTES)) close();
      current.push(file);
      bytes += file.sizeBytes;
    }
  }
  close();
  return pieces;
}

/** The reader thread's request for a chunk: columns, cheaper to copy than an object per file. */
function columns(files: ArchiveFile[]): TarFiles {
  const n = files.length;
  const c: TarFiles = { paths: new Array(n), sizes: new Array(n), mtimesMs: new Array(n), checksums: new Array(n), roots: new Array(n) };
  for (let i = 0; i < n; i++) {
    const f = files[i];
    c.paths[i] = f.path;
    c.sizes[i] = f.sizeBytes;
    c.mtimesMs[i] = f.mtimeMs;
    c.checksums[i] = f.checksum;
    c.roots[i] = f.root!;
  }
  return c;
}

/** A whole member in one buffer: header, data, padding. */
function member(name: string, data: Buffer, mtime: number): Buffer {
  return Buffer.concat([fileHeader(name, data.length, mtime), data, Buffer.alloc(padding(data.length))]);
}

/** Streams a large file into its member as the client takes it; pads (and says so) if it comes up short. */
async function streamMember(out: TarOut, item: { file: ArchiveFile; fd: number; size: number; mtime: number }, top: string, outcome: Outcome): Promise<{ hex: string; size: number }> {
  const hash = item.file.checksum ? null : crypto.createHash('sha256');
  try {
    await out.write(fileHeader(`${top}/${item.file.path}`, item.size, item.mtime));
    let left = item.size;
    for await (const chunk of readChunks(item.fd, 0, item.size, CHUNK)) {
      left -= chunk.length;
      hash?.update(chunk);
      await out.write(chunk);
      if (out.gone) break;
    }
    if (left > 0 && !out.gone) {
      outcome.errors.push(`${item.file.path}\tchanged: the file became shorter while it was being sent; its member is padded with zeros and fails SHA256SUMS\n`);
      for (; left > 0; left -= Math.min(left, CHUNK)) await out.write(Buffer.alloc(Math.min(left, CHUNK)));
    }
    await out.write(Buffer.alloc(padding(item.size)));
  } finally {
    await closeFd(item.fd);
  }
  return { hex: item.file.checksum ?? hash!.digest('hex'), size: item.size };
}

/**
 * The response, written in batches of about BATCH bytes (one chunk of chunked encoding, one
 * system call, for many small members), waiting for `drain` when the client is slower than
 * the disk. `closed` once the client has gone: writes then do nothing.
 */
class TarOut {
  private pending: Buffer[] = [];
  private bytes = 0;
  closed = false;

  constructor(private readonly res: express.Response) {
    res.once('close', () => {
      if (!res.writableFinished) this.closed = true;
    });
  }

  /** The client left (or the socket failed) before the end. */
  get gone(): boolean {
    return this.closed || this.res.destroyed;
  }

  async write(buf: Buffer): Promise<void> {
    if (this.gone || buf.length === 0) return;
    const last = this.pending[this.pending.length - 1];
    // The next bytes of the same memory (members a chunk holds back to back): one view, no copy.
    if (last && last.buffer === buf.buffer && last.byteOffset + last.length === buf.byteOffset) {
      this.pending[this.pending.length - 1] = Buffer.from(last.buffer, last.byteOffset, last.length + buf.length);
    } else this.pending.push(buf);
    this.bytes += buf.length;
    if (this.bytes >= BATCH) await this.flush();
  }

  /**
   * Writes `buf` as it is (after anything gathered), in one write: a chunk the reader thread
   * built. `done` runs once the socket has taken it (the buffer may then be reused); not at
   * all if the client left, the buffer is then simply dropped.
   */
  async send(buf: Buffer, done: () => void): Promise<void> {
    if (this.bytes > 0) await this.flush();
    if (this.gone || buf.length === 0) {
      if (!this.gone) done();
      return;
    }
    const full = !this.res.write(buf, (err) => {
      if (!err) done();
    });
    if (full) await this.drained();
  }

  private async flush(): Promise<void> {
    const data = this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending, this.bytes);
    this.pending = [];
    this.bytes = 0;
    if (this.gone) return;
    if (!this.res.write(data)) await this.drained();
  }

  private async drained(): Promise<void> {
    if (!this.res.destroyed) {
      await new Promise<void>((resolve) => {
        const done = () => {
          this.res.off('drain', done);
          this.res.off('close', done);
          resolve();
        };
        this.res.on('drain', done);
        this.res.on('close', done);
      });
    }
  }

  async end(): Promise<void> {
    if (this.bytes > 0) await this.flush();
    if (this.gone) throw new Error('the client closed the connection');
    await new Promise<void>((resolve) => this.res.end(resolve));
  }
}
