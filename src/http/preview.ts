/**
 * GET /records/:id/preview.png: a quicklook of an image or cube record (src/access/
 * preview-render.ts), made on first request on an access thread and cached on disk
 * (src/access/preview-cache.ts). Access as in GraphQL: a draft release's records need a
 * bearer token; an unknown id, a hidden one and a malformed one all answer 404, so an
 * anonymous client learns nothing of drafts. The ETag is the file's checksum and the
 * renderer's version, known before anything is read: a revalidation is one statement and a 304.
 */
import express from 'express';
import { authenticate } from '../auth/bearer.js';
import type { Config } from '../config.js';
import type { Database } from '../db/client.js';
import { ArchiveError } from '../errors.js';
import type { Logger } from '../log.js';
import { locateRecordFiles } from '../access/locate.js';
import { OpenProblem } from '../access/open-file.js';
import { PreviewCache } from '../access/preview-cache.js';
import { PREVIEW_VERSION } from '../access/preview-render.js';

const STATUS: Record<ArchiveError['code'], number> = { BAD_USER_INPUT: 400, UNAUTHENTICATED: 401, FORBIDDEN: 403, NOT_FOUND: 404, CONFLICT: 409 };
const ID = /^[1-9][0-9]{0,15}$/;
const PREVIEW_KINDS = new Set(['IMAGE', 'IFS_CUBE']);

export function previewRoutes(database: Database, config: Config, logger: Logger): express.Router {
  const router = express.Router();
  const cache = new PreviewCache(config.home);

  router.get('/records/:id/preview.png', async (req, res, next) => {
    try {
      const raw = req.params.id;
      const notFound = () => json(res, 404, { error: `no record ${JSON.stringify(raw)} with a preview visible to this caller` });
      if (!ID.test(raw) || !Number.isSafeInteger(Number(raw))) return notFound();
      const viewer = await authenticate(database, req.headers.authorization);
      const id = Number(raw);
      const file = (await locateRecordFiles(database.pool, [id], viewer === null)).get(id);
      if (!file) return notFound();
      if (!PREVIEW_KINDS.has(file.kind)) return json(res, 404, { error: `record ${id} is not an image or a cube: it has no preview${file.kind === 'SPECTRUM' ? ' (its values: Record.spectrum in GraphQL)' : ''}` });
      if (file.missing) return json(res, 410, { error: `the file of record ${id} is no longer on disk` });
      if (!file.checksum) return json(res, 404, { error: `the file of record ${id} was not read at ingest: it has no preview` });
      if (!file.disk) return json(res, 409, { error: `the file of record ${id} has no location inside its release: it is not read` });

      const etag = `"preview-v${PREVIEW_VERSION}-${file.checksum}"`;
      res.setHeader('etag', etag);
      // A published release is immutable; a draft can be ingested again (a new checksum, a new ETag).
      res.setHeader('cache-control', file.releaseStatus === 'published' ? 'public, max-age=86400' : 'private, no-cache');
      if (req.headers['if-none-match']?.split(',').some((t) => t.trim() === etag || t.trim() === '*')) return res.status(304).end();

      let image;
      try {
        image = await cache.get(file.checksum, file.disk);
      } catch (err) {
        if (!(err instanceof OpenProblem)) throw err;
        res.removeHeader('etag');
        const status = err.code === 'FILE_GONE' ? 410 : err.code === 'FILE_UNREADABLE' ? 503 : 409;
        return json(res, status, { error: `cannot make the preview of record ${id}: ${err.message}` });
      }
      if (image.source === 'rendered' && image.problem) {
        logger.warn({ recordId: id, fileId: file.fileId, problem: image.problem }, 'preview: placeholder drawn for a file that cannot be shown');
      }
      // Where this answer came from (as a cache's X-Cache): rendered now, read from disk, or shared with a concurrent request.
      res.setHeader('x-astroarchive-preview', image.source);
      // The page reads this to say the file could not be drawn, instead of captioning a grey cross as a quick look.
      if (image.placeholder) res.setHeader('x-astroarchive-preview-placeholder', '1');
      res.setHeader('content-type', 'image/png');
      res.setHeader('content-length', String(image.png.length));
      res.end(image.png);
    } catch (err) {
      if (err instanceof ArchiveError) return json(res, STATUS[err.code], { error: err.message });
      next(err);
    }
  });
  return router;
}

/** A JSON error, without Express's ETag (a weak hash of the message) and not cacheable. */
function json(res: express.Response, status: number, body: { error: string }): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('cache-control', 'no-store');
  res.end(JSON.stringify(body));
}
