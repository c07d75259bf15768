/**
 * GET/HEAD /releases/:id/archive[?kind=&productType=&status=&ids=1,2,3]: the release (or the
 * selection) as one streamed tar, `<survey>_<release>/<path>` per file, then
 * `<survey>_<release>/SHA256SUMS` (the checksums recorded at ingest, in `sha256sum -c`
 * format) and, when some file could not be sent, `<survey>_<release>/ERRORS` (one line per
 * file: path, tab, why). Nothing is staged on disk and memory stays constant: files come from
 * the database a page at a time (keyset on id), each file is read through its own checked
 * descriptor (./open-served.ts), a few files ahead, and written as the client takes it (a slow
 * client slows the reads, it does not grow a buffer: at most AHEAD small files and one
 * batch are held). Headers are written by ./tar-format.ts (ustar, pax for long names).
 *
 * A file gone or changed on disk is left out (and flagged for the next ingest, one statement
 * per page) rather than sent wrong: the tar stays well-formed. One that shrinks *while* it is
 * being read is padded to the size its header promised and listed in ERRORS; its line in
 * SHA256SUMS then fails, as it should. There is no Content-Length (the answer's size is known
 * only at its end): an interrupted download is resumed by starting again.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
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
import { readChunks } from './read-chunks.js';
import { archivePage, flagFiles, loadArchiveRelease, type ArchiveFile, type ArchiveSelection } from './queries.js';

const PAGE = 1000;
/** Files up to this size are read in one call into their member's buffer; larger ones are streamed. */
const WHOLE_READ = 256 * 1024;
const CHUNK = 256 * 1024;
/** Files prepared ahead of the one being written: at most this many descriptors and WHOLE_READ buffers. */
const AHEAD = 16;
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

/** A file read ahead: its member bytes (header, data, padding), an open descriptor to stream, or why it is left out. */
type Prepared =
  | { kind: 'whole'; file: ArchiveFile; bytes: Buffer; hex: string }
  | { kind: 'stream'; file: ArchiveFile; fd: number; size: number; mtime: number }
  | { kind: 'left-out'; file: ArchiveFile; problem: 'gone' | 'changed'; message: string };

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
  // Files are opened, checked and (small ones) read AHEAD files ahead, concurrently (the
  // thread pool overlaps their system calls), and written in id order.
  const window: Promise<Prepared>[] = [];
  try {
    for (;;) {
      const files = await page;
      if (files.length === 0) break;
      after = files[files.length - 1].id;
      // The next page is read while this one is sent.
      page = files.length < PAGE ? Promise.resolve([]) : archivePage(database.pool, releaseId, selection, after, PAGE);
      page.catch(() => {});
      const gone: number[] = [];
      const changed: number[] = [];
      let next = 0;
      const refill = () => {
        while (!out.gone && window.length < AHEAD && next < files.length) {
          const p = prepare(files[next++], top, config, roots);
          p.catch(() => {});
          window.push(p);
        }
      };
      refill();
      while (window.length > 0) {
        const item = await window.shift()!;
        refill();
        if (out.gone) {
          if (item.kind === 'stream') await closeFd(item.fd);
          continue;
        }
        if (item.kind === 'left-out') {
          outcome.errors.push(`${item.file.path}\t${item.problem}: ${item.message}\n`);
          (item.problem === 'gone' ? gone : changed).push(item.file.id);
          continue;
        }
        let hex: string;
        let size: number;
        if (item.kind === 'whole') {
          await out.write(item.bytes);
          hex = item.hex;
          size = item.bytes.length;
        } else {
          ({ hex, size } = await streamMember(out, item, top, outcome));
        }
        countBytes('archive', size);
        countFiles('archive');
        outcome.sums.push(sumLine(hex, item.file.path));
      }
      if (out.gone) throw new Error('the client closed the connection');
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
  } finally {
    // Read-ahead files not sent (the client left): their descriptors are closed here.
    for (const p of window) {
      const item = await p.catch(() => null);
      if (item?.kind === 'stream') await closeFd(item.fd);
    }
  }
}

/** A whole member in one buffer: header, data, padding. */
function member(name: string, data: Buffer, mtime: number): Buffer {
  return Buffer.concat([fileHeader(name, data.length, mtime), data, Buffer.alloc(padding(data.length))]);
}

/** Opens and checks one file; a small one is read whole (into its member's buffer) and closed. */
async function prepare(file: ArchiveFile, top: string, config: Config, roots: Map<string, RootCheck>): Promise<Prepared> {
  const root = file.root ?? '';
  let rootCheck = roots.get(root);
  if (!rootCheck) roots.set(root, (rootCheck = checkRoot(file.root, config.dataRoot)));
  const opened = (await rootCheck) ?? (await openChecked({ ...file, root }));
  if (!opened.ok) return { kind: 'left-out', file, problem: opened.problem, message: opened.message };
  const { fd, stat } = opened;
  const mtime = stat.mtimeMs / 1000;
  if (stat.size > WHOLE_READ) return { kind: 'stream', file, fd, size: stat.size, mtime };
  try {
    const header = fileHeader(`${top}/${file.path}`, stat.size, mtime);
    const bytes = Buffer.allocUnsafe(header.length + stat.size + padding(stat.size));
    header.copy(bytes);
    const n = await readFully(fd, bytes.subarray(header.length, header.length + stat.size), 0);
    if (n < stat.size) return { kind: 'left-out', file, problem: 'changed', message: 'the file became shorter while it was being read' };
    bytes.fill(0, header.length + stat.size);
    const data = bytes.subarray(header.length, header.length + stat.size);
    return { kind: 'whole', file, bytes, hex: file.checksum ?? crypto.createHash('sha256').update(data).digest('hex') };
  } finally {
    await closeFd(fd);
  }
}

/** Streams a large file into its member as the client takes it; pads (and says so) if it comes up short. */
async function streamMember(out: TarOut, item: Extract<Prepared, { kind: 'stream' }>, top: string, outcome: Outcome): Promise<{ hex: string; size: number }> {
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
    this.pending.push(buf);
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

async function readFully(fd: number, buf: Buffer, pos: number): Promise<number> {
  let n = 0;
  while (n < buf.length) {
    const bytesRead = await new Promise<number>((resolve, reject) => fs.read(fd, buf, n, buf.length - n, pos + n, (err, r) => (err ? reject(err) : resolve(r))));
    if (bytesRead === 0) break;
    n += bytesRead;
  }
  return n;
}
