/**
 * One FETCH whose rows are taken as the protocol parser hands them over: each row is the
 * DataRow message's own array of text values (or null), with no second array per row, no
 * type-parser call per value and no 'row' event, which is most of what node-postgres spends
 * per row beyond reading the socket. It is a Submittable, node-postgres' public interface for
 * custom queries (the one pg-cursor and pg-query-stream are built on); the simple query
 * protocol is enough for FETCH (no parameters).
 */
import type pg from 'pg';
import type { RowBudget } from './row-budget.js';

export interface FetchedBatch {
  fields: { name: string; dataTypeID: number }[];
  rows: (string | null)[][];
}

interface Connection {
  query(text: string): void;
  sendCopyFail(message: string): void;
}

class FetchBatch implements FetchedBatch {
  fields: { name: string; dataTypeID: number }[] = [];
  rows: (string | null)[][] = [];
  readonly done: Promise<FetchedBatch>;
  private resolve!: (b: FetchedBatch) => void;
  private reject!: (err: Error) => void;
  private failed = false;

  constructor(
    readonly text: string,
    private readonly budget?: RowBudget,
  ) {
    this.done = new Promise<FetchedBatch>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }
  submit(connection: Connection): void {
    connection.query(this.text);
  }
  handleRowDescription(msg: { fields: { name: string; dataTypeID: number }[] }): void {
    this.fields = msg.fields;
  }
  handleDataRow(msg: { fields: (string | null)[] }): void {
    if (!this.budget || this.budget.take(msg.fields)) this.rows.push(msg.fields);
  }
  handleCommandComplete(): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}
  handleCopyInResponse(connection: Connection): void {
    connection.sendCopyFail('not a COPY');
  }
  handleCopyData(): void {}
  handleError(err: Error): void {
    this.failed = true;
    // Past the budget, the statement was cancelled on purpose: say why, not "canceled".
    this.reject(this.budget?.exceeded ? this.budget.error() : err);
  }
  handleReadyForQuery(): void {
    if (this.failed) return;
    if (this.budget?.exceeded) this.reject(this.budget.error());
    else this.resolve(this);
  }
}

/**
 * `FETCH n FROM cursor` on the client; the promise settles when the server is ready again.
 * With a budget, rows past it are dropped and the promise rejects with its error.
 */
export function fetchBatch(client: pg.ClientBase, cursor: string, n: number, budget?: RowBudget): Promise<FetchedBatch> {
  const q = new FetchBatch(`FETCH ${n} FROM ${cursor}`, budget);
  client.query(q as unknown as pg.QueryConfig);
  return q.done;
}
