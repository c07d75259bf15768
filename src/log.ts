/**
 * Structured logs: pino JSON lines on stderr (stdout is for command output such as
 * `ingest --json`). Child loggers carry process, run and job ids. Anything that looks like a
 * credential is redacted by key, so a token can't reach a log line by accident.
 */
import pino from 'pino';

export type Logger = pino.Logger;

const REDACT = [
  'token',
  '*.token',
  'authorization',
  '*.authorization',
  'Authorization',
  '*.Authorization',
  'headers.Authorization',
  'headers.authorization',
  'req.headers.authorization',
  'password',
  '*.password',
  'databaseUrl',
  '*.databaseUrl',
  'adminToken',
  '*.adminToken',
];

export function createLogger(level = process.env.LOG_LEVEL ?? 'info', destination: pino.DestinationStream = pino.destination(2)): Logger {
  return pino({ level, redact: { paths: REDACT, censor: '[redacted]' }, base: { pid: process.pid } }, destination);
}

/** Strip the password from a connection URL before it is shown anywhere. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '[unparseable url]';
  }
}
