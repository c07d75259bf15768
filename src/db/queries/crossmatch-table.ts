/**
 * Cross-match of a loaded catalogue table, a page of its rows at a time: the next `limit` rows
 * after `after` (keyset on `_row`), then their positions matched in one statement
 * (crossmatch.ts) against the records or another table. Two statements a page whatever its
 * size; a whole table is matched by following the pages, in constant memory.
 *
 * Rows without a usable position (NULL, dec outside [-90, 90]) are passed over: they match
 * nothing, and the page still moves past them.
 */
import type pg from 'pg';
import { quoteIdent } from '../../catalogue/names.js';
import { crossmatch, type CrossmatchOptions, type CrossmatchTable } from './crossmatch.js';

export interface CrossmatchPair {
  /** The row's `_row` in the source table. */
  row: number;
  ra: number;
  dec: number;
  /** The record's id, or the other table's `_row`. */
  matchId: number;
  matchRa: number;
  matchDec: number;
  distanceArcsec: number;
}

export interface CrossmatchPage {
  pairs: CrossmatchPair[];
  /** The last `_row` this page examined (the next page starts after it); null when none. */
  lastRow: number | null;
  hasMore: boolean;
}

export async function crossmatchTablePage(
  pool: pg.Pool,
  source: CrossmatchTable,
  after: number,
  limit: number,
  options: CrossmatchOptions,
): Promise<CrossmatchPage> {
  const { rows } = await pool.query(
    `SELECT _row, ${quoteIdent(source.raColumn)}::float8 AS ra, ${quoteIdent(source.decColumn)}::float8 AS dec
     FROM ${quoteIdent(source.schema)}.${quoteIdent(source.table)} WHERE _row > $1 ORDER BY _row LIMIT $2`,
    [after, limit + 1],
  );
  const page = rows.slice(0, limit);
  const usable = page.filter((r) => r.ra !== null && r.dec !== null && Number.isFinite(r.ra) && r.dec >= -90 && r.dec <= 90);
  const matches = usable.length ? await crossmatch(pool, usable.map((r) => r.ra), usable.map((r) => r.dec), options) : [];
  return {
    pairs: matches.map((m) => {
      const r = usable[m.index];
      return { row: Number(r._row), ra: r.ra, dec: r.dec, matchId: m.recordId, matchRa: m.ra, matchDec: m.dec, distanceArcsec: m.distanceArcsec };
    }),
    lastRow: page.length ? Number(page[page.length - 1]._row) : null,
    hasMore: rows.length > limit,
  };
}
