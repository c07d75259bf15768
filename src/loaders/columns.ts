/**
 * SELECT lists that give raw SQL rows drizzle's camelCase shape (`release_id AS "releaseId"`),
 * derived from the drizzle tables so a new column can't be forgotten here. The loaders write
 * plain SQL because `= ANY($1)` and `unnest(...) CROSS JOIN LATERAL` batches are one statement
 * each, which is the point of them; pg's type parsers already give Dates, numbers and JSON.
 */
import { getTableColumns, getTableName, type Table } from 'drizzle-orm';

const cache = new Map<string, string>();

/** `alias."col" AS "prop", ...` for every column of `table`, or for the properties `only`. */
export function selectList(table: Table, alias: string, only?: readonly string[]): string {
  const key = `${getTableName(table)}:${alias}:${only?.join(',') ?? '*'}`;
  let list = cache.get(key);
  if (list === undefined) {
    const columns = Object.entries(getTableColumns(table));
    for (const prop of only ?? []) if (!columns.some(([p]) => p === prop)) throw new Error(`${getTableName(table)} has no column ${prop}`);
    list = columns
      .filter(([prop]) => !only || only.includes(prop))
      .map(([prop, col]) => `${alias}."${col.name}" AS "${prop}"`)
      .join(', ');
    // Column subsets follow the operations clients send (./narrow.ts): keep the cache bounded.
    if (cache.size >= 1000) cache.clear();
    cache.set(key, list);
  }
  return list;
}
