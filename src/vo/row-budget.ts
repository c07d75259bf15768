/**
 * How much row data one read of a streamed result may hold at once. A FETCH (or the one plain
 * query of a small result) hands over all its rows together, so the rows' count alone does not
 * bound memory: ADQL can make every value huge from a tiny query (`CAST(x AS CHAR(10485760))`
 * pads each value to 10 MB; a long `||` chain or a thousand-column select list multiplies a
 * column). Anonymous TAP queries of 600 such rows took the process past its heap limit. Each
 * row is counted as it arrives; past the budget the rows are dropped, the statement is
 * cancelled (`onExceeded`) and the read fails with ResultRowsTooLargeError, a mistake in the
 * request (HTTP 400, or the async job's error), never the process.
 */

/** A read's rows went past the budget: the caller's query makes rows too large to stream. */
export class ResultRowsTooLargeError extends Error {
  readonly code = 'RESULT_ROWS_TOO_LARGE';
  constructor(
    readonly limitBytes: number,
    readonly rows: number,
  ) {
    super(
      `the result's rows are too large: ${rows.toLocaleString('en-US')} rows went past ${limitBytes.toLocaleString('en-US')} bytes held at once ` +
        `(ARCHIVE_TAP_MAX_BATCH_BYTES); select fewer or narrower columns, or fewer rows (TOP, MAXREC). ` +
        `A CAST to CHAR(n) pads every value to n characters.`,
    );
    this.name = 'ResultRowsTooLargeError';
  }
}

export class RowBudget {
  private held = 0;
  private rows = 0;
  /** The largest row so far, in characters (the next read's size is chosen from it). */
  largestRow = 0;
  exceeded = false;

  constructor(
    readonly limitBytes: number,
    private readonly onExceeded: () => void = () => {},
  ) {}

  /** Counts a row (its values' characters, one more each for its framing); false: drop it. */
  take(row: readonly (string | null)[]): boolean {
    if (this.exceeded) return false;
    let size = row.length;
    for (const v of row) if (v !== null) size += v.length;
    if (size > this.largestRow) this.largestRow = size;
    this.held += size;
    this.rows++;
    if (this.held > this.limitBytes) {
      this.exceeded = true;
      this.onExceeded();
      return false;
    }
    return true;
  }

  error(): ResultRowsTooLargeError {
    return new ResultRowsTooLargeError(this.limitBytes, this.rows);
  }
}
