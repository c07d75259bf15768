/**
 * A request's deadline. The HTTP layer aborts the request's signal when its time is up or
 * its client goes away; the signal rides in the request's query scope, where the pool
 * (src/db/pool.ts) refuses the request's new statements and cancels its running one. Nothing
 * is checked per field: once its statements fail, the rest of the execution unwinds on its own.
 *
 * Every field that needed the database then fails with the same RequestStopped error;
 * ./status.ts answers one error for the request instead of hundreds (503).
 */
import type { ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { RequestStopped } from './errors.js';

/** The signal that stops a request after `timeoutMs`, or as soon as its client disconnects. */
export function requestSignal(res: ServerResponse, timeoutMs: number, startedAt: number): AbortSignal {
  const controller = new AbortController();
  const stop = (kind: RequestStopped['kind']) => controller.abort(new RequestStopped(kind, timeoutMs, performance.now() - startedAt));
  const timer = setTimeout(() => stop('timeout'), timeoutMs);
  // 'close' comes after the answer was sent too; only a close before that is a disconnect.
  res.once('close', () => {
    clearTimeout(timer);
    if (!res.writableFinished) stop('disconnect');
  });
  return controller.signal;
}
