/**
 * GET/HEAD /files/:id/content in its common case, answered on node:http's request before
 * Express: a plain request (no query string, no credentials, no Range) for a small file of a
 * published release. Express's routing and its request/response decoration cost more CPU
 * than the rest of such a request; here the request costs its share of one batched statement
 * and one batched reader-thread message (./served-files.ts) and one write.
 *
 * The answer is the route's own (./file-content.ts), header for header: ETag, Last-Modified,
 * Accept-Ranges, Cache-Control, nosniff, the sandboxing CSP, Content-Disposition, the CORS
 * headers of ../cors.ts, 304 to a matching If-None-Match/If-Modified-Since, and the same
 * metrics. Anything else goes to Express untouched, even after a lookup: tokens and signed
 * links, ranges, large files, ids that are unknown or not visible anonymously (drafts: the
 * route's 404), files that changed on disk (the route's 409/410, which flags them), errors.
 */
import type http from 'node:http';
import type { Config } from '../../config.js';
import type { Database } from '../../db/client.js';
import { contentTypeOf } from './content-type.js';
import { attachment } from './disposition.js';
import { notModified, SMALL } from './file-content.js';
import { countBytes, countFiles, countRequest } from './metrics.js';
import { checkRoot } from './open-served.js';
import { readWhole, servedFile } from './served-files.js';

/** The route's path written plainly (Express also takes other spellings: those go to it). */
const PLAIN = /^\/files\/([1-9][0-9]{0,15})\/content$/;

/** A request listener that answers the common case and hands every other request to `fallback` (the Express app). */
export function fileContentFastPath(deps: { database: Database; config: Config }, fallback: http.RequestListener): http.RequestListener {
  const { pool } = deps.database;
  const { dataRoot } = deps.config;
  const origins = new Set(deps.config.corsOrigins);

  /** True when answered; false: the route answers (nothing was written). */
  async function answer(id: number, req: http.IncomingMessage, res: http.ServerResponse): Promise<boolean> {
    const file = await servedFile(pool, id, req);
    if (!file || !file.published || file.sizeBytes > SMALL) return false;
    if (await checkRoot(file.root, dataRoot)) return false;
    const read = await readWhole({ ...file, root: file.root! });
    if (!read.ok) return false;

    const mtime = new Date(file.mtimeMs);
    const etag = file.checksum ? `"${file.checksum}"` : undefined;
    const headers: http.OutgoingHttpHeaders = {};
    if (origins.size > 0) {
      // As ../cors.ts answers: Vary whenever origins are configured, the origin itself when allowed.
      headers.vary = 'Origin';
      const origin = req.headers.origin;
      if (origin !== undefined && origins.has(origin)) headers['access-control-allow-origin'] = origin;
    }
    if (etag) headers.etag = etag;
    headers['last-modified'] = mtime.toUTCString();
    headers['accept-ranges'] = 'bytes';
    headers['cache-control'] = 'public, max-age=3600';
    headers['x-content-type-options'] = 'nosniff';
    headers['content-security-policy'] = "sandbox; default-src 'none'";
    if (notModified(req.headers, etag, mtime)) {
      res.writeHead(304, headers).end();
      countRequest('file', 304);
      return true;
    }
    headers['content-disposition'] = attachment(file.path);
    headers['content-type'] = contentTypeOf(file.path, file.kind);
    headers['content-length'] = String(read.bytes.length);
    res.writeHead(200, headers);
    if (req.method === 'HEAD') res.end();
    else {
      res.end(read.bytes);
      countBytes('file', read.bytes.length);
      countFiles('file');
    }
    countRequest('file', 200);
    return true;
  }

  return (req, res) => {
    const id = plainId(req);
    if (id === null) return fallback(req, res);
    answer(id, req, res).then(
      (answered) => answered || fallback(req, res),
      // Nothing was written (every await comes before the first write): the route answers, or reports the error.
      () => fallback(req, res),
    );
  };
}

/** The file id of a request this path may answer, else null. */
function plainId(req: http.IncomingMessage): number | null {
  if (req.method !== 'GET' && req.method !== 'HEAD') return null;
  const h = req.headers;
  if (h.authorization !== undefined || h.range !== undefined) return null;
  const m = PLAIN.exec(req.url ?? '');
  if (!m) return null;
  const id = Number(m[1]);
  return Number.isSafeInteger(id) ? id : null;
}
