/**
 * GET/HEAD /releases/:id/archive[?kind=&productType=&status=&ids=1,2,3]: the release (or the
 * selection) as one streamed tar, `<survey>_<release>/<path>` per file, then
 * `<survey>_<release>/SHA256SUMS` (the checksums recorded at ingest, in `sha256sum -c`
 * format) and, when some file could not be sent, `<survey>_<release>/ERRORS` (one line per
 * file: path, tab, why). Nothing is staged on disk and memory stays constant: files come from
 * the database a page at a time (keyset on id), each file is read through its own checked
 * descriptor (./open-served.ts) and written into the tar as the client takes it (the tar
 * stream's backpressure: a slow client slows the reads, it does not grow a buffer).
 *
 * A file gone or changed on disk is left out (and flagged for the next ingest, one statement
 * per page) rather than sent wrong: the tar stays well-formed. One that shrinks *while* it is
 * being read is padded to the size its header promised and listed in ERRORS; its line in
 * SHA256SUMS then fails, as it should. There is no Content-Length (the answer's size is known
 * only at its end): an interrupted download is resumed by starting again.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import express from 'express';
import tar from 'tar-stream';
import type { Config } from '../../config.js';
import type { Database } from '../../db/client.js';
import { badInput } from '../../errors.js';
import type { Logger } from '../../log.js';
import { answerArchiveError, mayReadDrafts, urlId } from './access.js';
import { attachment } from './disposition.js';
import { countBytes, countFiles, countRequest } from './metrics.js';
import { checkRoot, closeFd, openChecked } from './open-served.js';
import { readChunks } from './read-chunks.js';
import { archivePage, flagFiles, loadArchiveRelease, type ArchiveFile, type ArchiveSelection } from './queries.js';

type EntryHeader = Parameters<tar.Pack['entry']>[0];

const PAGE = 1000;
/** Files up to this size are read in one call into their own buffer; larger ones are streamed. */
const WHOLE_READ = 1024 * 1024;
const CHUNK = 256 * 1024;
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

async function streamArchive(
  database: Database,
  config: Config,
  logger: Logger,
  releaseId: number,
  selection: ArchiveSelection,
  top: string,
  res: express.Response,
): Promise<void> {
  const pack = tar.pack();
  const sent = pipeline(pack, res);
  // A client that leaves rejects `sent`; the loop below stops at its next write.
  let failed: unknown;
  sent.catch((err) => (failed ??= err));
  const out: Outcome = { sums: [], errors: [] };
  const roots = new Map<string, Promise<Awaited<ReturnType<typeof checkRoot>>>>();
  let after = 0;
  let page = archivePage(database.pool, releaseId, selection, after, PAGE);
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
      for (const file of files) {
        if (failed) throw failed;
        const problem = await addFile(pack, file, top, config, roots, out);
        if (problem) (problem === 'gone' ? gone : changed).push(file.id);
      }
      if (gone.length || changed.length) {
        await flagFiles(database.pool, gone, changed);
        logger.warn({ releaseId, gone: gone.length, changed: changed.length }, 'archive: files left out, the disk no longer matches the ingest');
      }
    }
    await writeEntry(pack, { name: `${top}/SHA256SUMS`, size: 0, mode: 0o644, mtime: new Date() }, Buffer.from(out.sums.join('')));
    if (out.errors.length) await writeEntry(pack, { name: `${top}/ERRORS`, size: 0, mode: 0o644, mtime: new Date() }, Buffer.from(out.errors.join('')));
    pack.finalize();
    await sent;
  } catch (err) {
    pack.destroy();
    await sent.catch(() => {});
    throw err;
  }
}

/** One member; 'gone'/'changed' when the file was left out (listed in ERRORS). */
async function addFile(
  pack: tar.Pack,
  file: ArchiveFile,
  top: string,
  config: Config,
  roots: Map<string, Promise<Awaited<ReturnType<typeof checkRoot>>>>,
  out: Outcome,
): Promise<'gone' | 'changed' | null> {
  const root = file.root ?? '';
  let rootCheck = roots.get(root);
  if (!rootCheck) roots.set(root, (rootCheck = checkRoot(file.root, config.dataRoot)));
  const opened = (await rootCheck) ?? (await openChecked({ ...file, root }));
  if (!opened.ok) {
    out.errors.push(`${file.path}\t${opened.problem}: ${opened.message}\n`);
    return opened.problem;
  }
  const { fd, stat } = opened;
  const name = `${top}/${file.path}`;
  const header = { name, size: stat.size, mode: 0o644, mtime: stat.mtime };
  const hash = file.checksum ? null : crypto.createHash('sha256');
  try {
    if (stat.size <= WHOLE_READ) {
      const buf = Buffer.allocUnsafe(stat.size);
      const n = await readFully(fd, buf, 0);
      if (n < stat.size) {
        out.errors.push(`${file.path}\tchanged: the file became shorter while it was being read; left out\n`);
        return 'changed';
      }
      hash?.update(buf);
      await writeEntry(pack, header, buf);
    } else {
      const short = await streamEntry(pack, header, fd, hash);
      if (short) out.errors.push(`${file.path}\tchanged: the file became shorter while it was being sent; its member is padded with zeros and fails SHA256SUMS\n`);
    }
  } finally {
    await closeFd(fd);
  }
  countBytes('archive', stat.size);
  countFiles('archive');
  out.sums.push(sumLine(file.checksum ?? hash!.digest('hex'), file.path));
  return null;
}

/**
 * A SHA256SUMS line as GNU sha256sum writes (and `sha256sum -c` reads) it: a name with a
 * backslash or line break is written escaped, the line then starting with a backslash.
 */
export function sumLine(hex: string, name: string): string {
  if (!/[\\\n\r]/.test(name)) return `${hex}  ${name}\n`;
  return `\\${hex}  ${name.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\r/g, '\\r')}\n`;
}

function writeEntry(pack: tar.Pack, header: EntryHeader, buf: Buffer): Promise<void> {
  return new Promise((resolve, reject) => pack.entry({ ...header, size: buf.length }, buf, (err) => (err ? reject(err) : resolve())));
}

/** Streams `fd` into a member of `header.size` bytes, as the client takes them. True when the file came up short (padded). */
async function streamEntry(pack: tar.Pack, header: EntryHeader & { size: number }, fd: number, hash: crypto.Hash | null): Promise<boolean> {
  let entry!: ReturnType<tar.Pack['entry']>;
  const done = new Promise<void>((resolve, reject) => {
    entry = pack.entry(header, (err) => (err ? reject(err) : resolve()));
  });
  done.catch(() => {});
  let left = header.size;
  const write = async (chunk: Buffer) => {
    if (!entry.write(chunk)) await new Promise<void>((resolve, reject) => {
      entry.once('drain', resolve);
      entry.once('error', reject);
      entry.once('close', resolve);
    });
  };
  for await (const chunk of readChunks(fd, 0, header.size, CHUNK)) {
    left -= chunk.length;
    hash?.update(chunk);
    await write(chunk);
  }
  const short = left > 0;
  for (; left > 0; left -= Math.min(left, CHUNK)) await write(Buffer.alloc(Math.min(left, CHUNK)));
  (entry as unknown as { end(): void }).end();
  await done;
  return short;
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
