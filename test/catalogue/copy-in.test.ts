/**
 * copyFrom: binary COPY from an async iterable of chunks. Rows arrive exactly; a source that
 * fails midway aborts the COPY (nothing of it is kept), its error is what the caller gets, and
 * the connection is usable afterwards (it goes back to the pool).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { copyFrom } from '../../src/catalogue/copy-in.js';
import { createTestDatabase } from '../helpers/db.js';

let database: Database;

beforeAll(async () => {
  database = await createTestDatabase();
  await database.pool.query('CREATE TABLE copy_probe (n integer NOT NULL)');
});

afterAll(async () => {
  await database?.close();
});

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');

function header(): Buffer {
  return Buffer.concat([SIGNATURE, Buffer.alloc(8)]); // flags 0, no header extension
}

function rows(from: number, count: number): Buffer {
  const b = Buffer.alloc(count * 10);
  for (let i = 0; i < count; i++) {
    b.writeInt16BE(1, i * 10); // one field
    b.writeInt32BE(4, i * 10 + 2); // of 4 bytes
    b.writeInt32BE(from + i, i * 10 + 6);
  }
  return b;
}

const TRAILER = Buffer.from([0xff, 0xff]);

describe('copyFrom', () => {
  it('copies every row of many chunks and reports the count', async () => {
    async function* chunks() {
      yield header();
      for (let c = 0; c < 50; c++) yield rows(c * 1000, 1000);
      yield TRAILER;
    }
    const client = await database.pool.connect();
    try {
      expect(await copyFrom(client, 'COPY copy_probe (n) FROM STDIN (FORMAT binary)', chunks())).toBe(50_000);
    } finally {
      client.release();
    }
    const { rows: r } = await database.pool.query('SELECT count(*)::int AS n, sum(n)::float8 AS s FROM copy_probe');
    await database.pool.query('TRUNCATE copy_probe');
    expect(r[0]).toEqual({ n: 50_000, s: (49_999 * 50_000) / 2 });
  });

  it('a source that fails midway: its error, no rows kept, the connection still answers', async () => {
    async function* chunks() {
      yield header();
      yield rows(0, 1000);
      throw new Error('decoder broke at row 1000');
    }
    const client = await database.pool.connect();
    try {
      await expect(copyFrom(client, 'COPY copy_probe (n) FROM STDIN (FORMAT binary)', chunks())).rejects.toThrow('decoder broke at row 1000');
      expect((await client.query('SELECT count(*)::int AS n FROM copy_probe')).rows[0].n).toBe(0);
    } finally {
      client.release();
    }
  });

  it('a row the server refuses: the server error, no rows kept', async () => {
    async function* chunks() {
      yield header();
      yield rows(0, 10);
      yield Buffer.from([0, 1, 0xff, 0xff, 0xff, 0xff]); // NULL into a NOT NULL column
      yield TRAILER;
    }
    const client = await database.pool.connect();
    try {
      await expect(copyFrom(client, 'COPY copy_probe (n) FROM STDIN (FORMAT binary)', chunks())).rejects.toThrow(/null value/);
      expect((await client.query('SELECT count(*)::int AS n FROM copy_probe')).rows[0].n).toBe(0);
    } finally {
      client.release();
    }
  });
});
