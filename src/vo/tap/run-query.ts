/**
 * One TAP query, as /tap/sync and the async jobs run it: ADQL parsed and translated against the
 * caller's catalogue (only tables the caller may see exist), then streamed out as the chosen
 * format from a READ ONLY transaction under the caller's database role with a statement
 * timeout (withTapSession). The output columns carry the ADQL metadata (unit, UCD, ...) and the
 * datatype of the value PostgreSQL actually returns, so every value encodes as declared.
 */
import type pg from 'pg';
import { AdqlError, parseAdql, translateAdql } from '../adql/index.js';
import { VoUsageError } from '../errors.js';
import { cancelBackend } from '../../db/cancel.js';
import type { SessionGate } from '../session-gate.js';
import { streamQuery, type StreamQueryResult } from '../stream-query.js';
import { voFieldForPgType, type VoField } from '../votable/fields.js';
import type { OutputFormat } from '../votable/format.js';
import { loadTapCatalogue } from './catalogue.js';
import { withTapSession, type TapViewer } from './session.js';

export interface CompiledQuery {
  sql: string;
  params: unknown[];
  columns: ReturnType<typeof translateAdql>['columns'];
  /** The statement's own outer LIMIT: translateAdql always writes LIMIT min(TOP, maxrec + 1). */
  limit?: number;
}

/** ADQL → one SQL statement for this viewer. A mistake in the query is a VoUsageError that says where. */
export async function compileTapQuery(pool: pg.Pool, viewer: TapViewer, adql: string, maxrec: number): Promise<CompiledQuery> {
  try {
    const ast = parseAdql(adql);
    const catalogue = await loadTapCatalogue(pool, viewer);
    return { ...translateAdql(ast, catalogue, { maxrec }), limit: Math.min(ast.top ?? Infinity, maxrec + 1) };
  } catch (err) {
    if (err instanceof AdqlError) throw new VoUsageError(adqlMessage(err));
    throw err;
  }
}

/** The message with its position, unless it already says it. */
export function adqlMessage(err: AdqlError): string {
  if (err.line === undefined || /\bline \d+/.test(err.message)) return `ADQL: ${err.message}`;
  return `ADQL: ${err.message} (line ${err.line}${err.column === undefined ? '' : `, column ${err.column}`})`;
}

const CANCEL_REPEAT_MS = 250;

export interface RunOptions {
  format: OutputFormat;
  maxrec: number;
  timeoutMs: number;
  out: NodeJS.WritableStream;
  /** Fired when the client went away or the job was aborted: the statement running now is cancelled. */
  signal?: AbortSignal;
  /** The archive's base URL, for ivoa.obscore's access_url and preview. */
  publicBase?: string;
  /** streamQuery's memory, size and time limits (the service's TapLimits). */
  maxBatchBytes?: number;
  maxOutputBytes?: number;
  deadline?: number;
  gate?: SessionGate;
}

export async function runTapQuery(pool: pg.Pool, viewer: TapViewer, q: CompiledQuery, o: RunOptions): Promise<StreamQueryResult> {
  return withTapSession(pool, viewer, { timeoutMs: o.timeoutMs, publicBase: o.publicBase, signal: o.signal, stream: true, gate: o.gate }, async (client) => {
    // streamQuery stops between batches; a statement that runs long (the first FETCH of an
    // aggregate, a sort) is stopped by PostgreSQL's cancel request, sent on its own connection.
    // A cancel reaches only the statement running when it arrives, and the abort may fall
    // between two (after DECLARE, before the FETCH): so it is sent again until streamQuery ends.
    let again: NodeJS.Timeout | undefined;
    const cancel = () => {
      cancelBackend(client);
      again = setInterval(() => cancelBackend(client), CANCEL_REPEAT_MS);
    };
    if (o.signal?.aborted) throw o.signal.reason;
    o.signal?.addEventListener('abort', cancel, { once: true });
    try {
      return await streamQuery(client, { sql: q.sql, params: q.params }, { format: o.format, maxrec: o.maxrec, out: o.out, signal: o.signal, settingsDone: true, rowLimit: q.limit, columns: q.columns.length, maxBatchBytes: o.maxBatchBytes, maxOutputBytes: o.maxOutputBytes, deadline: o.deadline, describe: (cols: { name: string; typname: string }[]) => describe(q, cols) });
    } finally {
      o.signal?.removeEventListener('abort', cancel);
      clearInterval(again);
    }
  });
}

/** The cursor's columns, named and described as the ADQL query's select list says. */
function describe(q: CompiledQuery, cols: { name: string; typname: string }[]): VoField[] {
  return cols.map((col, i) => {
    const meta = q.columns[i];
    if (!meta) return voFieldForPgType(col.name, col.typname);
    // Only what the metadata says: an absent key must not clear what the type implies (a timestamp's xtype).
    const given = Object.entries({ unit: meta.unit, ucd: meta.ucd, utype: meta.utype, xtype: meta.xtype, description: meta.description }).filter(([, v]) => v != null);
    return voFieldForPgType(meta.name, col.typname, Object.fromEntries(given));
  });
}
