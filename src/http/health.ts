/**
 * GET /healthz (200 when `SELECT 1` answers within a few seconds, else 503: load balancers
 * and `npm start` scripts wait on it) and GET /metrics (the process's Prometheus registry).
 */
import express from 'express';
import type { Database } from '../db/client.js';
import { registry } from '../monitor/metrics.js';

const HEALTH_TIMEOUT_MS = 3000;

export function healthRoutes(database: Database): express.Router {
  const router = express.Router();
  router.get('/healthz', async (_req, res) => {
    let timer: NodeJS.Timeout | undefined;
    try {
      // A pool waiting for a dead server can hang far longer than a probe should.
      await Promise.race([
        database.pool.query('SELECT 1'),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error('timed out')), HEALTH_TIMEOUT_MS);
        }),
      ]);
      res.json({ status: 'ok' });
    } catch {
      // The reason (host, port, credentials problem) is for the server log, not the prober.
      res.status(503).json({ status: 'unavailable', error: 'database did not answer' });
    } finally {
      clearTimeout(timer);
    }
  });
  router.get('/metrics', async (_req, res) => {
    res.type(registry.contentType).send(await registry.metrics());
  });
  return router;
}
