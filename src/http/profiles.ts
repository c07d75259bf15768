/**
 * Captured profiles over HTTP (admin token):
 *   GET /profiles/:id.cpuprofile | :id.heapprofile  the JSON, as a download (speedscope,
 *                                                    Chrome DevTools, VS Code open it)
 *   GET /profiles/:id                               a flame graph page, rendered here as SVG:
 *                                                    no script, no CDN, works offline
 * The token comes from `Authorization: Bearer` or, for links opened in a browser (which
 * cannot add headers), from `?token=`. The page's download link carries the same token.
 */
import express from 'express';
import { authenticate } from '../auth/bearer.js';
import { requireRole } from '../auth/access.js';
import type { Database } from '../db/client.js';
import { ArchiveError } from '../errors.js';
import { loadProfile, loadProfileData } from '../monitor/profile-requests.js';
import { renderFlameGraphPage } from '../monitor/flamegraph.js';
import type { CpuProfile, HeapProfile } from '../monitor/profiler.js';

const STATUS: Record<ArchiveError['code'], number> = { BAD_USER_INPUT: 400, UNAUTHENTICATED: 401, FORBIDDEN: 403, NOT_FOUND: 404, CONFLICT: 409 };

export function profileRoutes(database: Database): express.Router {
  const router = express.Router();

  const admin = async (req: express.Request) => {
    const q = typeof req.query.token === 'string' ? req.query.token : undefined;
    const viewer = await authenticate(database, req.headers.authorization ?? (q ? `Bearer ${q}` : undefined));
    requireRole(viewer, 'reading profiles');
  };

  router.get('/profiles/:name', async (req, res, next) => {
    try {
      const m = /^([1-9][0-9]{0,15})(?:\.(cpuprofile|heapprofile))?$/.exec(req.params.name);
      if (!m) return res.status(404).json({ error: 'no such profile' });
      await admin(req);
      const id = Number(m[1]);
      const ext = m[2];
      res.setHeader('cache-control', 'no-store');
      if (ext) {
        const row = await loadProfileData(database, id);
        if (!row) return res.status(404).json({ error: `no profile ${id}` });
        const want = row.kind === 'HEAP' ? 'heapprofile' : 'cpuprofile';
        if (ext !== want) return res.status(404).json({ error: `profile ${id} is a ${row.kind} profile: GET /profiles/${id}.${want}` });
        // 409 while it may still come (a busy process storing it late); 410 once it never will.
        if (row.status === 'failed') return res.status(410).json({ error: `profile ${id} failed and will not appear: capture another` });
        if (row.status !== 'done' || row.data === null) return res.status(409).json({ error: `profile ${id} is ${row.status}, not done yet` });
        res.setHeader('content-type', 'application/json');
        res.setHeader('content-disposition', `attachment; filename="astroarchive-${id}.${ext}"`);
        return res.send(row.data);
      }
      const meta = await loadProfile(database, id);
      const data = await loadProfileData(database, id);
      if (!meta || !data) return res.status(404).json({ error: `no profile ${id}` });
      const token = typeof req.query.token === 'string' ? req.query.token : undefined;
      const parsed = data.status === 'done' && data.data ? (JSON.parse(data.data) as CpuProfile | HeapProfile) : null;
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.setHeader('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:");
      return res.send(renderFlameGraphPage(meta, parsed, token));
    } catch (err) {
      if (err instanceof ArchiveError) return res.status(STATUS[err.code]).json({ error: err.message });
      next(err);
    }
  });
  return router;
}
