/**
 * GET/HEAD /releases/:id/archive[?kind=&productType=&status=&ids=1,2,3]: the release (or the
 * selection) as one streamed tar, `<survey>_<release>/<path>` per file, then
 * `<survey>_<release>/SHA256SUMS` (the checksums recorded at ingest, in `sha256sum -c`
 * format) and, when some file could not be sent, `<survey>_<release>/ERRORS` (one line per
 * file: path, tab, why). Nothing is staged on disk and memory stays constant: files come from
 * the database a page at a time (keyset on id), each file is read through its own checked
 * descriptor (./open-served.ts): small files by the reader thread (./reader.ts), in chunks, one
 * chunk read while the previous one is written; large ones streamed here. Everything is
 * written as the client takes it (a slow client slows the reads, it does not grow a buffer:
 * at most two chunks and one batch are held). Headers: ./tar-format.ts (ustar, pax).
 *
 * A file gone or changed on disk is left out (and flagged for the next ingest, one statement
 * per page) rather than sent wrong: the tar stays well-formed. One that shrinks *while* it is
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
import { readMembers, type ReadChunk } from './reader.js';
import { readChunks } from './read-chunks.js';
import { archivePage, flagFiles, loadArchiveRelease, type ArchiveFile, type ArchiveSelection } from './queries.js';

const PAGE = 1000;
/** Files up to this size are read in one call into their member's buffer; larger ones are streamed. */
const WHOLE_READ = 256 * 1024;
const CHUNK = 256 * 1024;
/** Files read by the reader thread per request, and the most data of one request (two are in flight). */
const CHUNK_FILES = 128;
const CHUNK_BYTES = 4 * 1024 * 1024;
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

type RootCheck = Promise<Awaited<ReturnType<typeof checkRoot>>>;

/** A file to send: its root checked, then read by the reader thread (or streamed here when large). */
interface Planned {
  file: ArchiveFile;
  /** Why it is left out before any read (its release directory failed the check), or null. */
  refused: { problem: 'gone' | 'changed'; message: string } | null;
}

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
  const roots = new Map<string, RootCheck>();
  let after = 0;
  let page = archivePage(database.pool, releaseId, selection, after, PAGE);
  for (;;) {
    const files = await page;
    if (files.length === 0) break;
    after = files[files.length - 1].id;
    // The next page is read while this one is sent.
    page = files.length < PAGE ? Promise.resolve([]) : archivePage(database.pool, releaseId, selection, after, PAGE);
    page.catch(() => {});
    const planned: Planned[] = [];
    for (const file of files) {
      const root = file.root ?? '';
      let check = roots.get(root);
      if (!check) roots.set(root, (check = checkRoot(file.root, config.dataRoot)));
      const refused = await check;
      planned.push({ file, refused: refused ? { problem: refused.problem, message: refused.message } : null });
    }
    // Chunks of small files go to the reader thread; the next chunk is read while one is written.
    const chunks = cut(planned);
    const reads: Promise<ReadChunk>[] = [];
    const request = (i: number) => {
      if (i >= chunks.length || out.gone) return;
      const p = readMembers(
        top,
        chunks[i].filter((x) => !x.refused).map(({ file }) => ({ ...file, root: file.root!, stream: file.sizeBytes > WHOLE_READ })),
      );
      p.catch(() => {});
      reads[i] = p;
    };
    request(0);
    request(1);
    const gone: number[] = [];
    const changed: number[] = [];
    const leaveOut = (file: ArchiveFile, problem: 'gone' | 'changed', message: string) => {
      outcome.errors.push(`${file.path}\t${problem}: ${message}\n`);
      (problem === 'gone' ? gone : changed).push(file.id);
    };
    for (let i = 0; i < chunks.length && !out.gone; i++) {
      const { buffer, entries } = await reads[i];
      request(i + 2);
      let e = 0;
      for (const { file, refused } of chunks[i]) {
        if (refused) {
          leaveOut(file, refused.problem, refused.message);
          continue;
        }
        const entry = entries[e++];
        if (entry.kind === 'left-out') {
          leaveOut(file, entry.problem, entry.message);
          continue;
        }
        let hex: string;
        let size: number;
        if (entry.kind === 'whole') {
          // Members lie back to back in the chunk's buffer: out gathers neighbours into one write.
          await out.write(buffer.subarray(entry.offset, entry.offset + entry.length));
          ({ hex, length: size } = entry);
        } else {
          const opened = await openChecked({ ...file, root: file.root! });
          if (!opened.ok) {
            leaveOut(file, opened.problem, opened.message);
            continue;
          }
          ({ hex, size } = await streamMember(out, { file, fd: opened.fd, size: opened.stat.size, mtime: opened.stat.mtimeMs / 1000 }, top, outcome));
        }
        if (out.gone) break;
        countBytes('archive', size);
        countFiles('archive');
        outcome.sums.push(sumLine(hex, file.path));
      }
    }
    if (out.gone) {
      // Reads already asked for finish on the thread; nothing holds a descriptor here.
      throw new Error('the client closed the connection');
    }
    if (gone.length || changed.length) {
      await flagFiles(database.pool, gone, changed);
      logger.warn({ releaseId, gone: gone.length, changed: changed.length }, 'archive: files left out, the disk no longer matches the ingest');
    }
  }
  const now = Date.now() / 1000;
  await out.write(member(`${top}/SHA256SUMS`, Buffer.from(outcome.sums.join('')), now));
  if (outcome.errors.length) await out.write(member(`${top}/ERRORS`, Buffer.from(outcome.errors.join('')), now));
  await out.write(END_OF_ARCHIVE);
  await out.end();
}

/** Chunks of at most CHUNK_FILES files and about CHUNK_BYTES of small files' data. */
function cut(planned: Planned[]): Planned[][] {
  const chunks: Planned[][] = [];
  let current: Planned[] = [];
  let bytes = 0;
  for (const p of planned) {
    const small = p.file.sizeBytes <= WHOLE_READ ? p.file.sizeBytes : 0;
    if (current.length >= CHUNK_FILES || (current.length > 0 && bytes + small > CHUNK_BYTES)) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(p);
    bytes += small;
  }
  if (current.length) chunks.push(current);
  return chunks;
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

  private async flush(): Promise<void> {
    const data = this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending, this.bytes);
    this.pending = [];
    this.bytes = 0;
    if (this.gone) return;
    if (!this.res.write(data) && !this.res.destroyed) {
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

/**
 * A SHA256SUMS line as GNU sha256sum writes (and `sha256sum -c` reads) it: a name with a
 * backslash or line break is written escaped, the line then starting with a backslash.
 */
export function sumLine(hex: string, name: string): string {
  if (!/[\\\n\r]/.test(name)) return `${hex}  ${name}\n`;
  return `\\${hex}  ${name.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\r/g, '\\r')}\n`;
}
