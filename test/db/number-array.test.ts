/**
 * Number columns sent as binary arrays (src/db/number-array.ts, the records of an ingest
 * batch) arrive in PostgreSQL as the very values, nulls in place: compared in the server with
 * the same values sent as text, and as doubles' bit patterns.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { FLOAT8, INT4, INT8, numberArrayParam } from '../../src/db/number-array.js';
import { createTestDatabase } from '../helpers/db.js';

let db: Database;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.close());

const doubles = [0, -0, 1.5, -2.5e-300, 5e-324, Number.MAX_VALUE, Math.PI, 3.4e15 + 0.5, 57753.99999999999, Infinity, -Infinity, NaN, null, 0.1 + 0.2];
const bigints = [0, 1, -1, 2 ** 31, -(2 ** 31) - 1, 2 ** 32, 2 ** 32 - 1, 12 * 4 ** 24 - 1, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, null, 4294967297];
const ints = [0, 1, -1, 2 ** 31 - 1, -(2 ** 31), null, 7];

describe('binary number arrays', () => {
  it('float8: every double bit for bit (as float8send gives it back), nulls where they were', async () => {
    const { rows } = await db.pool.query(
      `SELECT n, float8send(v)::text AS bits, v IS NULL AS nul FROM unnest($1::float8[]) WITH ORDINALITY AS u(v, n) ORDER BY n`,
      [numberArrayParam(FLOAT8, doubles)],
    );
    expect(rows.length).toBe(doubles.length);
    rows.forEach((r, i) => {
      const d = doubles[i];
      if (d === null) return expect(r.nul).toBe(true);
      const b = Buffer.alloc(8);
      b.writeDoubleBE(d);
      expect(r.bits, String(d)).toBe(`\\x${b.toString('hex')}`);
    });
  });

  it('int8 and int4: the same values as the text form, negative, past 2^32 and up to 2^53', async () => {
    const { rows } = await db.pool.query(
      `SELECT (SELECT array_agg(v::text ORDER BY n) FROM unnest($1::bigint[]) WITH ORDINALITY AS u(v, n)) AS b8,
              (SELECT array_agg(v::text ORDER BY n) FROM unnest($2::bigint[]) WITH ORDINALITY AS u(v, n)) AS t8,
              (SELECT array_agg(v::text ORDER BY n) FROM unnest($3::int[]) WITH ORDINALITY AS u(v, n)) AS b4,
              (SELECT array_agg(v::text ORDER BY n) FROM unnest($4::int[]) WITH ORDINALITY AS u(v, n)) AS t4`,
      [numberArrayParam(INT8, bigints), bigints, numberArrayParam(INT4, ints), ints],
    );
    expect(rows[0].b8).toEqual(rows[0].t8);
    expect(rows[0].b8).toContain(String(Number.MAX_SAFE_INTEGER));
    expect(rows[0].b4).toEqual(rows[0].t4);
  });

  it('an empty array has the element type; a bigint that is not a safe integer is refused, not rounded', async () => {
    const { rows } = await db.pool.query(`SELECT cardinality($1::float8[]) AS f, cardinality($2::bigint[]) AS b`, [
      numberArrayParam(FLOAT8, []),
      numberArrayParam(INT8, []),
    ]);
    expect(rows[0]).toEqual({ f: 0, b: 0 });
    expect(() => numberArrayParam(INT8, [2 ** 53])).toThrow(RangeError);
    expect(() => numberArrayParam(INT8, [1.5])).toThrow(RangeError);
  });
});
