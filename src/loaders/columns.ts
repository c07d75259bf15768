/**
 * SELECT lists that give raw SQL rows drizzle's camelCase shape (`release_id AS "releaseId"`),
 * derived from the drizzle tables so a new column can't be forgotten here. The loaders write
 * plain SQL because `= ANY($1)` and `unnest(...) CROSS JOIN LATERAL` batches are one statement
 * each, which is the point of them; pg's type parsers already give Dates, numbers and JSON.
 */
import { getTableColumns, getTableName, type Table } from 'drizzle-orm';

const cache = new Map<string, string>();

/** `alias."col" AS "prop", ...` for every column of `table`. */
export function selectList(table: Table, alias: string): string {
  const key = `${getTableName(table)}:${alias}`;
  let list = cache.get(key);
  if (list === undefined) {
    list = Object.entries(getTableColumns(table))
      .map(([prop, col]) => `${alias}."${col.name}" AS "${prop}"`)
      .join(', ');
    cache.set(key, list);
  }
  return list;
}
