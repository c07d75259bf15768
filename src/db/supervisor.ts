/**
 * Keeps the embedded PostgreSQL running: when its postmaster exits without being asked to
 * (killed, out of memory, crashed), start it again on the same data directory and port, with a
 * bounded number of attempts and a growing delay between them, logging each one. The first
 * attempts after a `kill -9` usually fail: the dead postmaster's backends still hold its
 * shared memory until they notice it is gone, and PostgreSQL refuses to start until then.
 *
 * Clients need nothing from here: the pool opens new connections on its next checkout, and
 * the worker restarts its own job runner (src/worker/supervise.ts). When every attempt fails,
 * `onGiveUp` is told, so the process can exit and let whatever runs it decide.
 */
import type { EmbeddedDatabase } from './embedded.js';
import { interruptiblePause } from '../util/interruptible-pause.js';

export interface RestartPolicy {
  /** Attempts per outage before giving up. */
  attempts: number;
  /** Delay before the first attempt; doubled after each failure up to `maxDelayMs`. */
  firstDelayMs: number;
  maxDelayMs: number;
}

/** ~40 s of attempts in all: enough for a killed server's backends to go and for crash recovery. */
export const DEFAULT_RESTART_POLICY: RestartPolicy = { attempts: 10, firstDelayMs: 250, maxDelayMs: 5000 };

export interface SupervisorLog {
  warn(fields: object, msg: string): void;
  info(fields: object, msg: string): void;
  error(fields: object, msg: string): void;
}

export interface EmbeddedSupervisor {
  /** Stop watching; resolves once a restart under way has ended (the caller stops the server next). */
  stop(): Promise<void>;
}

export function superviseEmbedded(
  server: Pick<EmbeddedDatabase, 'exited' | 'restart'>,
  opts: { log: SupervisorLog; onGiveUp?: (err: Error) => void; policy?: RestartPolicy },
): EmbeddedSupervisor {
  const policy = opts.policy ?? DEFAULT_RESTART_POLICY;
  const { log } = opts;
  let stopped = false;
  const { pause, wake } = interruptiblePause();
  let stopWatching = () => {};

  const restart = async (): Promise<boolean> => {
    let delay = policy.firstDelayMs;
    let last: Error | undefined;
    for (let attempt = 1; attempt <= policy.attempts; attempt++) {
      await pause(delay);
      if (stopped) return false;
      const startedAt = Date.now();
      try {
        await server.restart();
        log.info({ attempt, ms: Date.now() - startedAt }, 'embedded PostgreSQL restarted');
        return true;
      } catch (err) {
        if (stopped) return false;
        last = err as Error;
        delay = Math.min(policy.maxDelayMs, delay * 2);
        // The server's own last lines say why (usually: the old backends still hold its memory).
        const reason = last.message.split('\n').filter(Boolean).slice(-2).join(' | ');
        log.warn({ attempt, of: policy.attempts, retryInMs: attempt < policy.attempts ? delay : null, reason }, 'embedded PostgreSQL restart failed');
      }
    }
    const err = new Error(`embedded PostgreSQL could not be restarted after ${policy.attempts} attempts: ${last?.message ?? 'unknown'}`);
    log.error({ err: err.message }, 'giving up on the embedded PostgreSQL');
    opts.onGiveUp?.(err);
    return false;
  };

  const watching = (async () => {
    for (;;) {
      const how = await Promise.race([server.exited(), new Promise<undefined>((r) => (stopWatching = () => r(undefined)))]);
      if (stopped || how === undefined) return;
      log.warn({ exit: how }, 'embedded PostgreSQL exited unexpectedly; restarting it');
      if (!(await restart())) return;
    }
  })();

  return {
    async stop() {
      stopped = true;
      wake();
      stopWatching();
      await watching;
    },
  };
}
