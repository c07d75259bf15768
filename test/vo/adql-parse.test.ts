/**
 * The ADQL grammar: queries from the ADQL 2.0 Recommendation's examples and from what TOPCAT,
 * pyvo and astroquery send parse into the expected tree; malformed ones fail with an AdqlError
 * that names the problem and its line and column; the committed parser is the grammar's.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { adqlParserSource, GENERATED } from '../../scripts/adql-parser.mjs';
import { AdqlError, parseAdql, type AdqlQuery, type Condition, type Expr } from '../../src/vo/adql/index.js';

/** Valid queries: each must parse (the translate tests run many of them against a database). */
const VALID: string[] = [
  // ADQL 2.0 Recommendation, sections 2.4 and appendix examples
  `SELECT * FROM ivoa.obscore`,
  `SELECT TOP 100 * FROM ivoa.obscore`,
  `SELECT ALL s_ra, s_dec FROM ivoa.obscore`,
  `SELECT DISTINCT dataproduct_type FROM ivoa.obscore`,
  `SELECT * FROM ivoa.obscore AS o WHERE 1=CONTAINS(POINT('ICRS GEOCENTER', o.s_ra, o.s_dec), CIRCLE('ICRS GEOCENTER', 25.4, -20.0, 1))`,
  `SELECT * FROM cat.stars s WHERE CONTAINS(POINT('ICRS', s.ra, s.dec), BOX('ICRS', 25.4, -20.0, 10, 10)) = 1`,
  `SELECT * FROM cat.stars s WHERE CONTAINS(POINT('ICRS', s.ra, s.dec), POLYGON('ICRS', 10.0, -10.5, 20.0, 20.5, 30.0, 30.5)) = 1`,
  `SELECT DISTANCE(POINT('ICRS', 0, 0), POINT('ICRS', ra, dec)) AS d FROM cat.stars`,
  `SELECT COORD1(POINT('ICRS', ra, dec)), COORD2(POINT('ICRS', ra, dec)) FROM cat.stars`,
  `SELECT obs_id FROM ivoa.obscore WHERE INTERSECTS(s_region, CIRCLE('ICRS', 10, 10, 0.5)) = 1`,
  `SELECT obs_id FROM ivoa.obscore WHERE INTERSECTS(CIRCLE('', 10, 10, 0.5), s_region) = 1`,
  // TOPCAT's TAP window examples and what its table browser sends
  `SELECT TOP 1000 * FROM "ivoa"."obscore"`,
  `SELECT TOP 10 t.* FROM ivoa.obscore AS t ORDER BY t.s_ra`,
  `SELECT COUNT(*) FROM ivoa.obscore`,
  `SELECT dataproduct_type, COUNT(*) AS n FROM ivoa.obscore GROUP BY dataproduct_type HAVING COUNT(*) > 1 ORDER BY n DESC`,
  `SELECT TOP 5 s.ra, s.dec, o.obs_id FROM cat.stars AS s JOIN ivoa.obscore AS o ON o.target_name = s.name`,
  `SELECT * FROM cat.stars s LEFT OUTER JOIN ivoa.obscore o ON s.name = o.target_name WHERE o.obs_id IS NULL`,
  `SELECT * FROM cat.stars NATURAL JOIN cat.stars2`,
  `SELECT * FROM cat.stars INNER JOIN cat.stars2 USING (id)`,
  `SELECT * FROM cat.stars RIGHT JOIN cat.stars2 USING (id, name)`,
  `SELECT * FROM cat.stars FULL OUTER JOIN cat.stars2 ON stars.id = stars2.id`,
  `SELECT * FROM cat.stars a, cat.stars2 b WHERE a.id = b.id`,
  `SELECT * FROM (SELECT ra, dec FROM cat.stars) AS sub WHERE sub.ra > 10`,
  `SELECT * FROM (SELECT ra FROM cat.stars) sub`,
  `SELECT * FROM cat.stars WHERE id IN (SELECT id FROM cat.stars2)`,
  `SELECT * FROM cat.stars s WHERE NOT EXISTS (SELECT * FROM cat.stars2 t WHERE t.id = s.id)`,
  `SELECT ra, (SELECT MAX(mag) FROM cat.stars2) AS brightest FROM cat.stars`,
  `SELECT * FROM cat.stars WHERE mag BETWEEN 10 AND 12.5 AND name NOT LIKE 'HD%' OR name IS NOT NULL`,
  `SELECT * FROM cat.stars WHERE NOT (mag < 10 OR mag > 12) AND id NOT IN (1, 2, 3)`,
  `SELECT * FROM cat.stars WHERE name = 'O''Brien''s star'`,
  `SELECT "Weird ""col""" FROM cat."Mixed Case"`,
  `SELECT ABS(-1), CEILING(1.2), DEGREES(PI()), EXP(1), FLOOR(1.5), LOG(10), LOG10(100), MOD(7, 3), POWER(2, 10), RADIANS(180), RAND(), RAND(3), ROUND(1.234, 2), ROUND(1.5), SQRT(2), TRUNCATE(1.99), TRUNCATE(1.99, 1) FROM cat.stars`,
  `SELECT SIN(1), COS(1), TAN(1), ASIN(0.5), ACOS(0.5), ATAN(1), ATAN2(1, 2), COT(1) FROM cat.stars`,
  `SELECT LOWER(name), UPPER(name), name || '-' || id FROM cat.stars`,
  `SELECT AVG(mag), MIN(mag), MAX(mag), SUM(mag), COUNT(DISTINCT name), COUNT(ALL name) FROM cat.stars`,
  `SELECT CAST(mag AS INTEGER), CAST(id AS VARCHAR(10)), CAST(mag AS DOUBLE PRECISION) FROM cat.stars`,
  `SELECT COALESCE(mag, 0) FROM cat.stars WHERE name ILIKE 'hd%'`,
  `SELECT ra FROM cat.stars ORDER BY 1 DESC, dec ASC OFFSET 10`,
  `SELECT 1.5e3, .5, 5., 1E-3, -2, +3 FROM cat.stars`,
  `select top 3 Ra as "RA", dEc from CAT.STARS where MAG<=12 order by MAG`,
  `SELECT ra -- the right ascension\n  , dec\nFROM cat.stars -- done`,
  `SELECT ra FROM cat.stars;`,
  `SELECT 'multi' 'part' FROM cat.stars`,
  `SELECT ra FROM catalog1.cat.stars`,
  `SELECT exp, log, date, size FROM cat.stars`,
  `SELECT * FROM ((cat.stars a JOIN cat.stars2 b ON a.id = b.id))`,
  `SELECT ra FROM cat.stars WHERE ((((((((((((((((((((((((((((((mag = 1))))))))))))))))))))))))))))))`,
  // TOPCAT's metadata queries
  `SELECT * FROM TAP_SCHEMA.columns WHERE table_name = 'ivoa.obscore' ORDER BY column_index`,
  `SELECT TOP 1 "size", "date" FROM "TAP_SCHEMA"."tables"`,
  // pyvo / astroquery: the cone search helper's ADQL and a typical crossmatch
  `SELECT TOP 50 * FROM ivoa.obscore WHERE 1 = CONTAINS(POINT('ICRS', s_ra, s_dec), CIRCLE('ICRS', 83.6287, 22.0147, 0.0166666))`,
  `SELECT a.id, b.id FROM cat.stars a JOIN cat.stars2 b ON 1 = CONTAINS(POINT('ICRS', a.ra, a.dec), CIRCLE('ICRS', b.ra, b.dec, 1/3600.))`,
];

describe('parseAdql: valid queries', () => {
  it.each(VALID)('%s', (text) => {
    const q = parseAdql(text);
    expect(q.kind).toBe('select');
    expect(q.from.length).toBeGreaterThan(0);
  });
});

const firstWhere = (text: string) => parseAdql(text).where as Condition;

describe('parseAdql: the tree', () => {
  it('keeps SELECT, TOP, DISTINCT, aliases, FROM, ORDER BY and OFFSET', () => {
    const q = parseAdql(`SELECT DISTINCT TOP 7 s.ra AS "RA", dec d, t.* FROM cat.stars AS s, cat.stars2 t ORDER BY 1 DESC, d OFFSET 3`);
    expect(q).toMatchObject({
      quantifier: 'DISTINCT',
      top: 7,
      offset: 3,
      select: [
        { kind: 'expr', expr: { kind: 'column', parts: [{ name: 's', quoted: false }, { name: 'ra', quoted: false }] }, alias: { name: 'RA', quoted: true } },
        { kind: 'expr', expr: { kind: 'column', parts: [{ name: 'dec' }] }, alias: { name: 'd', quoted: false } },
        { kind: 'star', qualifier: [{ name: 't' }] },
      ],
      from: [
        { kind: 'table', parts: [{ name: 'cat' }, { name: 'stars' }], alias: { name: 's' } },
        { kind: 'table', parts: [{ name: 'cat' }, { name: 'stars2' }], alias: { name: 't' } },
      ],
      orderBy: [{ expr: { kind: 'number', text: '1' }, descending: true }, { expr: { kind: 'column' }, descending: false }],
    });
  });

  it('folds joins to the left, with their kind and condition', () => {
    const q = parseAdql(`SELECT * FROM a NATURAL JOIN b LEFT JOIN c USING (x) FULL OUTER JOIN d ON d.y = c.y`);
    expect(q.from[0]).toMatchObject({
      kind: 'join',
      type: 'FULL',
      on: { kind: 'compare', op: '=' },
      right: { parts: [{ name: 'd' }] },
      left: { kind: 'join', type: 'LEFT', using: [{ name: 'x' }], left: { kind: 'join', natural: true, type: 'INNER' } },
    });
  });

  it('binds AND tighter than OR and * tighter than +, and keeps NOT', () => {
    expect(firstWhere(`SELECT * FROM t WHERE a = 1 OR b = 2 AND NOT c = 3`)).toMatchObject({
      kind: 'or',
      left: { kind: 'compare' },
      right: { kind: 'and', right: { kind: 'not', arg: { kind: 'compare' } } },
    });
    const e = (firstWhere(`SELECT * FROM t WHERE a + b * c - d > 0`) as { left: Expr }).left;
    expect(e).toMatchObject({ kind: 'binary', op: '-', left: { kind: 'binary', op: '+', right: { kind: 'binary', op: '*' } } });
  });

  it('reads string escapes, delimited identifiers, numbers and comments', () => {
    const q = parseAdql(`SELECT "a ""b""" FROM t -- x\nWHERE n = 'it''s' AND m = 1.5e-3 AND k = .5`);
    expect(q.select[0]).toMatchObject({ expr: { parts: [{ name: 'a "b"', quoted: true }] } });
    expect(JSON.stringify(q.where)).toContain(`"value":"it's"`);
    expect(JSON.stringify(q.where)).toContain(`"text":"1.5e-3"`);
    expect(JSON.stringify(q.where)).toContain(`"text":".5"`);
  });

  it('reads the predicates: BETWEEN, LIKE, ILIKE, IN list and subquery, IS NULL, EXISTS', () => {
    const where = firstWhere(
      `SELECT * FROM t WHERE a NOT BETWEEN 1 AND 2 AND b LIKE 'x%' AND c NOT ILIKE 'y' AND d IN (1, 2) AND e NOT IN (SELECT e FROM u) AND f IS NOT NULL AND EXISTS (SELECT * FROM u)`,
    );
    const kinds: string[] = [];
    const walk = (c: Condition) => {
      if (c.kind === 'and' || c.kind === 'or') {
        walk(c.left);
        walk(c.right);
      } else kinds.push(c.kind + ('not' in c && c.not === true ? '!' : ''));
    };
    walk(where);
    expect(kinds).toEqual(['between!', 'like', 'like!', 'in', 'in!', 'null-test!', 'exists']);
  });

  it('reads keywords in any case and function names in upper case', () => {
    const q = parseAdql(`sElEcT cOuNt(*) fRoM t wHeRe CoNtAiNs(PoInT('icrs', ra, dec), cIrClE('icrs', 1, 2, 3)) = 1`);
    expect(q.select[0]).toMatchObject({ expr: { kind: 'call', name: 'COUNT', star: true } });
    expect(q.where).toMatchObject({ left: { kind: 'call', name: 'CONTAINS', args: [{ name: 'POINT' }, { name: 'CIRCLE' }] } });
  });

  it('gives line and column of nodes', () => {
    const q = parseAdql(`SELECT ra\nFROM t\nWHERE   pg_sleep(1) = 0`);
    expect(q.where).toMatchObject({ left: { kind: 'call', name: 'PG_SLEEP', at: { line: 3, column: 9 } } });
  });
});

/** [query, message fragment, line, column] */
const INVALID: [string, string | RegExp, number, number][] = [
  [`SELECT`, 'unexpected end of query', 1, 7],
  [`SELECT ra FROM`, 'expected "(", identifier', 1, 15],
  [`SELECT ra dec decl FROM t`, 'unexpected "d"', 1, 15],
  [`SELECT * FROM t WHERE`, 'expected', 1, 22],
  [`SELECT * FROM t WHERE ra = `, 'unexpected end of query; expected "(", "+", "-", "CAST", "NULL", identifier, number, string', 1, 28],
  [`SELECT * FROM t\nWHERE ra >> 1`, 'unexpected ">"', 2, 11],
  [`SELECT * FROM t WHERE name = 'unterminated`, "string not closed: a ' is missing", 1, 30],
  [`SELECT * FROM t WHERE "unterminated = 1`, 'delimited identifier not closed', 1, 23],
  [`SELECT * FROM a UNION SELECT * FROM b`, 'UNION is not part of ADQL 2.0', 1, 17],
  [`SELECT * FROM a\n  INTERSECT SELECT * FROM b`, 'INTERSECT is not part of ADQL 2.0', 2, 3],
  [`SELECT * FROM a EXCEPT SELECT * FROM b`, 'EXCEPT is not part of ADQL 2.0', 1, 17],
  [`WITH x AS (SELECT * FROM a) SELECT * FROM x`, 'WITH (common table expressions) is not part of ADQL 2.0', 1, 1],
  [`SELECT * FROM (SELECT ra FROM t)`, 'a subquery in FROM needs a name', 1, 15],
  [`SELECT * FROM t; DROP TABLE files`, 'unexpected "D"', 1, 18],
  [`SELECT * FROM t WHERE 1 = 1; SELECT pg_sleep(10)`, 'unexpected "S"', 1, 30],
  [`SELECT TOP -1 * FROM t`, 'expected unsigned integer', 1, 12],
  [`SELECT TOP 99999999999999999999 * FROM t`, 'is too large', 1, 12],
  [`SELECT select FROM t`, 'unexpected "s"', 1, 8],
  [`SELECT * FROM t NATURAL JOIN u ON t.a = u.a`, 'a NATURAL JOIN takes no ON or USING', 1, 17],
  [`SELECT * FROM t WHERE CONTAINS(POINT('ICRS', ra, dec), CIRCLE('ICRS', 1, 2, 3))`, 'unexpected end of query; expected "*" or "/", "+", "-", "BETWEEN"', 1, 80],
  [`SELECT * FROM t WHERE ra = 1 /* comment */`, 'unexpected "*"', 1, 31],
  [`SELECT ra FROM t ORDER BY ra LIMIT 10`, 'LIMIT is not ADQL: write SELECT TOP n ...', 1, 30],
  [`SELECT ra FROM t LIMIT 10`, 'LIMIT is not ADQL: write SELECT TOP n ...', 1, 18],
  [`SELECT ra FROM t WHERE ra > 1 LIMIT 10`, 'LIMIT is not ADQL: write SELECT TOP n ...', 1, 31],
  [`SELECT * FROM t WHERE x IN ()`, 'expected', 1, 29],
  [`SELECT "" FROM t`, 'unexpected', 1, 8],
];

describe('parseAdql: invalid queries', () => {
  it.each(INVALID)('%s', (text, message, line, column) => {
    let error: unknown;
    try {
      parseAdql(text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AdqlError);
    const e = error as AdqlError;
    expect(e.message).toMatch(typeof message === 'string' ? new RegExp(message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : message);
    expect({ line: e.line, column: e.column }).toEqual({ line, column });
    expect(e.message).toContain(`(line ${line}, column ${column})`);
  });

  it('lists a few of the expected tokens, not every keyword', () => {
    const e = (() => {
      try {
        parseAdql('SELECT ra FROM t WHERE ra = 1 GARBAGE');
      } catch (err) {
        return err as AdqlError;
      }
      throw new Error('parsed');
    })();
    expect(e.message.length).toBeLessThan(250);
    expect(e.message).toMatch(/^ADQL syntax error: unexpected "G"; expected .*\(line 1, column 31\)$/);
  });

  it('refuses a query longer than 100,000 characters before parsing it', () => {
    expect(() => parseAdql(`SELECT ra FROM t WHERE ${'ra = 1 OR '.repeat(12_000)}ra = 2`)).toThrow(/query too long/);
  });

  it('parses deep nesting in linear time (the memoised parser) and refuses absurd depth cleanly', () => {
    const deep = `SELECT ra FROM t WHERE ${'('.repeat(200)}ra = 1${')'.repeat(200)}`;
    const started = performance.now();
    expect(parseAdql(deep).where).toMatchObject({ kind: 'compare' });
    expect(performance.now() - started).toBeLessThan(5000);
    const absurd = `SELECT ra FROM t WHERE ra = ${'('.repeat(20_000)}1${')'.repeat(20_000)}`;
    expect(() => parseAdql(absurd)).toThrow(AdqlError);
  });
});

describe('the generated parser', () => {
  it('is the one the grammar generates (run `node scripts/adql-parser.mjs` after editing adql.pegjs)', () => {
    expect(fs.readFileSync(GENERATED, 'utf8') === adqlParserSource()).toBe(true);
  });
});

describe('the parser in a bundle', () => {
  it('parses from an esbuild bundle built as scripts/build-app.mjs builds the CLI (no grammar file or peggy at run time)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adql-bundle-'));
    try {
      const outfile = path.join(dir, 'adql.mjs');
      await build({ entryPoints: ['src/vo/adql/index.ts'], outfile, bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', logLevel: 'silent' });
      const text = fs.readFileSync(outfile, 'utf8');
      expect(text).not.toMatch(/from ["']peggy["']|adql\.pegjs["']/);
      const bundled = (await import(pathToFileURL(outfile).href)) as typeof import('../../src/vo/adql/index.js');
      expect(bundled.parseAdql('SELECT TOP 1 ra FROM cat.stars').top).toBe(1);
      expect(() => bundled.parseAdql('SELECT FROM')).toThrow(/line 1, column 8/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

// A type check that AdqlQuery is what parseAdql returns (no runtime content).
export type ParsedIs = ReturnType<typeof parseAdql> extends AdqlQuery ? true : never;
