/**
 * The parameters of a TAP request: the query string and, for a POST, the form-encoded body,
 * together (DALI 1.1 §3.1: names case-insensitive, values case-sensitive, read by the simple
 * services' ServiceParams). The standard TAP ones (REQUEST, LANG, QUERY, MAXREC,
 * RESPONSEFORMAT/FORMAT) are checked here, with messages that say what to send instead.
 */
import type express from 'express';
import type { TapLimits } from '../../config.js';
import { VoUsageError } from '../errors.js';
import { ParamError, parseMaxrec, ServiceParams } from '../services/params.js';

/** The most a POST body may carry: an ADQL query is text, not an upload. */
export const MAX_BODY_BYTES = 1024 * 1024;

const FORM = 'application/x-www-form-urlencoded';

/** Query string and form body as one parameter list. Bodies of other types are refused (this service takes no uploads). */
export async function readParams(req: express.Request): Promise<ServiceParams> {
  const records = await readParamRecords(req);
  return usage(() => ServiceParams.from(...records));
}

/** The query string's parameters and the form body's, as given (names as the client wrote them). */
export async function readParamRecords(req: express.Request): Promise<Record<string, string[]>[]> {
  const q = req.originalUrl.indexOf('?');
  const query = q >= 0 ? record(new URLSearchParams(req.originalUrl.slice(q + 1))) : {};
  if (req.method !== 'POST') return [query];
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (type === FORM) return [query, record(new URLSearchParams(await readBody(req)))];
  if (type !== '' || Number(req.headers['content-length'] ?? 0) > 0) {
    throw new VoUsageError(`POST parameters must be sent as ${FORM} (this service takes no uploads); got ${JSON.stringify(type)}`);
  }
  return [query];
}

function record(search: URLSearchParams): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, value] of search) {
    // PostgreSQL's text (and a job's stored parameters) cannot hold U+0000.
    if (value.includes('\u0000') || name.includes('\u0000')) throw new VoUsageError(`parameter ${JSON.stringify(name.replace(/\u0000/g, ''))} contains a NUL character (U+0000), which no parameter may hold`);
    (out[name] ??= []).push(value);
  }
  return out;
}

async function readBody(req: express.Request): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new VoUsageError(`the request body is larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** ServiceParams' ParamError as the TAP layer's usage error (HTTP 400 with a VOTable). */
export function usage<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof ParamError) throw new VoUsageError(err.message);
    throw err;
  }
}

/** REQUEST is optional in TAP 1.1; when given it must be doQuery (capabilities and tables are VOSI resources). */
export function checkRequest(params: ServiceParams): void {
  const request = usage(() => params.one('REQUEST'));
  if (request !== undefined && request !== 'doQuery') {
    throw new VoUsageError(`REQUEST=${request} is not supported: use REQUEST=doQuery (or leave it out); capabilities and tables are at /tap/capabilities and /tap/tables`);
  }
}

/** LANG must name ADQL (2.0, or 2.1 which clients send for the same queries); absent: ADQL. */
export function checkLang(params: ServiceParams): void {
  const lang = usage(() => params.one('LANG'));
  if (lang === undefined) throw new VoUsageError('LANG is missing: send LANG=ADQL');
  if (!/^ADQL(-2\.[01])?$/.test(lang)) throw new VoUsageError(`LANG=${lang} is not supported: this service speaks LANG=ADQL (ADQL-2.0)`);
}

export function queryText(params: ServiceParams): string {
  const query = usage(() => params.one('QUERY'));
  if (query === undefined) throw new VoUsageError('QUERY is missing: send QUERY=<ADQL>, e.g. QUERY=SELECT TOP 10 * FROM ivoa.obscore');
  return query;
}

/** MAXREC: the default when absent, at most the service's ceiling (TAP 1.1 §2.7.4: a larger ask gets the ceiling). */
export function maxrecOf(params: ServiceParams, limits: TapLimits): number {
  return usage(() => parseMaxrec(params.one('MAXREC'), limits.maxrecDefault, limits.maxrecLimit));
}

/** RESPONSEFORMAT, or FORMAT (its older name); undefined: VOTable. */
export function formatParam(params: ServiceParams): string | undefined {
  return usage(() => params.one('RESPONSEFORMAT') ?? params.one('FORMAT'));
}
