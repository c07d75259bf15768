/**
 * The base of the absolute URLs the archive hands out (File.downloadUrl, Record.accessUrl):
 * ARCHIVE_PUBLIC_URL when set (the address users reach, e.g. behind a reverse proxy), else
 * the request's own `Host` (and `X-Forwarded-Host`/`-Proto` only when ARCHIVE_TRUST_PROXY says a
 * proxy sets them: otherwise any client could make the archive write links to its own host).
 * A host that is not a plain host[:port] falls back to the address the server listens on.
 */
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { Config } from '../config.js';

const HOST = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?$/;

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)?.split(',')[0]?.trim();

export function publicBaseUrl(req: IncomingMessage | undefined, config: Config): string {
  if (config.publicUrl) return config.publicUrl;
  const fallbackHost = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host.includes(':') ? `[${config.host}]` : config.host;
  if (!req) return `http://${fallbackHost}:${config.port}`;
  const forwardedProto = config.trustProxy ? first(req.headers['x-forwarded-proto'])?.toLowerCase() : undefined;
  const proto = forwardedProto === 'https' || forwardedProto === 'http' ? forwardedProto : (req.socket as TLSSocket).encrypted ? 'https' : 'http';
  const forwardedHost = config.trustProxy ? first(req.headers['x-forwarded-host']) : undefined;
  const host = [forwardedHost, req.headers.host].find((h) => h !== undefined && HOST.test(h));
  return `${proto}://${host ?? `${fallbackHost}:${config.port}`}`;
}
