/** The literal stripper behind databaseActivity/topStatements: data never reaches the page. */
import { describe, expect, it } from 'vitest';
import { displaySql, stripSqlLiterals as strip } from '../../src/db/sql-literals.js';

describe('stripSqlLiterals', () => {
  it('replaces strings and numbers, keeps names, parameters and operators', () => {
    expect(strip("SELECT * FROM files WHERE path = 'secret/a.fits' AND size_bytes > 1024 AND id = $1")).toBe(
      'SELECT * FROM files WHERE path = ? AND size_bytes > ? AND id = $1',
    );
    expect(strip('SELECT t1.col2, x3 FROM t1')).toBe('SELECT t1.col2, x3 FROM t1');
    expect(strip('select 1.5e3, .5, 0x1F, 1_000, 42::int, -7, 3e-2')).toBe('select ?, ?, ?, ?, ?::int, -?, ?');
    expect(strip('SELECT a[1:2] FROM t')).toBe('SELECT a[?:?] FROM t');
  });

  it('handles doubled quotes, E-strings with backslash escapes and prefixed strings', () => {
    expect(strip("SELECT 'it''s', 'x' || 'y'")).toBe('SELECT ?, ? || ?');
    expect(strip("SELECT E'a\\'b -- not a comment', 2")).toBe('SELECT ?, ?');
    expect(strip("SELECT e'\\\\', B'0101', X'ff', N'nat', U&'d\\0061t'")).toBe('SELECT ?, ?, ?, ?, ?');
  });

  it('replaces dollar-quoted bodies whole, with or without a tag, and keeps $1', () => {
    expect(strip("DO $$ BEGIN RAISE NOTICE 'x'; END $$")).toBe('DO ?');
    expect(strip("SELECT $fn$ it's $$ inside $fn$, $1, $22")).toBe('SELECT ?, $1, $22');
  });

  it('drops comments, also nested ones and quotes inside them', () => {
    expect(strip("SELECT 1 -- it's a 'comment'\nFROM t /* outer /* inner 'q' */ still */ WHERE x = 'v'")).toBe(
      'SELECT ? FROM t WHERE x = ?',
    );
  });

  it('keeps quoted identifiers (with doubled quotes) and does not read quotes inside them', () => {
    expect(strip('SELECT "it\'s ""col""" FROM "gama_dr4"."t1" WHERE v = 3')).toBe('SELECT "it\'s ""col""" FROM "gama_dr4"."t1" WHERE v = ?');
  });

  it('a literal cut off by the server truncating the text still becomes ?', () => {
    expect(strip("INSERT INTO t VALUES ('abcdef")).toBe('INSERT INTO t VALUES (?');
    expect(strip('SELECT $x$ unterminated')).toBe('SELECT ?');
    expect(strip('SELECT 1 /* unterminated')).toBe('SELECT ?');
  });

  it('collapses whitespace and truncates with an ellipsis', () => {
    expect(strip('  SELECT\n\t a ,\n b  ')).toBe('SELECT a , b');
    const long = displaySql(`SELECT ${'x, '.repeat(2000)}y`, 100);
    expect(long).toHaveLength(100);
    expect(long.endsWith('…')).toBe(true);
  });
});
