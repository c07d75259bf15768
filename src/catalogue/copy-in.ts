/**
 * `COPY ... FROM STDIN` over a pg client, fed from an async iterable of byte chunks, through
 * pg-copy-streams (the maintained implementation of the COPY sub-protocol for node-postgres).
 *
 * Why a pipeline: it gives backpressure (the producer is not asked for the next chunk until
 * the socket has taken the last one, so memory stays constant whatever the table's size) and
 * error handling in both directions. If the source throws, the pipeline destroys the COPY
 * stream, pg-copy-streams sends CopyFail, the server aborts the COPY (the staging table keeps
 * no rows of it) and the caller gets the source's error; if the server refuses a row, the
 * source is closed and the caller gets the server's error.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFromStdin } from 'pg-copy-streams';

/** Runs `COPY ... FROM STDIN ...` (`sql`) on `client`, sending `chunks`; resolves to the rows copied. */
export async function copyFrom(client: pg.PoolClient | pg.Client, sql: string, chunks: AsyncIterable<Uint8Array>): Promise<number> {
  const copy = client.query(copyFromStdin(sql));
  await pipeline(Readable.from(chunks, { objectMode: false }), copy);
  return Number(copy.rowCount ?? 0);
}
