/**
 * DataLoader's contract: the batch function returns one result per key, in key order. SQL
 * returns rows in whatever order it likes, so every loader goes through one of these.
 */

/** One row (or null) per key, matched by `keyOf(row)`. */
export function oneByKey<K, R>(keys: readonly K[], rows: readonly R[], keyOf: (row: R) => K): (R | null)[] {
  const byKey = new Map<K, R>();
  for (const row of rows) byKey.set(keyOf(row), row);
  return keys.map((k) => byKey.get(k) ?? null);
}

/** All rows per key (possibly []), keeping the rows' SQL order within each key. */
export function manyByKey<K, R>(keys: readonly K[], rows: readonly R[], keyOf: (row: R) => K): R[][] {
  const byKey = new Map<K, R[]>();
  for (const row of rows) {
    const k = keyOf(row);
    let list = byKey.get(k);
    if (!list) byKey.set(k, (list = []));
    list.push(row);
  }
  return keys.map((k) => byKey.get(k) ?? []);
}
