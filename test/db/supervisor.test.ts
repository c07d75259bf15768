/**
 * The embedded server's supervisor: each unexpected exit gets a bounded number of restart
 * attempts with growing delays, each attempt logged; when all fail, it gives up once, and a
 * stop ends the watching (no restart after a shutdown's stop). The real server is killed in
 * test/safety/database-restart.test.ts; here the server is a stand-in, to count attempts.
 */
import { describe, expect, it } from 'vitest';
import { superviseEmbedded } from '../../src/db/supervisor.js';
import { waitFor } from '../helpers/processes.js';

function fakeServer(failures: number) {
  let exit: ((how: string) => void) | undefined;
  const server = {
    restarts: 0,
    exited: () => new Promise<string>((resolve) => (exit = resolve)),
    restart: async () => {
      server.restarts++;
      if (server.restarts <= failures) throw new Error(`FATAL: pre-existing shared memory block is still in use (${server.restarts})`);
    },
    kill: () => exit?.('signal SIGKILL'),
  };
  return server;
}

function recordingLog() {
  const lines: Array<{ level: string; msg: string; fields: Record<string, unknown> }> = [];
  const at = (level: string) => (fields: object, msg: string) => void lines.push({ level, msg, fields: fields as Record<string, unknown> });
  return { lines, log: { info: at('info'), warn: at('warn'), error: at('error') } };
}

const policy = { attempts: 4, firstDelayMs: 5, maxDelayMs: 20 };

describe('embedded server supervisor', () => {
  it('restarts after failed attempts, logging each, and watches the new server', async () => {
    const server = fakeServer(2);
    const { lines, log } = recordingLog();
    const supervisor = superviseEmbedded(server, { log, policy, onGiveUp: () => expect.fail('gave up') });
    server.kill();
    await waitFor(async () => (lines.some((l) => l.msg === 'embedded PostgreSQL restarted') ? true : undefined), 5000, 5, 'the restart');
    expect(lines.map((l) => [l.level, l.msg, l.fields.attempt])).toEqual([
      ['warn', 'embedded PostgreSQL exited unexpectedly; restarting it', undefined],
      ['warn', 'embedded PostgreSQL restart failed', 1],
      ['warn', 'embedded PostgreSQL restart failed', 2],
      ['info', 'embedded PostgreSQL restarted', 3],
    ]);
    expect(lines[1].fields.reason).toContain('shared memory block');
    // The restarted server is watched too.
    server.kill();
    await waitFor(async () => (server.restarts === 4 ? true : undefined), 5000, 5, 'the second restart');
    supervisor.stop();
  });

  it('gives up after the bounded number of attempts and says why', async () => {
    const server = fakeServer(Infinity);
    const { lines, log } = recordingLog();
    const givenUp: Error[] = [];
    superviseEmbedded(server, { log, policy, onGiveUp: (err) => givenUp.push(err) });
    server.kill();
    await waitFor(async () => (givenUp.length ? true : undefined), 5000, 5, 'giving up');
    expect(server.restarts).toBe(policy.attempts);
    expect(givenUp[0].message).toMatch(/could not be restarted after 4 attempts: FATAL: pre-existing shared memory/);
    expect(lines.filter((l) => l.msg === 'embedded PostgreSQL restart failed')).toHaveLength(4);
    expect(lines.at(-1)?.level).toBe('error');
  });

  it('a stop ends the watching, also during a restart’s backoff, and nothing is restarted after it', async () => {
    const idle = fakeServer(0);
    const quiet = recordingLog();
    await superviseEmbedded(idle, { log: quiet.log, policy }).stop();
    idle.kill();
    expect(idle.restarts).toBe(0);
    expect(quiet.lines).toEqual([]);

    const dying = fakeServer(0);
    const { lines, log } = recordingLog();
    const supervisor = superviseEmbedded(dying, { log, policy: { ...policy, firstDelayMs: 60_000 } });
    dying.kill();
    await waitFor(async () => (lines.length ? true : undefined), 5000, 5, 'the exit to be noticed');
    await supervisor.stop(); // resolves at once: the minute-long backoff is cut short
    expect(dying.restarts).toBe(0);
  });
});
