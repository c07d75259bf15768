/**
 * A query result streamed out as a VOTable (or CSV/TSV) without ever holding the result: a
 * NO SCROLL cursor in the caller's transaction, FETCHed in batches, each batch encoded and
 * written before the next is taken (the next FETCH is already on its way while a batch is
 * encoded, so PostgreSQL and Node work at the same time), honouring the output's backpressure.
 * Memory is two batches of rows and one encoded chunk, whatever the row count, and a batch's
 * rows are bounded in bytes too (row-budget.ts: past `maxBatchBytes` the read fails with
 * ResultRowsTooLargeError); once rows are seen to be wide, FETCHes ask for fewer of them.
 *
 * Values stay PostgreSQL's text (fetch-batch.ts takes the protocol's rows as they are): int8
 * exact, float8 in PostgreSQL's shortest round-trip form (extra_float_digits=1), timestamps in
 * UTC ISO form (TimeZone=UTC, DateStyle=ISO), no Date objects or BigInts per cell. The
 * process-wide pg type parsers (src/db/pool.ts turns int8 into a Number) do not apply.
 *
 * MAXREC: at most maxrec+1 rows are fetched; the extra row only proves the overflow. A failure
 * before the first rows (bad SQL, a timeout before any row) is thrown as it is, with nothing
 * written, so the caller can answer with an error status and document. A failure after the
 * head was written (a statement timeout during a later FETCH) can only be told in the document:
 * the VOTable ends with a QUERY_STATUS=ERROR INFO after the TABLE (DALI 1.1 §4.4.2) and
 * StreamedQueryError is thrown; CSV and TSV just stop (they have no way to say it).
 */
import pg from 'pg';
import { cancelBackend } from '../db/cancel.js';
import { fetchBatch, type FetchedBatch } from './fetch-batch.js';
import { RowBudget } from './row-budget.js';
import { createTableEncoder } from './votable/encoder.js';
import { voFieldForPgType, type VoField } from './votable/fields.js';
import type { OutputFormat } from './votable/format.js';
import { BUILTIN_TYPNAMES } from './votable/pg-types.js';

/**
 * Rows per FETCH. Measured on 300k ObsCore-like rows (10 columns, node CPU per row, two runs):
 * 1,000: 2.2-3.3 us, 2,000: 2.3-2.8 us, 5,000: 2.7-3.1 us; bigger batches outlive V8's young
 * generation and cost collections. 2,000 such rows are ~1 MB of strings.
 */
export const DEFAULT_BATCH_ROWS = 2000;

/**
 * Characters of row values one read may hold (ARCHIVE_TAP_MAX_BATCH_BYTES): 2,000 rows of 32 KB.
 * Two reads are in memory at once, and their encoded chunk: six streams of such rows at once (the
 * session bound) peaked at 3.5 GB of RSS with 128 MiB, under the 4 GB heap but not by much.
 */
export const DEFAULT_BATCH_BYTES = 64 * 2 ** 20;

/**
 * Characters a value is taken to have when a result's width is known only by its column count
 * (a double as text is at most 24): the first read of a 3,000-column table asks for
 * 64 MiB / (2 x 3,000 x 32) = 349 rows instead of 2,000 (~55 KB a row as text, 110 MB).
 */
const VALUE_CHARS = 32;

export interface StreamQueryOptions {
  format: OutputFormat;
  maxrec: number;
  out: NodeJS.WritableStream;
  /** Aborted when the client went away: stop after the batch in hand, CLOSE the cursor. */
  signal?: AbortSignal;
  describe?: (cols: { name: string; typname: string }[]) => VoField[];
  infos?: { name: string; value: string }[];
  tableName?: string;
  batchRows?: number;
  /** Bytes (characters) of rows one read may hold; DEFAULT_BATCH_BYTES when unset. */
  maxBatchBytes?: number;
  /** The result's column count, when the caller knows it: wide results are read fewer rows at a time from the start. */
  columns?: number;
  /** Bytes the document may have; past them it ends with an error (ResultLimitError). */
  maxOutputBytes?: number;
  /** Date.now() after which no further batch is read: the document ends with an error. */
  deadline?: number;
  /**
   * The SQL's own LIMIT, when it has one (the ADQL translator's min(TOP, MAXREC+1), the cone
   * services' MAXREC+1): a result that can never exceed one batch is read by one plain query
   * instead of DECLARE + FETCH + CLOSE (two round trips fewer), still bounded by that LIMIT.
   */
  rowLimit?: number;
  /**
   * The caller's transaction already ran STREAM_SESSION_SETTINGS (withTapSession({stream: true})
   * sends them with its BEGIN): not sent again.
   */
  settingsDone?: boolean;
}

/** The output conventions the encoder relies on, whatever the server's or role's settings. */
export const STREAM_SESSION_SETTINGS = ["SET LOCAL TimeZone = 'UTC'", "SET LOCAL DateStyle = 'ISO, YMD'", 'SET LOCAL extra_float_digits = 1'] as const;

/** Every value as PostgreSQL's text, not the process-wide parsers' (int8 as Number, Dates). */
const RAW_TEXT = { getTypeParser: () => (value: string) => value };

export interface StreamQueryResult {
  rows: number;
  overflow: boolean;
  /** The signal fired or the output closed before the end: the document is incomplete. */
  aborted?: boolean;
}

/** The query failed after the document's head was written; `out` got the ending it could. */
export class StreamedQueryError extends Error {
  constructor(
    message: string,
    readonly rows: number,
    override readonly cause: unknown,
  ) {
    super(message);
    this.name = 'StreamedQueryError';
  }
}

/** Characters of rows encoded into one chunk, at most (one row more when a row alone is wider). */
const SLICE_CHARS = 4 * 2 ** 20;

/** The end of the slice of rows from `start` that holds about SLICE_CHARS characters (one row at least). */
function sliceEnd(rows: readonly (readonly (string | null)[])[], start: number): number {
  let chars = 0;
  let i = start;
  while (i < rows.length && (i === start || chars < SLICE_CHARS)) {
    for (const v of rows[i]) if (v !== null) chars += v.length;
    i++;
  }
  return i;
}

/** The result went past a limit of the service (its size, its time) while it was written. */
export class ResultLimitError extends Error {
  override name = 'ResultLimitError';
}

let cursorSeq = 0;

export async function streamQuery(
  client: pg.PoolClient,
  q: { sql: string; params: unknown[] },
  o: StreamQueryOptions,
): Promise<StreamQueryResult> {
  const cursor = `vo_stream_${++cursorSeq}`;
  const started = Date.now();
  const maxBytes = o.maxBatchBytes ?? DEFAULT_BATCH_BYTES;
  const byWidth = o.columns ? Math.max(1, Math.floor(maxBytes / (2 * o.columns * VALUE_CHARS))) : Infinity;
  const batch = Math.max(1, Math.min(o.batchRows ?? DEFAULT_BATCH_ROWS, byWidth));
  const maxrec = Math.max(0, Math.floor(o.maxrec));
  // One plain query when the SQL's LIMIT (or MAXREC+1) fits in one batch: no cursor then.
  const single = o.rowLimit !== undefined && o.rowLimit <= batch;

  // Past a read's budget its statement is cancelled: PostgreSQL stops producing rows nobody keeps.
  const budget = () => new RowBudget(maxBytes, () => cancelBackend(client as unknown as pg.Client));
  /** The widest row seen so far: later reads ask for as many rows as half the budget holds. */
  let widest = 0;
  let requested = 0;
  const fetch = () => {
    const fit = widest > 0 ? Math.max(1, Math.floor(maxBytes / (2 * widest))) : batch;
    const n = Math.min(batch, fit, maxrec + 1 - requested);
    if (n <= 0) return undefined;
    requested += n;
    const b = budget();
    const p = fetchBatch(client, cursor, n, b).then((r) => {
      widest = Math.max(widest, b.largestRow);
      return r;
    });
    p.catch(() => {}); // awaited below; a rejection while we wait for 'drain' is not unhandled
    return { n, p };
  };

  const out = o.out;
  let written = 0;
  /** Writes a chunk within the result's byte limit. */
  const emit = (chunk: string | Buffer): Promise<boolean> => {
    written += chunk.length;
    if (o.maxOutputBytes !== undefined && written > o.maxOutputBytes) {
      throw new ResultLimitError(`the result went past ${o.maxOutputBytes.toLocaleString('en-US')} bytes (ARCHIVE_TAP_MAX_RESULT_BYTES) after ${sent.toLocaleString('en-US')} rows and was stopped; ask for fewer rows (TOP, MAXREC) or columns`);
    }
    // A reader too slow to take a chunk before the deadline is given up on, as one that left.
    return write(out, chunk, o.signal, o.deadline);
  };
  /** The client went away (signal, or the output closed). */
  const gone = () => Boolean(o.signal?.aborted || (out as { destroyed?: boolean }).destroyed);
  let sent = 0;
  let pending: ReturnType<typeof fetch>;
  /**
   * Stop for a client that went away: let the FETCH in flight end and close the cursor. A
   * caller may cancel the running statement when its signal fires (src/vo/tap/run-query.ts
   * does), so a cancelled FETCH or CLOSE is expected here and is not an error.
   */
  const abandon = async (): Promise<StreamQueryResult> => {
    try {
      if (pending) await pending.p;
      if (!single) await client.query(`CLOSE ${cursor}`);
    } catch {
      // the transaction is failed and the caller rolls it back; nothing more goes out
    }
    return { rows: sent, overflow: false, aborted: true };
  };

  let current: NonNullable<ReturnType<typeof fetch>>;
  let first: FetchedBatch;
  try {
    if (!o.settingsDone) await client.query(STREAM_SESSION_SETTINGS.join('; '));
    if (single) {
      const b = budget();
      first = await queryRows(client, q, b);
      widest = b.largestRow;
      current = { n: Infinity, p: Promise.resolve(first) }; // never followed by a FETCH
    } else {
      await client.query({ text: `DECLARE ${cursor} NO SCROLL CURSOR FOR ${q.sql}`, values: q.params });
      current = fetch()!;
      first = await current.p;
    }
  } catch (err) {
    if (gone()) return { rows: 0, overflow: false, aborted: true };
    throw err; // as it is: nothing has been written
  }
  const fields = await describeColumns(client, first.fields, o.describe);
  const encoder = createTableEncoder({ format: o.format, fields, infos: o.infos, tableName: o.tableName });

  let overflow = maxrec === 0; // DALI 4.3.2: MAXREC=0 answers with metadata and the overflow indicator
  let result: FetchedBatch | undefined = first;
  try {
    if (!(await emit(encoder.head()))) return await abandon();
    while (result) {
      // The next batch is fetched while this one is encoded and written.
      pending = result.rows.length === current.n ? fetch() : undefined;
      let rows = result.rows;
      if (sent + rows.length > maxrec) {
        rows = rows.slice(0, maxrec - sent);
        overflow = true;
      }
      // Encoded a slice at a time when the rows are wide: one encoded chunk of a whole batch
      // could be six times its characters (a `"` is `&quot;` in TABLEDATA), all in memory at once.
      for (let i = 0; i < rows.length; ) {
        const end = rows.length * widest <= SLICE_CHARS ? rows.length : sliceEnd(rows, i);
        if (!(await emit(encoder.encodeRows(i === 0 && end === rows.length ? rows : rows.slice(i, end))))) return await abandon();
        sent += end - i;
        i = end;
      }
      if (!pending) break;
      if (o.deadline !== undefined && Date.now() > o.deadline) {
        throw new ResultLimitError(`the answer took longer than this service's ${Math.round((o.deadline - started) / 1000)} s (ARCHIVE_TAP_SYNC_DURATION_S) and was stopped after ${sent.toLocaleString('en-US')} rows; ask for fewer rows, or use /tap/async`);
      }
      current = pending;
      result = undefined;
      result = await current.p;
    }
    pending = undefined;
    if (!single) await client.query(`CLOSE ${cursor}`);
  } catch (err) {
    if (gone()) return await abandon();
    // A limit stops a FETCH already on its way: it ends first, then the cursor's transaction
    // is the caller's to roll back.
    if (pending) await pending.p.catch(() => undefined);
    const message = err instanceof Error ? err.message : String(err);
    if (o.format === 'votable' || o.format === 'votable-binary2') await write(out, encoder.tail({ status: 'ERROR', message }), o.signal);
    throw new StreamedQueryError(message, sent, err);
  }
  if (!(await write(out, encoder.tail({ status: overflow ? 'OVERFLOW' : 'OK' }), o.signal))) return { rows: sent, overflow, aborted: true };
  return { rows: sent, overflow };
}

/**
 * The one plain query of a small result, its rows counted against the budget as they arrive
 * (node-postgres keeps no rows of its own for a query read through 'row' events). Values are
 * PostgreSQL's text.
 */
export function queryRows(client: pg.PoolClient, q: { sql: string; params: unknown[] }, budget: RowBudget): Promise<FetchedBatch> {
  return new Promise((resolve, reject) => {
    const config: pg.QueryArrayConfig = { text: q.sql, values: q.params, rowMode: 'array', types: RAW_TEXT };
    const query = new pg.Query(config as pg.QueryConfig);
    const rows: (string | null)[][] = [];
    query.on('row', (row: (string | null)[]) => {
      if (budget.take(row)) rows.push(row);
    });
    query.on('error', (err: Error) => reject(budget.exceeded ? budget.error() : err));
    query.on('end', (result: { fields: { name: string; dataTypeID: number }[] }) => (budget.exceeded ? reject(budget.error()) : resolve({ fields: result.fields, rows })));
    client.query(query);
  });
}

/** The cursor's columns → FIELDs (typnames from the built-in table, else one pg_type query). */
async function describeColumns(
  client: pg.PoolClient,
  fields: { name: string; dataTypeID: number }[],
  describe: StreamQueryOptions['describe'],
): Promise<VoField[]> {
  const unknown = [...new Set(fields.map((f) => f.dataTypeID).filter((oid) => BUILTIN_TYPNAMES[oid] === undefined))];
  const names = new Map<number, string>();
  if (unknown.length) {
    const r = await client.query<{ oid: number; typname: string }>('SELECT oid::int AS oid, typname FROM pg_catalog.pg_type WHERE oid = ANY($1::oid[])', [unknown]);
    for (const row of r.rows) names.set(row.oid, row.typname);
  }
  const cols = fields.map((f) => ({ name: f.name, typname: BUILTIN_TYPNAMES[f.dataTypeID] ?? names.get(f.dataTypeID) ?? 'text' }));
  return describe ? describe(cols) : cols.map((c) => voFieldForPgType(c.name, c.typname));
}

/**
 * Writes and, when the stream asks for it, waits for 'drain'. false when the output is gone
 * (closed, errored) or the signal fired: the caller stops.
 */
async function write(out: NodeJS.WritableStream, chunk: string | Buffer, signal: AbortSignal | undefined, until?: number): Promise<boolean> {
  const w = out as NodeJS.WritableStream & { destroyed?: boolean; writableNeedDrain?: boolean };
  if (signal?.aborted || w.destroyed) return false;
  if (chunk.length === 0) return true;
  if (out.write(chunk)) return !signal?.aborted;
  return new Promise<boolean>((resolve) => {
    const done = (ok: boolean) => () => {
      clearTimeout(timer);
      out.off('drain', onDrain);
      out.off('close', onClose);
      out.off('error', onClose);
      signal?.removeEventListener('abort', onClose);
      resolve(ok && !signal?.aborted);
    };
    const onDrain = done(true);
    const onClose = done(false);
    out.on('drain', onDrain);
    out.on('close', onClose);
    out.on('error', onClose);
    signal?.addEventListener('abort', onClose);
    const timer = until === undefined ? undefined : setTimeout(onClose, Math.max(0, until - Date.now()));
  });
}
