/** Logs: no credential reaches a line, and LOG_LEVEL decides what is written. */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';

function capture(): { stream: Writable; lines: () => string[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      chunks.push(String(chunk));
      cb();
    },
  });
  return { stream, lines: () => chunks.join('').split('\n').filter(Boolean) };
}

const SECRET = 'aa_sEcReT0123456789abcdefSECRET';

describe('log redaction', () => {
  it('never writes a token, an Authorization header or a password', () => {
    const out = capture();
    const log = createLogger('debug', out.stream).child({ processId: 'p1', runId: 7 });
    log.info({ token: SECRET }, 'top-level token');
    log.info({ headers: { authorization: `Bearer ${SECRET}` } }, 'headers');
    log.info({ req: { headers: { authorization: `Bearer ${SECRET}`, host: 'x' } } }, 'request');
    log.info({ auth: { token: SECRET, password: SECRET } }, 'nested');
    log.info({ config: { adminToken: SECRET, databaseUrl: `postgres://u:${SECRET}@h/db` } }, 'config');
    log.info({ password: SECRET, adminToken: SECRET }, 'password');
    const lines = out.lines();
    expect(lines).toHaveLength(6);
    for (const line of lines) {
      expect(line).not.toContain(SECRET);
      const o = JSON.parse(line);
      expect(o.processId).toBe('p1');
      expect(o.runId).toBe(7);
    }
    expect(lines.join('\n')).toContain('[redacted]');
  });

  // pino's redact paths are case-sensitive: Node lower-cases incoming header names, but a
  // hand-built header object (e.g. fetch options) keeps `Authorization`.
  it('redacts a capitalised Authorization key', () => {
    const out = capture();
    createLogger('info', out.stream).info({ Authorization: `Bearer ${SECRET}` }, 'capitalised header');
    expect(out.lines()[0]).not.toContain(SECRET);
  });
});

describe('LOG_LEVEL', () => {
  it('is read from the environment and filters lines below it', () => {
    expect(loadConfig({ LOG_LEVEL: 'warn' }, '/tmp').logLevel).toBe('warn');
    expect(loadConfig({}, '/tmp').logLevel).toBe('info');
    const out = capture();
    const log = createLogger(loadConfig({ LOG_LEVEL: 'warn' }, '/tmp').logLevel, out.stream);
    log.debug('d');
    log.info('i');
    log.warn('w');
    log.error('e');
    expect(out.lines().map((l) => JSON.parse(l).msg)).toEqual(['w', 'e']);
    const silent = capture();
    createLogger('silent', silent.stream).error('nothing');
    expect(silent.lines()).toEqual([]);
  });
});
