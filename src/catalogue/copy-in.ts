/**
 * `COPY ... FROM STDIN` over a pg client, fed from an async iterable of byte chunks.
 *
 * pg-copy-streams does this as a Writable; it is not among the project's dependencies, and
 * the protocol part is small: a pg "submittable" sends the COPY statement, waits for
 * CopyInResponse, then writes each chunk as one CopyData message straight onto the socket
 * (a 5-byte header and the chunk itself: no copy of the chunk), waiting for the socket's
 * 'drain' whenever it is full (backpressure: the producer is not asked for more until the
 * server has taken what was sent), and ends with CopyDone. If the source throws, CopyFail
 * makes the server abort the COPY (the staging table keeps no rows of it) and the source's
 * error is what the caller gets.
 */
import type pg from 'pg';

interface PgConnection {
  stream: NodeJS.WritableStream & { writable: boolean };
  query(text: string): void;
  endCopyFrom(): void;
  sendCopyFail(msg: string): void;
}

class CopyIn {
  private rows = 0;
  private sourceError: Error | null = null;
  private serverError: Error | null = null;
  readonly done: Promise<number>;
  private settle!: { resolve(n: number): void; reject(e: Error): void };
  /** Set by the pg client while the query is active; read by nothing else. */
  callback?: unknown;

  constructor(
    private readonly text: string,
    private readonly chunks: AsyncIterable<Uint8Array>,
  ) {
    this.done = new Promise((resolve, reject) => (this.settle = { resolve, reject }));
  }

  submit(connection: PgConnection): void {
    connection.query(this.text);
  }

  private pumping: Promise<void> = Promise.resolve();

  handleCopyInResponse(connection: PgConnection): void {
    this.pumping = this.pump(connection);
  }

  private async pump(connection: PgConnection): Promise<void> {
    const stream = connection.stream;
    try {
      for await (const chunk of this.chunks) {
        if (this.serverError) break;
        if (!chunk.length) continue;
        const head = Buffer.allocUnsafe(5);
        head[0] = 0x64; // 'd'
        head.writeInt32BE(chunk.length + 4, 1);
        stream.write(head);
        if (!stream.write(chunk)) await new Promise<void>((resolve) => stream.once('drain', resolve));
      }
      connection.endCopyFrom();
    } catch (err) {
      this.sourceError = err as Error;
      connection.sendCopyFail(String((err as Error).message).slice(0, 200));
    }
  }

  handleCommandComplete(msg: { text?: string; command?: string; rowCount?: number }): void {
    this.rows = msg.rowCount ?? Number(/\d+$/.exec(msg.text ?? '')?.[0] ?? 0);
  }

  /**
   * pg hands an error to the query and then forgets it (no ReadyForQuery reaches it): settle
   * here, once the pump has stopped, so nothing of this COPY is written after the caller moves
   * on (the server ignores copy messages that come after the COPY failed).
   */
  handleError(err: Error): void {
    this.serverError = err;
    void this.pumping.then(() => this.settle.reject(this.sourceError ?? err));
  }

  handleReadyForQuery(): void {
    void this.pumping.then(() => (this.serverError ? undefined : this.settle.resolve(this.rows)));
  }

  // pg calls these on other message types; a COPY FROM gets none of them.
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}
  handleCopyData(): void {}
}

/** Runs `COPY ... FROM STDIN ...` (`sql`) on `client`, sending `chunks`; resolves to the rows copied. */
export function copyFrom(client: pg.PoolClient | pg.Client, sql: string, chunks: AsyncIterable<Uint8Array>): Promise<number> {
  const copy = new CopyIn(sql, chunks);
  (client as unknown as { query(q: unknown): unknown }).query(copy);
  return copy.done;
}
