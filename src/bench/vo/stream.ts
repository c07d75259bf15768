/**
 * TAP result streaming throughput: N generated rows with ObsCore-like columns (text ids,
 * float8 positions and times, a bigint HEALPix id, a timestamp, NULLs) streamed by streamQuery
 * from a READ ONLY transaction into a sink that only counts bytes (and asks for 'drain' like
 * an HTTP response does), in each format. rows/s is from DECLARE to the tail; memory is the
 * process' RSS and JS heap sampled every 50 ms during the run (PostgreSQL is not included).
 */
import { Writable } from 'node:stream';
import type pg from 'pg';
import { streamQuery } from '../../vo/stream-query.js';
import type { OutputFormat } from '../../vo/votable/format.js';

/** float8 arithmetic only (numeric's would make PostgreSQL, not the streaming, the bottleneck). */
export const STREAM_BENCH_SQL = `
SELECT 'ivo://astroarchive.local/astroarchive?' || i AS obs_publisher_did,
       'gama-' || i AS obs_id,
       CASE WHEN i % 3 = 0 THEN 'spectrum' ELSE 'image' END AS dataproduct_type,
       (i % 4)::int2 AS calib_level,
       (i % 1000003) * 0.00035999::float8 AS s_ra,
       (i % 999983) * 0.00017999::float8 - 90 AS s_dec,
       CASE WHEN i % 10 = 0 THEN NULL ELSE (i % 997) / 3600.0::float8 END AS s_fov,
       59000 + i / 86400.0::float8 AS t_min,
       i::int8 * 2654435761 AS hpx,
       timestamptz '2024-01-01' + i * interval '1 second' AS obs_release_date,
       CASE WHEN i % 7 = 0 THEN NULL ELSE 'GAMA DR4' END AS obs_collection
FROM generate_series(1, $1::int) AS i`;

export interface StreamBenchResult {
  format: OutputFormat;
  rows: number;
  bytes: number;
  seconds: number;
  rowsPerSecond: number;
  peakRssBytes: number;
  peakHeapBytes: number;
}

/** A Writable that counts bytes and otherwise throws them away. */
export function countingSink(): Writable & { bytes: number } {
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      sink.bytes += chunk.length;
      cb();
    },
  }) as Writable & { bytes: number };
  sink.bytes = 0;
  return sink;
}

export async function benchVoStream(
  pool: pg.Pool,
  o: { rows: number; formats?: OutputFormat[]; batchRows?: number; log?: (msg: string) => void },
): Promise<StreamBenchResult[]> {
  const formats = o.formats ?? ['votable-binary2', 'votable'];
  const results: StreamBenchResult[] = [];
  for (const format of formats) {
    const client = await pool.connect();
    const sink = countingSink();
    let peakRss = 0;
    let peakHeap = 0;
    const sample = () => {
      const m = process.memoryUsage();
      peakRss = Math.max(peakRss, m.rss);
      peakHeap = Math.max(peakHeap, m.heapUsed);
    };
    const timer = setInterval(sample, 50);
    const start = process.hrtime.bigint();
    try {
      await client.query('BEGIN READ ONLY');
      const r = await streamQuery(client, { sql: STREAM_BENCH_SQL, params: [o.rows] }, { format, maxrec: o.rows, out: sink, batchRows: o.batchRows });
      await client.query('COMMIT');
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      sample();
      const result = { format, rows: r.rows, bytes: sink.bytes, seconds, rowsPerSecond: r.rows / seconds, peakRssBytes: peakRss, peakHeapBytes: peakHeap };
      o.log?.(`${format}: ${r.rows} rows in ${seconds.toFixed(2)} s = ${Math.round(result.rowsPerSecond)} rows/s, ${(sink.bytes / 1e6).toFixed(0)} MB, peak RSS ${(peakRss / 1e6).toFixed(0)} MB, heap ${(peakHeap / 1e6).toFixed(0)} MB`);
      results.push(result);
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      clearInterval(timer);
      client.release();
    }
  }
  return results;
}
