/**
 * streamQuery against a real database (embedded PostgreSQL 18, or DATABASE_URL): values exact
 * whatever the session's settings and the process-wide int8 parser, memory flat in the row
 * count, MAXREC's OVERFLOW (and no more than MAXREC+1 rows ever produced), backpressure, a
 * client that goes away, and errors before and after the first rows.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import v8 from 'node:v8';
import vm from 'node:vm';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { cancelBackend } from '../../src/db/cancel.js';
import { ResultLimitError, streamQuery, StreamedQueryError } from '../../src/vo/stream-query.js';
import { ResultRowsTooLargeError } from '../../src/vo/row-budget.js';
import type { OutputFormat } from '../../src/vo/votable/format.js';
import { createTestDatabase } from '../helpers/db.js';
import { benchVoStream } from '../../src/bench/vo/stream.js';
import { astropyRead, astropyReadFile } from './fixtures/readers.js';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

let database: Database;
let tmp: string;
beforeAll(async () => {
  database = await createTestDatabase();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vo-stream-'));
});
afterAll(async () => {
  await database?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

/** Runs fn on one client inside a transaction (READ ONLY unless told), as the TAP session does. */
async function inTransaction<T>(fn: (c: pg.PoolClient) => Promise<T>, readOnly = true): Promise<T> {
  const client = await database.pool.connect();
  try {
    await client.query(readOnly ? 'BEGIN READ ONLY' : 'BEGIN');
    const r = await fn(client);
    await client.query('ROLLBACK');
    return r;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

/** Collects everything written, as one string. */
function collector(): Writable & { text(): string } {
  const chunks: Buffer[] = [];
  const w = new Writable({
    write(chunk: Buffer, _e, cb) {
      chunks.push(chunk);
      cb();
    },
  }) as Writable & { text(): string };
  w.text = () => Buffer.concat(chunks).toString('utf8');
  return w;
}

async function stream(sql: string, params: unknown[], o: { format?: OutputFormat; maxrec?: number; batchRows?: number } = {}) {
  const out = collector();
  const r = await inTransaction((c) => streamQuery(c, { sql, params }, { format: o.format ?? 'votable-binary2', maxrec: o.maxrec ?? 1_000_000, out, batchRows: o.batchRows }));
  return { ...r, doc: out.text() };
}

const TYPES_SQL = `
SELECT * FROM (VALUES
  ('-32768'::int2, '-2147483648'::int4, '-9223372036854775808'::int8, 'NaN'::float4, 0.1::float8 + 0.2::float8, 1.5::numeric, true,
   'a&b<c> é 🪐'::text, timestamptz '2024-01-02 03:04:05.123456+10', timestamp '2024-01-02 03:04:05', date '2024-01-02',
   '0e9c4b7e-1c2d-4a5b-8c9d-0123456789ab'::uuid, '\\x00ff'::bytea, ARRAY[1,NULL,3]::int4[], ARRAY[1.5,'-Infinity']::float8[], '{"a":1}'::jsonb),
  (32767::int2, 2147483647::int4, 9223372036854775807::int8, '-Infinity'::float4, 5e-324::float8, NULL, false,
   '', timestamptz '1999-12-31 23:59:59+00', NULL, NULL, NULL, '\\x'::bytea, '{}'::int4[], NULL, NULL),
  (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)
) AS t(i2, i4, i8, f4, f8, num, b, t, tz, ts, d, u, by, ai, af, j)`;

describe('streamQuery on a real database', () => {
  it('rowLimit within one batch: one plain query (no cursor) gives the same document, byte for byte, and the same OVERFLOW', async () => {
    const run = (o: { rowLimit?: number; maxrec: number }) =>
      inTransaction(async (c) => {
        const out = collector();
        await c.query("SET LOCAL TimeZone = 'Australia/Sydney'; SET LOCAL extra_float_digits = 0; SET LOCAL DateStyle = 'German'");
        const sent: string[] = [];
        const query = c.query.bind(c);
        (c as { query: unknown }).query = (q: unknown, ...rest: unknown[]) => {
          sent.push(typeof q === 'string' ? q : String((q as { text?: string }).text));
          return (query as (...a: unknown[]) => unknown)(q, ...rest);
        };
        const r = await streamQuery(c, { sql: `${TYPES_SQL} LIMIT ${o.maxrec + 1}`, params: [] }, { format: 'votable-binary2', maxrec: o.maxrec, out, rowLimit: o.rowLimit }).finally(() => {
          delete (c as { query?: unknown }).query; // the prototype's again: the client goes back to the pool as it came
        });
        return { ...r, doc: out.text(), cursor: sent.some((t) => t.startsWith('DECLARE')) };
      });
    for (const maxrec of [10, 2]) {
      const viaCursor = await run({ maxrec });
      const plain = await run({ maxrec, rowLimit: maxrec + 1 });
      expect(viaCursor.cursor).toBe(true);
      expect(plain.cursor).toBe(false);
      expect(plain.doc).toBe(viaCursor.doc);
      expect([plain.rows, plain.overflow]).toEqual([viaCursor.rows, viaCursor.overflow]);
      expect(plain.overflow).toBe(maxrec === 2);
    }
  });

  for (const format of ['votable', 'votable-binary2'] as const) {
    it(`${format}: every type exact through the cursor (int8 extremes despite the pool's int8 parser, shortest float8, UTC timestamps whatever TimeZone)`, async () => {
      const out = collector();
      await inTransaction(async (c) => {
        await c.query("SET LOCAL TimeZone = 'Australia/Sydney'; SET LOCAL extra_float_digits = 0; SET LOCAL DateStyle = 'German'");
        return streamQuery(c, { sql: TYPES_SQL, params: [] }, { format, maxrec: 10, out });
      });
      const t = astropyRead(out.text());
      expect(t.fields.map((f) => `${f.name}:${f.datatype}${f.arraysize ? `[${f.arraysize}]` : ''}${f.xtype ? `/${f.xtype}` : ''}`)).toEqual([
        'i2:short',
        'i4:int',
        'i8:long',
        'f4:float',
        'f8:double',
        'num:double',
        'b:boolean',
        't:unicodeChar[*]',
        'tz:char[*]/timestamp',
        'ts:char[*]/timestamp',
        'd:char[*]/timestamp',
        'u:char[36]',
        'by:unsignedByte[*]',
        'ai:int[*]',
        'af:double[*]',
        'j:unicodeChar[*]',
      ]);
      expect(t.rows[0]).toEqual(['-32768', '-2147483648', '-9223372036854775808', null, '0.30000000000000004', '1.5', true, 'a&b<c> é 🪐', '2024-01-01T17:04:05.123456Z', '2024-01-02T03:04:05', '2024-01-02', '0e9c4b7e-1c2d-4a5b-8c9d-0123456789ab', ['0', '255'], ['1', '0', '3'], ['1.5', '-Inf'], '{"a": 1}']);
      expect(t.rows[1]!.slice(0, 9)).toEqual(['32767', '2147483647', '9223372036854775807', '-Inf', '5e-324', null, false, '', '1999-12-31T23:59:59Z']);
      // astropy reads NULL strings as "" and NULL TABLEDATA arrays as []; the numbers are masked.
      expect(t.rows[2]!.slice(0, 7)).toEqual([null, null, null, null, null, null, null]);
    });
  }

  it('200,000 rows stream with flat memory: retained heap at 200k rows is that of 50k rows', async () => {
    const sql = `SELECT i, 'obs-' || i AS obs_id, i / 7.0::float8 AS x, i::int8 * 1000003 AS big, timestamptz '2024-01-01' + i * interval '1 second' AS at
                 FROM generate_series(1, $1::int) AS i`;
    const run = async (n: number) => {
      const file = path.join(tmp, `stream-${n}.xml`);
      const disk = fs.createWriteStream(file);
      let chunks = 0;
      let peak = 0;
      // Measures the heap that survives a full collection every 20 chunks (what the stream holds on to).
      const out = new Writable({
        write(chunk: Buffer, _e, cb) {
          if (++chunks % 20 === 0) {
            gc();
            peak = Math.max(peak, process.memoryUsage().heapUsed);
          }
          if (disk.write(chunk)) cb();
          else disk.once('drain', () => cb());
        },
        final(cb) {
          disk.end(cb);
        },
      });
      gc();
      const base = process.memoryUsage().heapUsed;
      const r = await inTransaction((c) => streamQuery(c, { sql, params: [n] }, { format: 'votable-binary2', maxrec: 1_000_000, out }));
      await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
      return { ...r, file, growth: peak - base, chunks };
    };
    const small = await run(50_000);
    const large = await run(200_000);
    expect(small.rows).toBe(50_000);
    expect(large.rows).toBe(200_000);
    expect(large.chunks).toBeGreaterThan(90); // 100 batches of 2,000 rows: 5 samples or more
    // Holding the rows would retain tens of MB more at 200k (5 values x 150,000 more rows).
    expect(large.growth, `retained heap growth: 50k ${small.growth} B, 200k ${large.growth} B`).toBeLessThan(small.growth + 8_000_000);
    expect(large.growth).toBeLessThan(24_000_000);
    const t = astropyReadFile(large.file, { ends: true });
    expect(t.nrows).toBe(200_000);
    expect(t.rows[0]!.slice(0, 4)).toEqual(['1', 'obs-1', String(1 / 7), '1000003']);
    expect(t.rows[1]!.slice(0, 4)).toEqual(['200000', 'obs-200000', String(200_000 / 7), String(200_000 * 1000003)]);
    expect(t.rows[1]![4]).toBe('2024-01-03T07:33:20Z');
  }, 240_000);

  it('MAXREC: OVERFLOW after the TABLE when one more row exists, and PostgreSQL never makes more than MAXREC+1 rows', async () => {
    const over = await stream('SELECT i FROM generate_series(1, 200000) AS i', [], { maxrec: 1000, batchRows: 300 });
    expect(over).toMatchObject({ rows: 1000, overflow: true });
    const t = astropyRead(over.doc);
    expect(t.rows).toHaveLength(1000);
    expect(t.infos.map((i) => i[1])).toEqual(['OK', 'OVERFLOW']);
    expect(over.doc.indexOf('value="OVERFLOW"')).toBeGreaterThan(over.doc.indexOf('</TABLE>'));

    const exact = await stream('SELECT i FROM generate_series(1, 1000) AS i', [], { maxrec: 1000, batchRows: 300, format: 'votable' });
    expect(exact).toMatchObject({ rows: 1000, overflow: false });
    expect(astropyRead(exact.doc).infos.map((i) => i[1])).toEqual(['OK']);

    const zero = await stream('SELECT i, i::text AS s FROM generate_series(1, 10) AS i', [], { maxrec: 0 });
    expect(zero).toMatchObject({ rows: 0, overflow: true });
    const z = astropyRead(zero.doc);
    expect(z.fields.map((f) => f.name)).toEqual(['i', 's']);
    expect(z.rows).toEqual([]);

    // A sequence counts the rows the executor produced (read-write transaction for nextval).
    const made = await inTransaction(async (c) => {
      await c.query('CREATE TEMP SEQUENCE made');
      await streamQuery(c, { sql: "SELECT nextval('made') AS n FROM generate_series(1, 100000)", params: [] }, { format: 'csv', maxrec: 10, out: collector(), batchRows: 4 });
      return (await c.query<{ last_value: string }>('SELECT last_value FROM made')).rows[0]!.last_value;
    }, false);
    expect(Number(made)).toBe(11);
  });

  it('waits for drain: a slow reader never has more than about one batch waiting', async () => {
    let maxWaiting = 0;
    let bytes = 0;
    const slow = new Writable({
      highWaterMark: 16 * 1024,
      write(chunk: Buffer, _e, cb) {
        maxWaiting = Math.max(maxWaiting, slow.writableLength);
        bytes += chunk.length;
        setTimeout(cb, 1);
      },
    });
    const r = await inTransaction((c) =>
      streamQuery(c, { sql: "SELECT i, repeat('x', 100) AS pad FROM generate_series(1, 50000) AS i", params: [] }, { format: 'votable', maxrec: 1_000_000, out: slow, batchRows: 500 }),
    );
    expect(r.rows).toBe(50_000);
    expect(bytes).toBeGreaterThan(6_000_000);
    expect(maxWaiting).toBeLessThan(200_000);
  });

  it('a client that goes away (signal or closed output) stops the stream and the cursor is closed', async () => {
    for (const how of ['signal', 'destroy'] as const) {
      const controller = new AbortController();
      let chunks = 0;
      const out = new Writable({
        write(_chunk, _e, cb) {
          if (++chunks === 3) {
            if (how === 'signal') controller.abort();
            else out.destroy();
          }
          cb();
        },
      });
      const { r, cursors, usable } = await inTransaction(async (c) => {
        const r = await streamQuery(c, { sql: 'SELECT i FROM generate_series(1, 10000000) AS i', params: [] }, { format: 'votable-binary2', maxrec: 20_000_000, out, signal: controller.signal, batchRows: 1000 });
        const cursors = (await c.query<{ n: string }>('SELECT count(*) AS n FROM pg_cursors')).rows[0]!.n;
        const usable = (await c.query<{ one: number }>('SELECT 1 AS one')).rows[0]!.one;
        return { r, cursors, usable };
      });
      expect(r.aborted, how).toBe(true);
      expect(r.rows, how).toBeLessThanOrEqual(3000);
      expect(Number(cursors), how).toBe(0);
      expect(usable).toBe(1);
    }
  });

  it('a client that goes away while a slow FETCH runs, the caller cancelling it: aborted, not an error, quickly', async () => {
    const client = await database.pool.connect();
    try {
      await client.query('BEGIN READ ONLY');
      const controller = new AbortController();
      // As src/vo/tap/run-query.ts does: the running statement is cancelled when the signal fires.
      controller.signal.addEventListener('abort', () => cancelBackend(client));
      let writes = 0;
      const out = new Writable({
        write(_chunk, _e, cb) {
          // Gone a little after the first batch, while streamQuery waits for the slow second one.
          if (++writes === 2) setTimeout(() => controller.abort(), 200);
          cb();
        },
      });
      const started = Date.now();
      const r = await streamQuery(
        client,
        { sql: 'SELECT i, pg_sleep(CASE WHEN i = 1500 THEN 60 ELSE 0 END) IS NULL AS slept FROM generate_series(1, 5000) AS i', params: [] },
        { format: 'votable', maxrec: 100_000, out, signal: controller.signal, batchRows: 1000 },
      );
      expect(r).toMatchObject({ aborted: true });
      expect(Date.now() - started).toBeLessThan(30_000);
      await client.query('ROLLBACK');
      expect((await client.query<{ one: number }>('SELECT 1 AS one')).rows[0]!.one).toBe(1);
    } finally {
      client.release();
    }
  });

  it('an error after the first rows (statement timeout) ends the VOTable with QUERY_STATUS=ERROR after the TABLE', async () => {
    for (const format of ['votable', 'votable-binary2'] as const) {
      const out = collector();
      const err = await inTransaction(async (c) => {
        await c.query("SET LOCAL statement_timeout = '300ms'");
        return streamQuery(
          c,
          { sql: 'SELECT i, pg_sleep(CASE WHEN i = 2500 THEN 2 ELSE 0 END) IS NULL AS slept FROM generate_series(1, 5000) AS i', params: [] },
          { format, maxrec: 100_000, out, batchRows: 1000 },
        ).then(
          () => undefined,
          (e: unknown) => e,
        );
      });
      expect(err).toBeInstanceOf(StreamedQueryError);
      expect((err as StreamedQueryError).message).toMatch(/statement timeout/);
      const doc = out.text();
      expect(doc.indexOf('value="ERROR"')).toBeGreaterThan(doc.indexOf('</TABLE>'));
      const t = astropyRead(doc);
      expect(t.infos.map((i) => i[1])).toEqual(['OK', 'ERROR']);
      expect(t.infos[1]![2]).toMatch(/statement timeout/);
      expect(t.rows.length).toBe((err as StreamedQueryError).rows);
      expect(t.rows.length).toBeGreaterThanOrEqual(1000);
      expect(t.rows.length).toBeLessThan(2500);
    }
  });

  it('rows too large for one read: past maxBatchBytes the read fails with ResultRowsTooLargeError (plain query and cursor), nothing written', async () => {
    // 300 rows of 1,000 characters against a budget of 100,000: no read may hold them all.
    const sql = `SELECT g, repeat('x', 1000) AS pad FROM generate_series(1, 300) g`;
    for (const rowLimit of [300, undefined]) {
      const out = collector();
      const err = await inTransaction((c) => streamQuery(c, { sql, params: [] }, { format: 'csv', maxrec: 1000, out, maxBatchBytes: 100_000, rowLimit })).catch((e: Error) => e);
      expect(err, String(rowLimit)).toBeInstanceOf(ResultRowsTooLargeError);
      expect((err as Error).message).toMatch(/rows are too large: [\d,]+ rows went past 100,000 bytes held at once \(ARCHIVE_TAP_MAX_BATCH_BYTES\)/);
      expect(out.text()).toBe('');
    }
    // The same rows fit a budget that holds one read of them.
    const out = collector();
    const ok = await inTransaction((c) => streamQuery(c, { sql, params: [] }, { format: 'csv', maxrec: 1000, out, maxBatchBytes: 400_000 }));
    expect(ok.rows).toBe(300);
  });

  it('reads fewer rows at once once wide rows are seen, so a budget that 100 of the later rows would break holds', async () => {
    // Rows 1-100: 50 characters; from row 101: 90. The first FETCH (100 rows) holds 5,100; a
    // second of 100 rows of 91 would be 9,100, past 8,000: after seeing 51-character rows,
    // the next FETCH asks for 8,000 / (2 x 51) = 78 rows (7,098), then fewer.
    const sql = `SELECT repeat('y', CASE WHEN g <= 100 THEN 49 ELSE 89 END) AS v FROM generate_series(1, 1000) g`;
    const out = collector();
    const r = await inTransaction((c) => streamQuery(c, { sql, params: [] }, { format: 'csv', maxrec: 5000, out, batchRows: 100, maxBatchBytes: 8_000 }));
    expect(r.rows).toBe(1000);
    expect(out.text().trim().split('\n')).toHaveLength(1001);
  });

  it('a result of many columns is read fewer rows at a time from the start, so its first read fits the budget', async () => {
    // 300 columns of up to 4 digits, 3,000 rows: 2,000 of them are ~1.5 MB, past a 1,000,000
    // budget; told the column count, the first read asks for 1,000,000 / (2 x 300 x 32) = 52.
    const sql = `SELECT ${Array.from({ length: 300 }, (_, i) => `g + ${i} AS c${i}`).join(', ')} FROM generate_series(1, 3000) g`;
    const tooMany = await inTransaction((c) => streamQuery(c, { sql, params: [] }, { format: 'csv', maxrec: 5000, out: collector(), maxBatchBytes: 1_000_000 })).catch((e: Error) => e);
    expect(tooMany).toBeInstanceOf(ResultRowsTooLargeError);
    const out = collector();
    const r = await inTransaction((c) => streamQuery(c, { sql, params: [] }, { format: 'csv', maxrec: 5000, out, maxBatchBytes: 1_000_000, columns: 300 }));
    expect(r.rows).toBe(3000);
    expect(out.text().trim().split('\n')).toHaveLength(3001);
  });

  it('wide rows are encoded a slice at a time, and the document is the same: 20 rows of a million quotes (6 MB each as TABLEDATA)', async () => {
    const sql = `SELECT g, repeat('"', 1000000) AS q FROM generate_series(1, 20) g`;
    const out = collector();
    const r = await inTransaction((c) => streamQuery(c, { sql, params: [] }, { format: 'votable', maxrec: 100, out, maxBatchBytes: 100_000_000 }));
    expect(r.rows).toBe(20);
    const text = out.text();
    const cells = [...text.matchAll(/<TR><TD>(\d+)<\/TD><TD>((?:&quot;)*)<\/TD><\/TR>/g)];
    expect(cells.map((m) => Number(m[1]))).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    for (const m of cells) expect(m[2].length).toBe(6_000_000);
  });

  it('a reader that takes nothing until the deadline is given up on: the stream ends aborted, it does not wait for it', async () => {
    // An output that accepts one small chunk, then never drains.
    const stuck = new Writable({ highWaterMark: 16, write: () => {} });
    const t0 = Date.now();
    const r = await inTransaction((c) =>
      streamQuery(c, { sql: `SELECT g, repeat('w', 100) FROM generate_series(1, 50000) g`, params: [] }, { format: 'csv', maxrec: 100_000, out: stuck, batchRows: 1000, deadline: Date.now() + 300 }),
    );
    expect(r.aborted).toBe(true);
    expect(Date.now() - t0).toBeLessThan(10_000);
  });

  it('limits of the answer: past maxOutputBytes, or after the deadline, the VOTable ends with QUERY_STATUS=ERROR saying which', async () => {
    const sql = `SELECT g, repeat('z', 100) AS pad FROM generate_series(1, 5000) g`;
    const big = collector();
    const tooBig = await inTransaction((c) => streamQuery(c, { sql, params: [] }, { format: 'votable', maxrec: 10_000, out: big, batchRows: 500, maxOutputBytes: 100_000 })).catch((e: Error) => e);
    expect(tooBig).toBeInstanceOf(StreamedQueryError);
    expect((tooBig as StreamedQueryError).cause).toBeInstanceOf(ResultLimitError);
    expect(big.text()).toMatch(/<INFO name="QUERY_STATUS" value="ERROR">the result went past 100,000 bytes \(ARCHIVE_TAP_MAX_RESULT_BYTES\)/);
    expect(big.text().length).toBeLessThan(100_000 + 2_000);
    const late = collector();
    const tooLate = await inTransaction((c) => streamQuery(c, { sql, params: [] }, { format: 'votable', maxrec: 10_000, out: late, batchRows: 500, deadline: Date.now() - 1 })).catch((e: Error) => e);
    expect(tooLate).toBeInstanceOf(StreamedQueryError);
    expect(late.text()).toMatch(/ARCHIVE_TAP_SYNC_DURATION_S\) and was stopped after 500 rows/);
  });

  it('an error before any row is thrown as it is, with nothing written', async () => {
    for (const sql of ['SELECT 1 / (i - 1) FROM generate_series(1, 10) AS i', 'SELECT no_such_column FROM generate_series(1, 3)']) {
      const out = collector();
      await expect(inTransaction((c) => streamQuery(c, { sql, params: [] }, { format: 'votable', maxrec: 10, out }))).rejects.toThrow(/division by zero|no_such_column/);
      expect(out.text()).toBe('');
    }
  });

  it('benchVoStream (npm run bench -- --vo) streams the generated ObsCore-like rows in each format', async () => {
    const results = await benchVoStream(database.pool, { rows: 5000, formats: ['votable-binary2', 'votable', 'csv'] });
    expect(results.map((r) => [r.format, r.rows])).toEqual([
      ['votable-binary2', 5000],
      ['votable', 5000],
      ['csv', 5000],
    ]);
    for (const r of results) {
      expect(r.bytes).toBeGreaterThan(5000 * 50);
      expect(r.rowsPerSecond).toBeGreaterThan(0);
      expect(r.peakRssBytes).toBeGreaterThan(0);
    }
  });

  it('describe() gives the FIELDs (names and metadata from the caller), CSV streams too', async () => {
    const out = collector();
    await inTransaction((c) =>
      streamQuery(c, { sql: 'SELECT $1::float8 AS a, $2::text AS b', params: [1.25, 'x,y'] }, {
        format: 'csv',
        maxrec: 10,
        out,
        describe: (cols) => cols.map((col) => ({ name: col.name.toUpperCase(), datatype: col.typname === 'float8' ? 'double' : 'unicodeChar', arraysize: col.typname === 'text' ? '*' : undefined })),
      }),
    );
    expect(out.text()).toBe('A,B\r\n1.25,"x,y"\r\n');
  });
});
