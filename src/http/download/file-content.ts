/**
 * GET/HEAD /files/:id/content: a file's bytes, streamed from its descriptor (never buffered
 * whole), with `ETag` (the SHA-256 recorded at ingest), `If-None-Match`/`If-Modified-Since`
 * (304), `Range` (206 single, multipart/byteranges for several, 416: ./ranges.ts) and
 * `If-Range`. One statement finds the file, its release's status and its directory (shared
 * with the other requests of the moment: ./served-files.ts); the file is then opened and
 * checked against what was ingested (./open-served.ts): if it is gone (410) or changed (409)
 * it is flagged for the next ingest and not served. Plain anonymous GETs of small published
 * files never reach this route: ./fast-file.ts answers them the same way before Express.
 *
 * A whole small file (64 kB or less) is opened, checked and read by the archive's reader
 * thread (./reader.ts, one message for the requests of the moment) and sent in one write; anything else streams from a
 * descriptor opened here, closed when the answer ends, whichever way: a client that
 * disconnects mid-download destroys the pipeline, which ends the read.
 */
import fs from 'node:fs';
import crypto from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { pipeline } from 'node:stream/promises';
import express from 'express';
import type { Config } from '../../config.js';
import type { Database } from '../../db/client.js';
import type { Logger } from '../../log.js';
import { answerArchiveError, mayReadDrafts, urlId } from './access.js';
import { contentTypeOf } from './content-type.js';
import { attachment } from './disposition.js';
import { countBytes, countFiles, countRequest } from './metrics.js';
import { checkRoot, closeFd, openChecked } from './open-served.js';
import { flagFiles, type ServedFile } from './queries.js';
import { parseRange, type ByteRange } from './ranges.js';
import { readChunks } from './read-chunks.js';
import { readWhole, servedFile } from './served-files.js';

/**
 * Read size: a 1 GB file is a thousand reads and socket writes. With readChunks' read ahead
 * a download holds at most two chunks (2 MB) whatever the client's speed. bench --access,
 * alternating: single stream 2,401 / 2,792 MB/s (0.83x / 0.90x nginx) against 2,106 / 2,323
 * (0.68x / 0.77x) at 256 kB.
 */
const CHUNK = 1024 * 1024;
/** Whole-file GETs up to this size are read by the reader thread in one message and sent in one write. */
export const SMALL = 64 * 1024;

export function fileContentRoutes(database: Database, config: Config, logger: Logger): express.Router {
  const router = express.Router();
  // Express routes HEAD to GET handlers; the handler sends headers only for HEAD.
  router.get('/files/:id/content', async (req, res, next) => {
    res.on('close', () => countRequest('file', res.statusCode));
    try {
      const id = urlId(req.params.id);
      if (id === null) return notFound(res);
      const drafts = await mayReadDrafts(req, database, config, `file:${id}`);
      const file = await servedFile(database.pool, id, req);
      if (!file || (!file.published && !drafts)) return notFound(res);

      const refuse = async (problem: 'gone' | 'changed', message: string) => {
        await flagFiles(database.pool, problem === 'gone' ? [file.id] : [], problem === 'changed' ? [file.id] : []);
        logger.warn({ fileId: file.id, problem }, 'download refused: the file on disk is not the one ingested');
        res.setHeader('cache-control', 'no-store');
        res.status(problem === 'gone' ? 410 : 409).json({ error: message });
      };
      const rootProblem = await checkRoot(file.root, config.dataRoot);
      if (rootProblem) return await refuse(rootProblem.problem, rootProblem.message);
      // A small file, whole: opened, checked and read in one message to the reader thread
      // (one round trip instead of five through the thread pool), sent in one write.
      if (req.method === 'GET' && req.headers.range === undefined && file.sizeBytes <= SMALL) {
        const read = await readWhole({ ...file, root: file.root! });
        if (!read.ok) return await refuse(read.problem, read.message);
        if (notModifiedAfterHeaders(req, res, file, new Date(file.mtimeMs))) return;
        res.status(200).setHeader('content-type', contentTypeOf(file.path, file.kind));
        res.setHeader('content-length', String(read.bytes.length));
        res.end(read.bytes);
        countBytes('file', read.bytes.length);
        countFiles('file');
        return;
      }
      const opened = await openChecked({ ...file, root: file.root! });
      if (!opened.ok) return await refuse(opened.problem, opened.message);
      await send(req, res, file, opened.fd, opened.stat);
    } catch (err) {
      if (answerArchiveError(err, res)) return;
      if (res.headersSent) {
        // Mid-body: the client sees a cut connection (its length check fails), never a wrong end.
        res.destroy();
        return;
      }
      next(err);
    }
  });
  return router;
}

function notFound(res: express.Response): void {
  res.status(404).json({ error: 'no such file' });
}

/** Headers, conditionals, ranges, then the body. Owns `fd` (closes it). */
async function send(req: express.Request, res: express.Response, file: ServedFile, fd: number, stat: fs.Stats): Promise<void> {
  // Closed once: by the body when it ran (its finally, after its last read), else by this function.
  let closing: Promise<void> | undefined;
  const close = () => (closing ??= closeFd(fd));
  const started = { yes: false };
  try {
    const size = stat.size;
    const etag = file.checksum ? `"${file.checksum}"` : undefined;
    const lastModified = stat.mtime.toUTCString();
    const type = contentTypeOf(file.path, file.kind);
    if (notModifiedAfterHeaders(req, res, file, stat.mtime)) return;

    // Range applies to GET only (RFC 9110 14.2); If-Range that does not match asks for the whole.
    const rangeHeader = req.method === 'GET' && ifRangeHolds(headerValue(req.headers['if-range']), etag, lastModified) ? req.headers.range : undefined;
    const answer = parseRange(rangeHeader, size);
    if (answer.kind === 'malformed' || answer.kind === 'unsatisfiable') {
      res.setHeader('content-range', `bytes */${size}`);
      res.status(416).json({ error: answer.kind === 'malformed' ? 'malformed Range header: use bytes=first-last, bytes=first- or bytes=-suffix' : `no range of the request lies within the file (${size} bytes)` });
      return;
    }
    let parts: ByteRange[];
    let prefix: ((r: ByteRange) => Buffer) | undefined;
    let trailer: Buffer | undefined;
    if (answer.kind === 'whole') {
      res.status(200).setHeader('content-type', type);
      res.setHeader('content-length', String(size));
      parts = size > 0 ? [{ start: 0, end: size - 1 }] : [];
    } else if (answer.ranges.length === 1) {
      const [r] = answer.ranges;
      res.status(206).setHeader('content-type', type);
      res.setHeader('content-range', `bytes ${r.start}-${r.end}/${size}`);
      res.setHeader('content-length', String(r.end - r.start + 1));
      parts = answer.ranges;
    } else {
      const boundary = crypto.randomBytes(12).toString('hex');
      prefix = (r) => Buffer.from(`\r\n--${boundary}\r\ncontent-type: ${type}\r\ncontent-range: bytes ${r.start}-${r.end}/${size}\r\n\r\n`);
      trailer = Buffer.from(`\r\n--${boundary}--\r\n`);
      const length = answer.ranges.reduce((n, r) => n + prefix!(r).length + (r.end - r.start + 1), trailer.length);
      res.status(206).setHeader('content-type', `multipart/byteranges; boundary=${boundary}`);
      res.setHeader('content-length', String(length));
      parts = answer.ranges;
    }
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    await pipeline(body(started, fd, close, parts, prefix, trailer), res);
    if (answer.kind === 'whole') countFiles('file');
  } finally {
    // A body that started closes the descriptor itself, once its last read is over (closing
    // it here could race a read still in flight); one that never started (the client left
    // first, or no body was due) has no finally to run.
    if (!started.yes) await close();
  }
}

/**
 * The ranges' bytes, in order, with multipart headers around them when there are several.
 * A read that comes up short (the file was truncated while being sent) throws: the pipeline
 * then destroys the response, so the client sees a cut download, not a silently short one.
 */
async function* body(started: { yes: boolean }, fd: number, close: () => Promise<void>, parts: ByteRange[], prefix?: (r: ByteRange) => Buffer, trailer?: Buffer): AsyncGenerator<Buffer> {
  started.yes = true;
  try {
    for (const r of parts) {
      if (prefix) yield prefix(r);
      let want = r.end - r.start + 1;
      for await (const chunk of readChunks(fd, r.start, want, CHUNK)) {
        want -= chunk.length;
        countBytes('file', chunk.length);
        yield chunk;
      }
      if (want !== 0) throw new Error('the file became shorter while it was being sent');
    }
    if (trailer) yield trailer;
  } finally {
    await close();
  }
}

/**
 * The headers every answer about the file carries; then a 304 (true) when the client's copy
 * is current, else Content-Disposition for the body to come (false).
 */
function notModifiedAfterHeaders(req: express.Request, res: express.Response, file: ServedFile, mtime: Date): boolean {
  const etag = file.checksum ? `"${file.checksum}"` : undefined;
  if (etag) res.setHeader('etag', etag);
  res.setHeader('last-modified', mtime.toUTCString());
  res.setHeader('accept-ranges', 'bytes');
  // Drafts' bytes must not sit in a shared cache; published ones are immutable.
  res.setHeader('cache-control', file.published ? 'public, max-age=3600' : 'private, no-store');
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('content-security-policy', "sandbox; default-src 'none'");
  if (notModified(req.headers, etag, mtime)) {
    res.status(304).end();
    return true;
  }
  res.setHeader('content-disposition', attachment(file.path));
  return false;
}

/** If-None-Match (weak comparison, `*` too), else If-Modified-Since (RFC 9110 13.1.2-3). */
export function notModified(headers: IncomingHttpHeaders, etag: string | undefined, mtime: Date): boolean {
  const inm = headers['if-none-match'];
  if (inm !== undefined) {
    if (inm.trim() === '*') return true;
    if (!etag) return false;
    return inm.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);
  }
  const ims = headers['if-modified-since'];
  if (ims === undefined) return false;
  const since = Date.parse(ims);
  return Number.isFinite(since) && Math.floor(mtime.getTime() / 1000) * 1000 <= since;
}

const headerValue = (v: string | string[] | undefined) => (Array.isArray(v) ? v.join(', ') : v);

/** If-Range: a strong ETag equal to ours, or exactly our Last-Modified date. */
function ifRangeHolds(ifRange: string | undefined, etag: string | undefined, lastModified: string): boolean {
  if (ifRange === undefined) return true;
  const v = ifRange.trim();
  if (v.startsWith('"') || v.startsWith('W/')) return etag !== undefined && v === etag;
  return v === lastModified;
}
