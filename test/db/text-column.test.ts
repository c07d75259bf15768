/**
 * Strings sent as a binary text[] parameter arrive in PostgreSQL exactly as written: long,
 * empty, quoted, backslashed and non-ASCII rows, across growth of the buffer, and after
 * concatenation, filtering and a transfer between threads; and arrays of strings with NULLs.
 */
import { MessageChannel, receiveMessageOnPort } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { concatText, emptyTextColumn, pickText, pushText, readText, stringArrayParam, textArrayParam, transferables, type TextColumn } from '../../src/db/text-column.js';
import { createTestDatabase } from '../helpers/db.js';

let db: Database;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.close());

const rows = [
  "SIMPLE  =                    T / conforms\nOBJECT  = 'it''s \"quoted\" \\ here'\nEND",
  '',
  'ångström µm — naïve',
  '{a,b}',
  'NULL',
  'x'.repeat(100_000),
];

const column = (strings: string[]): TextColumn => {
  const c = emptyTextColumn();
  for (const s of strings) pushText(c, s);
  return c;
};

const roundTrip = async (c: TextColumn): Promise<string[]> =>
  (await db.pool.query(`SELECT coalesce(array_agg(t ORDER BY n), '{}') AS a FROM unnest($1::text[]) WITH ORDINALITY AS u(t, n)`, [textArrayParam(c)])).rows[0].a;

describe('binary text[] parameters', () => {
  it('arrive in PostgreSQL row for row, byte for byte', async () => {
    const many = Array.from({ length: 3000 }, (_, i) => `${rows[i % rows.length].slice(0, 500)}#${i}`);
    expect(await roundTrip(column(rows))).toEqual(rows);
    expect(await roundTrip(column(many))).toEqual(many);
    expect(await roundTrip(emptyTextColumn())).toEqual([]);
  });

  it('keep their rows through concatenation, filtering and a transfer', async () => {
    const all = concatText([column(rows.slice(0, 2)), emptyTextColumn(), column(rows.slice(2))]);
    expect(readText(all)).toEqual(rows);
    const keep = rows.map((_r, i) => i % 2 === 0);
    const picked = pickText(all, keep);
    expect(readText(picked)).toEqual(rows.filter((_r, i) => keep[i]));
    expect(await roundTrip(picked)).toEqual(rows.filter((_r, i) => keep[i]));

    const { port1, port2 } = new MessageChannel();
    const sent = column(rows);
    port1.postMessage(sent, transferables(sent));
    expect(sent.bytes.byteLength).toBe(0); // moved, not copied
    const received = receiveMessageOnPort(port2)!.message as TextColumn;
    port1.close();
    expect(await roundTrip(received)).toEqual(rows);
  });

  it('from an array of strings keep their NULLs, empty strings and every byte', async () => {
    const values = [null, ...rows, null, '\uD83D\uDE00 astral', null];
    const sent = async (v: (string | null)[]) =>
      (await db.pool.query(`SELECT coalesce(array_agg(t ORDER BY n), '{}') AS a, count(*) FILTER (WHERE t IS NULL)::int AS nulls FROM unnest($1::text[]) WITH ORDINALITY AS u(t, n)`, [stringArrayParam(v)])).rows[0];
    expect(await sent(values)).toEqual({ a: values, nulls: 3 });
    expect(await sent(rows)).toEqual({ a: rows, nulls: 0 });
    expect(await sent([null])).toEqual({ a: [null], nulls: 1 });
    expect(await sent([])).toEqual({ a: [], nulls: 0 });
  });
});
