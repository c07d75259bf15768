/**
 * /tap/sync (TAP 1.1 §2.2, §2.7): GET or POST with LANG=ADQL, QUERY, MAXREC, RESPONSEFORMAT;
 * the answer is the result, streamed as PostgreSQL returns it (a cursor, batch by batch, as
 * fast as the client reads). A client that goes away cancels the query. Everything that can be
 * checked before the first byte (parameters, ADQL, unknown tables) is a 400 with a VOTable error
 * document; a failure after that (the statement timeout, the database) is reported inside the
 * VOTable (QUERY_STATUS=ERROR after the rows, DALI §4.4.1) by the stream writer.
 */
import type express from 'express';
import { publicBaseUrl } from '../../http/public-url.js';
import { StreamedQueryError } from '../stream-query.js';
import { contentTypeOf, parseOutputFormat, type OutputFormat } from '../votable/format.js';
import { checkLang, checkRequest, formatParam, maxrecOf, queryText, readParams } from './params.js';
import { describeQueryError } from '../errors.js';
import { compileTapQuery, runTapQuery } from './run-query.js';
import { tapViewerOf, type TapDeps } from './deps.js';

export async function handleSync(deps: TapDeps, req: express.Request, res: express.Response): Promise<void> {
  const viewer = await tapViewerOf(deps.database, req);
  const params = await readParams(req);
  checkRequest(params);
  checkLang(params);
  const adql = queryText(params);
  const maxrec = maxrecOf(params, deps.config.tapLimits);
  const asked = formatParam(params);
  const format = parseOutputFormat(asked);
  const compiled = await compileTapQuery(deps.database.pool, viewer.kind, adql, maxrec);

  const aborted = new AbortController();
  const onClose = () => {
    if (!res.writableFinished) aborted.abort(new Error('the client went away'));
  };
  res.on('close', onClose);
  res.status(200).setHeader('content-type', responseType(asked, format));
  res.setHeader('cache-control', 'no-store');
  const started = Date.now();
  try {
    const r = await runTapQuery(deps.database.pool, viewer.kind, compiled, {
      format,
      maxrec,
      timeoutMs: deps.config.tapLimits.syncTimeoutMs,
      maxBatchBytes: deps.config.tapLimits.maxBatchBytes,
      maxOutputBytes: deps.config.tapLimits.maxResultBytes,
      deadline: started + deps.config.tapLimits.syncDurationS * 1000,
      gate: deps.gate,
      out: res,
      signal: aborted.signal,
      publicBase: publicBaseUrl(req, deps.config),
    });
    // Stopped (the client left, or read too slowly to finish by the deadline): what is still
    // buffered for it goes with the connection.
    if (r.aborted) res.destroy();
    else res.end();
    deps.logger.info({ rows: r.rows, overflow: r.overflow, aborted: r.aborted, ms: Date.now() - started, format, viewer: viewer.kind }, 'tap sync query');
  } catch (err) {
    if (err instanceof StreamedQueryError) {
      // The document already ends with QUERY_STATUS=ERROR and the reason (DALI §4.4.2).
      deps.logger.info({ rows: err.rows, err: err.message, ms: Date.now() - started }, 'tap sync query failed while streaming');
      res.end();
      return;
    }
    throw describeQueryError(err) ?? err;
  } finally {
    res.off('close', onClose);
  }
}

/** DALI 1.1 §3.3.3: a client that asked with a media type gets that type back; otherwise the format's own. */
function responseType(asked: string | undefined, format: OutputFormat): string {
  const raw = asked?.trim() ?? '';
  return /^[a-z]+\/[a-z0-9.+-]+\s*(;.*)?$/i.test(raw) && !raw.toLowerCase().startsWith('votable/') ? raw : contentTypeOf(format);
}
