/**
 * A request's deadline. The HTTP layer aborts the request's signal when its time is up or
 * its client goes away; the signal rides in the request's query scope, where the pool
 * (src/db/pool.ts) refuses the request's new statements and cancels its running one. Nothing
 * is checked per field: once its statements fail, the rest of the execution unwinds on its own.
 *
 * Every field that needed the database then fails with the same RequestStopped error;
 * ./status.ts answers one error for the request instead of hundreds (503). An admin's
 * captureProfile, which bounds its own wait, is the one operation the deadline spares.
 */
import type { ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLContext } from '../context.js';
import { RequestStopped } from './errors.js';

export interface RequestStop {
  /** Aborted after `timeoutMs`, or as soon as the client disconnects. */
  signal: AbortSignal;
  /** Drop the deadline (a disconnect still stops the request): see selfBoundedPlugin. */
  liftDeadline(): void;
}

export function requestStop(res: ServerResponse, timeoutMs: number, startedAt: number): RequestStop {
  const controller = new AbortController();
  const stop = (kind: RequestStopped['kind']) => controller.abort(new RequestStopped(kind, timeoutMs, performance.now() - startedAt));
  const timer = setTimeout(() => stop('timeout'), timeoutMs);
  // 'close' comes after the answer was sent too; only a close before that is a disconnect.
  res.once('close', () => {
    clearTimeout(timer);
    if (!res.writableFinished) stop('disconnect');
  });
  return { signal: controller.signal, liftDeadline: () => clearTimeout(timer) };
}

/**
 * Mutations that bound their own wait and may wait longer than the deadline: captureProfile
 * samples for up to 300 s and waits at most seconds + max(10 s, seconds) for the profile.
 */
const SELF_BOUNDED = new Set(['captureProfile']);

/** An admin's mutation made of self-bounded fields runs without the request deadline. */
export function selfBoundedPlugin(): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, contextValue }) {
          if (operation?.operation !== 'mutation' || contextValue.viewer?.role !== 'admin') return;
          const fields = operation.selectionSet.selections;
          if (fields.every((f) => f.kind === 'Field' && SELF_BOUNDED.has(f.name.value))) contextValue.liftDeadline();
        },
      };
    },
  };
}
