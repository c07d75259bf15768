/**
 * translateAdql against a real database: a fake TAP catalogue (an ObsCore-like table with
 * hpx and coverage, two catalogue tables with ra/dec/hpx, a table with awkward names) over
 * tables created here. Checks that the translated queries run and return what they say: cones
 * through CONTAINS equal the brute-force distance test (JavaScript, src/sky), polygons and
 * boxes the polygon test, INTERSECTS on the coverage keeps every overlapping footprint, and the
 * plan of a cone uses the hpx btree. Identifiers and functions that try to reach anything else
 * are AdqlErrors; literals are always parameters.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { ang2pixNest, angularDistanceDeg, polygonContains, polygonMoc, STORE_ORDER } from '../../src/sky/index.js';
import { rng } from '../../src/util/rng.js';
import { AdqlError, GEOMETRY_FUNCTIONS, parseAdql, translateAdql, type TapCatalogue, type TapTableInfo } from '../../src/vo/adql/index.js';
import { createTestDatabase } from '../helpers/db.js';

const TABLES: TapTableInfo[] = [
  {
    schema: 'cat',
    name: 'stars',
    sqlName: 'adqltest.stars',
    columns: [
      { name: 'id', datatype: 'long', ucd: 'meta.id;meta.main' },
      { name: 'ra', datatype: 'double', unit: 'deg', ucd: 'pos.eq.ra;meta.main' },
      { name: 'dec', datatype: 'double', unit: 'deg', ucd: 'pos.eq.dec;meta.main' },
      { name: 'mag', datatype: 'double', unit: 'mag' },
      { name: 'name', datatype: 'char', arraysize: '*' },
    ],
    position: { ra: 'ra', dec: 'dec', hpx: 'hpx' },
  },
  {
    schema: 'cat',
    name: 'stars2',
    sqlName: 'adqltest.stars2',
    columns: [
      { name: 'id', datatype: 'long' },
      { name: 'name', datatype: 'char', arraysize: '*' },
      { name: 'mag2', datatype: 'double' },
    ],
  },
  {
    schema: 'ivoa',
    name: 'obscore',
    sqlName: 'adqltest.obscore',
    columns: [
      { name: 'obs_id', datatype: 'char', arraysize: '*' },
      { name: 'dataproduct_type', datatype: 'char', arraysize: '*' },
      { name: 'target_name', datatype: 'char', arraysize: '*' },
      { name: 's_ra', datatype: 'double', unit: 'deg' },
      { name: 's_dec', datatype: 'double', unit: 'deg' },
      { name: 's_region', datatype: 'char', arraysize: '*', xtype: 'adql:REGION' },
      { name: 'obs_release_date', datatype: 'char', arraysize: '*', xtype: 'timestamp' },
    ],
    position: { ra: 's_ra', dec: 's_dec', hpx: 'hpx' },
    coverage: 'coverage',
  },
  {
    schema: 'cat',
    name: 'Mixed Case',
    sqlName: 'adqltest."Mixed Case"',
    columns: [{ name: 'Weird "col"', datatype: 'int' }, { name: 'Ra', datatype: 'double' }, { name: 'ra', datatype: 'double' }],
  },
  {
    schema: 'cat',
    name: 'points',
    sqlName: 'adqltest.points',
    columns: [{ name: 'id', datatype: 'int' }, { name: 'p', datatype: 'double', arraysize: '2', xtype: 'point', unit: 'deg' }],
  },
];

const catalogue: TapCatalogue & { asked: [string | undefined, string][] } = {
  asked: [],
  table(schema, name) {
    this.asked.push([schema, name]);
    return TABLES.find((t) => (schema === undefined || t.schema === schema) && t.name === name);
  },
};

const translate = (text: string, maxrec = 1000) => translateAdql(parseAdql(text), catalogue, { maxrec });

function adqlError(text: string): AdqlError {
  try {
    translate(text);
  } catch (e) {
    if (e instanceof AdqlError) return e;
    throw e;
  }
  throw new Error(`translated: ${text}`);
}

interface Star {
  id: number;
  ra: number | null;
  dec: number | null;
}

let database: Database;
const stars: Star[] = [];
const footprints: { id: string; ra: number; dec: number; half: number }[] = [];

async function run(text: string, maxrec = 100_000) {
  const t = translate(text, maxrec);
  return (await database.pool.query(t.sql, t.params)).rows;
}

beforeAll(async () => {
  database = await createTestDatabase();
  const random = rng(14);
  const push = (ra: number, dec: number) => stars.push({ id: stars.length + 1, ra: ((ra % 360) + 360) % 360, dec: Math.max(-90, Math.min(90, dec)) });
  for (let i = 0; i < 12_000; i++) push(random() * 360, (Math.asin(2 * random() - 1) * 180) / Math.PI);
  for (let i = 0; i < 3000; i++) push(150 + (random() - 0.5) * 2, 2 + (random() - 0.5) * 2); // a field
  for (let i = 0; i < 2000; i++) push(random() * 360, 90 - random() * 0.6); // the north pole
  for (let i = 0; i < 2000; i++) push(360 + (random() - 0.5), (random() - 0.5) * 1.2); // across RA 0
  for (let i = 0; i < 5; i++) stars.push({ id: stars.length + 1, ra: null, dec: null });
  const hpx = stars.map((s) => (s.ra === null ? null : ang2pixNest(STORE_ORDER, s.ra, s.dec!)));
  const q = (sql: string, values?: unknown[]) => database.pool.query(sql, values);
  await q(`CREATE SCHEMA adqltest`);
  await q(`CREATE TABLE adqltest.stars (id int8 PRIMARY KEY, ra float8, dec float8, hpx int8, mag float8, name text)`);
  await q(
    `INSERT INTO adqltest.stars SELECT id, ra, dec, hpx, 10 + (id % 70) / 10.0, CASE WHEN id % 3 = 0 THEN 'HD ' || id ELSE 'star ' || id END
       FROM unnest($1::int8[], $2::float8[], $3::float8[], $4::int8[]) AS u(id, ra, dec, hpx)`,
    [stars.map((s) => s.id), stars.map((s) => s.ra), stars.map((s) => s.dec), hpx],
  );
  // Partial like records_hpx_idx: the range predicate implies hpx IS NOT NULL.
  await q(`CREATE INDEX stars_hpx_idx ON adqltest.stars (hpx) WHERE hpx IS NOT NULL`);
  await q(`CREATE TABLE adqltest.stars2 (id int8, name text, mag2 float8)`);
  await q(`INSERT INTO adqltest.stars2 SELECT g, 'HD ' || g, g / 100.0 FROM generate_series(1, 3000, 3) g`);
  await q(`CREATE TABLE adqltest."Mixed Case" ("Weird ""col""" int4, "Ra" float8, ra float8)`);
  await q(`INSERT INTO adqltest."Mixed Case" VALUES (1, 10, 20), (2, 11, 21)`);
  await q(`CREATE TABLE adqltest.points (id int4, p float8[])`);
  await q(`INSERT INTO adqltest.points VALUES (1, '{10, 20}'), (2, '{10.5, 20}'), (3, '{200, -45}'), (4, NULL)`);
  // Footprints: squares of half-size 0.01-0.1 deg, most in the field at (150, 2).
  for (let i = 0; i < 1500; i++) {
    const field = i % 3 !== 0;
    const ra = field ? 150 + (random() - 0.5) * 3 : random() * 360;
    const dec = field ? 2 + (random() - 0.5) * 3 : (Math.asin(2 * random() - 1) * 180) / Math.PI * 0.9;
    footprints.push({ id: `obs-${i}`, ra, dec, half: 0.01 + random() * 0.09 });
  }
  const corners = (f: (typeof footprints)[number]) => [
    { ra: f.ra - f.half, dec: f.dec - f.half },
    { ra: f.ra + f.half, dec: f.dec - f.half },
    { ra: f.ra + f.half, dec: f.dec + f.half },
    { ra: f.ra - f.half, dec: f.dec + f.half },
  ];
  await q(
    `CREATE TABLE adqltest.obscore (obs_id text, dataproduct_type text, target_name text, s_ra float8, s_dec float8, s_region text,
       obs_release_date timestamptz, hpx int8, coverage int8multirange)`,
  );
  await q(
    `INSERT INTO adqltest.obscore
     SELECT id, CASE WHEN n % 2 = 0 THEN 'image' ELSE 'spectrum' END, 'target ' || (n % 10), ra, dec, region, '2020-01-01'::timestamptz + n * interval '1 day', hpx, coverage::int8multirange
       FROM unnest($1::text[], $2::float8[], $3::float8[], $4::text[], $5::int8[], $6::text[]) WITH ORDINALITY AS u(id, ra, dec, region, hpx, coverage, n)`,
    [
      footprints.map((f) => f.id),
      footprints.map((f) => f.ra),
      footprints.map((f) => f.dec),
      footprints.map((f) => `POLYGON ICRS ${corners(f).flatMap((c) => [c.ra, c.dec]).join(' ')}`),
      footprints.map((f) => ang2pixNest(STORE_ORDER, f.ra, f.dec)),
      footprints.map((f) => `{${polygonMoc(corners(f)).map(([a, b]) => `[${a},${b})`).join(',')}}`),
    ],
  );
  await q(`CREATE INDEX obscore_coverage_idx ON adqltest.obscore USING gist (coverage)`);
  await q(`ANALYZE`);
}, 180_000);

afterAll(async () => {
  await database?.close();
});

/** Queries that must translate and run (results checked elsewhere or only that they run). */
const RUNS: string[] = [
  `SELECT * FROM cat.stars`,
  `SELECT TOP 10 s.* FROM cat.stars AS s ORDER BY s.id`,
  `SELECT DISTINCT name FROM cat.stars2`,
  `SELECT ALL id FROM cat.stars2`,
  `SELECT COUNT(*), COUNT(DISTINCT name), COUNT(ALL mag), AVG(mag), MIN(mag), MAX(mag), SUM(mag) FROM cat.stars`,
  `SELECT mag, COUNT(*) AS n FROM cat.stars GROUP BY mag HAVING COUNT(*) > 10 ORDER BY n DESC, 1`,
  `SELECT FLOOR(mag) AS m, COUNT(*) FROM cat.stars GROUP BY m ORDER BY m`,
  `SELECT s.id, t.mag2 FROM cat.stars s JOIN cat.stars2 t ON s.id = t.id`,
  `SELECT s.id, t.mag2 FROM cat.stars s INNER JOIN cat.stars2 t ON s.id = t.id WHERE t.mag2 > 1`,
  `SELECT * FROM cat.stars s LEFT OUTER JOIN cat.stars2 t ON s.id = t.id WHERE t.id IS NULL`,
  `SELECT * FROM cat.stars s RIGHT JOIN cat.stars2 t USING (id)`,
  `SELECT id, name FROM cat.stars FULL OUTER JOIN cat.stars2 USING (id, name)`,
  `SELECT id FROM cat.stars NATURAL JOIN cat.stars2`,
  `SELECT a.id FROM cat.stars a, cat.stars2 b WHERE a.id = b.id AND b.name LIKE 'HD 1%'`,
  `SELECT * FROM ((cat.stars a JOIN cat.stars2 b ON a.id = b.id))`,
  `SELECT sub.r FROM (SELECT TOP 5 ra AS r FROM cat.stars ORDER BY ra) AS sub WHERE sub.r >= 0`,
  `SELECT * FROM cat.stars WHERE id IN (SELECT id FROM cat.stars2 WHERE mag2 < 1)`,
  `SELECT * FROM cat.stars s WHERE NOT EXISTS (SELECT * FROM cat.stars2 t WHERE t.id = s.id)`,
  `SELECT id, (SELECT MAX(mag2) FROM cat.stars2) AS brightest FROM cat.stars WHERE id < 5`,
  `SELECT id FROM cat.stars WHERE mag BETWEEN 10 AND 12.5 AND name NOT LIKE 'HD%' OR name IS NULL`,
  `SELECT id FROM cat.stars WHERE NOT (mag < 10 OR mag > 12) AND id NOT IN (1, 2, 3) AND name IN ('HD 3', 'star 1')`,
  `SELECT id FROM cat.stars WHERE name = 'O''Brien' OR name ILIKE 'hd 3%'`,
  `SELECT "Weird ""col""", "Ra", ra FROM cat."Mixed Case"`,
  `SELECT ABS(-1), CEILING(1.2), DEGREES(PI()), EXP(1), FLOOR(1.5), LOG(10), LOG10(100), MOD(7, 3), MOD(mag, 3), POWER(2, 10), RADIANS(180), RAND(), RAND(3), ROUND(mag, 2), ROUND(1.5), SQRT(2), TRUNCATE(mag), TRUNCATE(mag, 1) FROM cat.stars WHERE id = 1`,
  `SELECT SIN(1), COS(1), TAN(1), ASIN(0.5), ACOS(0.5), ATAN(1), ATAN2(1, 2), COT(1) FROM cat.stars WHERE id = 1`,
  `SELECT LOWER(name), UPPER(name), name || '-' || id, 'a' || 'b' FROM cat.stars WHERE id = 1`,
  `SELECT CAST(mag AS INTEGER), CAST(id AS VARCHAR(10)), CAST(mag AS DOUBLE PRECISION), CAST(id AS SMALLINT), CAST(mag AS REAL), CAST(id AS BIGINT), CAST(name AS CHAR(3)) FROM cat.stars WHERE id = 1`,
  `SELECT COALESCE(mag, 0) FROM cat.stars WHERE id = 1`,
  `SELECT ra FROM cat.stars ORDER BY 1 DESC, dec ASC OFFSET 10`,
  `SELECT 1.5e3, .5, 5., 1E-3, -2, +3, 12345678901234567890 FROM cat.stars WHERE id = 1`,
  `select top 3 Ra as "RA", dEc from CAT.STARS where MAG<=12 order by MAG`,
  `SELECT obs_id FROM ivoa.obscore WHERE obs_release_date > '2021-01-01' AND dataproduct_type = 'image'`,
  `SELECT obs_id, s_region FROM ivoa.obscore WHERE 1 = CONTAINS(POINT('ICRS', s_ra, s_dec), CIRCLE('ICRS', 150, 2, 0.5))`,
  `SELECT obs_id FROM ivoa.obscore WHERE INTERSECTS(CIRCLE('', 150, 2, 0.5), s_region) = 1`,
  `SELECT obs_id FROM ivoa.obscore WHERE CONTAINS(POINT('ICRS', 150, 2), s_region) = 1`,
  `SELECT obs_id FROM ivoa.obscore WHERE INTERSECTS(s_region, POLYGON('ICRS', 149, 1, 151, 1, 151, 3)) = 1`,
  `SELECT obs_id FROM ivoa.obscore WHERE INTERSECTS(s_region, BOX('ICRS', 150, 2, 1, 1)) = 1`,
  `SELECT id FROM cat.stars WHERE CONTAINS(POINT('ICRS', ra, dec), CIRCLE('ICRS', 150, 2, 10/60.)) = 0 AND id < 100`,
  `SELECT id, CONTAINS(POINT('ICRS', ra, dec), CIRCLE('ICRS', 150, 2, 1)) AS inside FROM cat.stars WHERE id < 10`,
  `SELECT id, DISTANCE(POINT('ICRS', ra, dec), POINT('ICRS', 150, 2)) AS d FROM cat.stars WHERE id < 10 ORDER BY d`,
  `SELECT DISTANCE(ra, dec, 150, 2) FROM cat.stars WHERE id < 10`,
  `SELECT COORD1(POINT('ICRS', ra, dec)), COORD2(POINT('ICRS', ra, dec)), COORDSYS(POINT('ICRS', ra, dec)) FROM cat.stars WHERE id < 10`,
  `SELECT POINT('ICRS', ra, dec), CIRCLE('ICRS', ra, dec, 1), POLYGON('ICRS', 1, 1, 2, 1, 2, 2), BOX('ICRS', 10, 10, 1, 1) FROM cat.stars WHERE id < 3`,
  `SELECT POLYGON('ICRS', ra, dec, ra + 1, dec, ra, dec + 1), BOX('ICRS', ra, dec, mag, 1), POLYGON(POINT('', ra, dec), POINT('', 1, 2), POINT('', 3, 4)) FROM cat.stars WHERE id < 3`,
  `SELECT a.id, b.id FROM cat.stars a JOIN cat.stars b ON 1 = CONTAINS(POINT('ICRS', a.ra, a.dec), CIRCLE('ICRS', b.ra, b.dec, 1/3600.)) WHERE a.id < 50 AND b.id < 50`,
  `SELECT id FROM cat.stars WHERE 1 = CONTAINS(POINT('ICRS', 150, 2), CIRCLE('ICRS', ra, dec, 0.1))`,
  `SELECT id FROM cat.stars WHERE 1 = CONTAINS(CIRCLE('ICRS', 150, 2, 0.01), CIRCLE('ICRS', ra, dec, 0.1))`,
  `SELECT id FROM cat.stars WHERE 1 = INTERSECTS(CIRCLE('ICRS', 150, 2, 0.01), CIRCLE('ICRS', ra, dec, 0.1))`,
  `SELECT id FROM cat.stars WHERE 1 = CONTAINS(POINT('ICRS', ra, dec), POLYGON(POINT('ICRS', 149, 1), POINT('ICRS', 151, 1), POINT('ICRS', 151, 3)))`,
];

describe('translateAdql: queries run', () => {
  it.each(RUNS)('%s', async (text) => {
    const t = translate(text);
    expect(t.sql.replace(/'\{(\[\d+,\d+\),?)+\}'::int8multirange/g, '')).not.toContain("'"); // no string literal but the coverage ranges
    expect(t.sql.match(/\$\d+/g)?.length ?? 0).toBeGreaterThanOrEqual(t.params.length);
    const { rows, fields } = await database.pool.query(t.sql, t.params);
    expect(fields.map((f) => f.name)).toEqual(t.columns.map((c) => c.name));
    expect(Array.isArray(rows)).toBe(true);
  });
});

describe('translateAdql: results', () => {
  const CONES: [number, number, number][] = [
    [150, 2, 0.1],
    [150.2, 2.1, 30 / 3600],
    [150, 2, 1 / 3600],
    [0, 90, 0.3],
    [123, 89.8, 0.25],
    [0, 0, 0.2],
    [359.9, 0.1, 0.4],
    [45, -30, 5],
    [150, 2, 0],
  ];

  it.each(CONES)('CONTAINS(POINT, CIRCLE(%f, %f, %f)) = 1 returns the brute-force cone (src/sky angularDistanceDeg)', async (ra, dec, r) => {
    const rows = await run(`SELECT id FROM cat.stars AS s WHERE CONTAINS(POINT('ICRS', s.ra, s.dec), CIRCLE('ICRS', ${ra}, ${dec}, ${r})) = 1`);
    const got = new Set(rows.map((x) => Number(x.id)));
    const brute = stars.filter((s) => s.ra !== null && angularDistanceDeg(ra, dec, s.ra, s.dec!) <= r);
    const ambiguous = new Set(stars.filter((s) => s.ra !== null && Math.abs(angularDistanceDeg(ra, dec, s.ra, s.dec!) - r) < 1e-9).map((s) => s.id));
    expect([...got].filter((id) => !ambiguous.has(id)).sort()).toEqual(brute.map((s) => s.id).filter((id) => !ambiguous.has(id)).sort());
    if (r >= 0.1) expect(got.size).toBeGreaterThan(0);
    // The same rows without the index ranges (the exact test alone): the ranges lose nothing.
    const exact = await run(`SELECT id FROM cat.stars AS s WHERE DISTANCE(POINT('ICRS', s.ra, s.dec), POINT('ICRS', ${ra}, ${dec})) <= ${r}`);
    expect(new Set(exact.map((x) => Number(x.id)))).toEqual(got);
  });

  it('the other spellings of a cone (1 = CONTAINS, the point as constant, INTERSECTS) return the same rows', async () => {
    const ids = async (text: string) => (await run(text)).map((x) => Number(x.id)).sort((a, b) => a - b);
    const base = await ids(`SELECT id FROM cat.stars WHERE CONTAINS(POINT('ICRS', ra, dec), CIRCLE('ICRS', 150, 2, 0.2)) = 1`);
    expect(base.length).toBeGreaterThan(10);
    expect(await ids(`SELECT id FROM cat.stars WHERE 1 = CONTAINS(POINT('', ra, dec), CIRCLE('', 150, 2, 0.2))`)).toEqual(base);
    expect(await ids(`SELECT id FROM cat.stars WHERE 1 = CONTAINS(POINT('ICRS', 150, 2), CIRCLE('ICRS', ra, dec, 0.2))`)).toEqual(base);
    expect(await ids(`SELECT id FROM cat.stars WHERE INTERSECTS(POINT('ICRS', ra, dec), CIRCLE('ICRS', 150, 2, 0.2)) = 1`)).toEqual(base);
    expect(await ids(`SELECT id FROM cat.stars WHERE CONTAINS(POINT('ICRS', ra, dec), CIRCLE(POINT('ICRS', 150, 2), 0.2)) = 1`)).toEqual(base);
    const outside = await ids(`SELECT id FROM cat.stars WHERE CONTAINS(POINT('ICRS', ra, dec), CIRCLE('ICRS', 150, 2, 0.2)) = 0`);
    expect(outside.length + base.length).toBe(stars.filter((s) => s.ra !== null).length);
  });

  it('POLYGON and BOX return the brute-force polygon test (src/sky polygonContains)', async () => {
    const cases: [string, { ra: number; dec: number }[]][] = [
      [`POLYGON('ICRS', 149.5, 1.5, 150.5, 1.5, 150.5, 2.5, 149.5, 2.5)`, [{ ra: 149.5, dec: 1.5 }, { ra: 150.5, dec: 1.5 }, { ra: 150.5, dec: 2.5 }, { ra: 149.5, dec: 2.5 }]],
      [`POLYGON('ICRS', 359.8, -0.3, 0.3, -0.2, 0.1, 0.4)`, [{ ra: 359.8, dec: -0.3 }, { ra: 0.3, dec: -0.2 }, { ra: 0.1, dec: 0.4 }]],
      [`POLYGON('ICRS', 0, 89.7, 120, 89.7, 240, 89.7)`, [{ ra: 0, dec: 89.7 }, { ra: 120, dec: 89.7 }, { ra: 240, dec: 89.7 }]],
      [`BOX('ICRS', 150, 2, 0.4, 0.2)`, [{ ra: 149.8, dec: 1.9 }, { ra: 150.2, dec: 1.9 }, { ra: 150.2, dec: 2.1 }, { ra: 149.8, dec: 2.1 }]],
    ];
    for (const [shape, vertices] of cases) {
      const rows = await run(`SELECT id FROM cat.stars WHERE CONTAINS(POINT('ICRS', ra, dec), ${shape}) = 1`);
      const brute = stars.filter((s) => s.ra !== null && polygonContains(vertices, s.ra, s.dec!)).map((s) => s.id);
      expect({ shape, ids: rows.map((x) => Number(x.id)).sort((a, b) => a - b) }).toEqual({ shape, ids: brute.sort((a, b) => a - b) });
      expect(brute.length).toBeGreaterThan(0);
    }
  });

  it('a non-convex POLYGON returns the points its outline winds around (spherical winding number, computed here)', async () => {
    const D = Math.PI / 180;
    const vec = (ra: number, dec: number) => [Math.cos(dec * D) * Math.cos(ra * D), Math.cos(dec * D) * Math.sin(ra * D), Math.sin(dec * D)];
    const winds = (corners: number[][], ra: number, dec: number) => {
      const p = vec(ra, dec);
      let total = 0;
      for (let i = 0; i < corners.length; i++) {
        const a = vec(corners[i][0], corners[i][1]);
        const b = vec(corners[(i + 1) % corners.length][0], corners[(i + 1) % corners.length][1]);
        const x = [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
        const ab = a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
        const ap = a[0] * p[0] + a[1] * p[1] + a[2] * p[2];
        const bp = b[0] * p[0] + b[1] * p[1] + b[2] * p[2];
        total += Math.atan2(x[0] * p[0] + x[1] * p[1] + x[2] * p[2], ab - ap * bp);
      }
      return Math.abs(total) > Math.PI;
    };
    const star = Array.from({ length: 10 }, (_, i) => [(360 + (i % 2 ? 0.2 : 0.55) * Math.sin((i * 36 * Math.PI) / 180)) % 360, (i % 2 ? 0.2 : 0.55) * Math.cos((i * 36 * Math.PI) / 180)]);
    const shapes = [
      [[149.5, 1.5], [150.5, 1.5], [150.5, 1.8], [149.8, 1.8], [149.8, 2.5], [149.5, 2.5]], // an L
      [...star].reverse(), // a five-pointed star across RA 0, clockwise
      [[0, 89.5], [90, 89.5], [180, 89.5], [270, 89.9]], // a dent near the pole
    ];
    for (const corners of shapes) {
      const adql = `SELECT id FROM cat.stars WHERE CONTAINS(POINT('ICRS', ra, dec), POLYGON('ICRS', ${corners.flat().join(', ')})) = 1`;
      const got = (await run(adql)).map((x) => Number(x.id)).sort((a, b) => a - b);
      const brute = stars.filter((s) => s.ra !== null && winds(corners, s.ra, s.dec!)).map((s) => s.id);
      expect(brute.length).toBeGreaterThan(5);
      expect({ corners, ids: got }).toEqual({ corners, ids: brute });
    }
  });

  it('DISTANCE agrees with src/sky angularDistanceDeg to 1e-9 degrees, and COORD1/COORD2 return the coordinates', async () => {
    const rows = await run(`SELECT id, DISTANCE(POINT('ICRS', ra, dec), POINT('ICRS', 150, 2)) AS d, COORD1(POINT('ICRS', ra, dec)) AS c1, COORD2(POINT('ICRS', ra, dec)) AS c2 FROM cat.stars WHERE id <= 2000`);
    expect(rows.length).toBe(2000);
    for (const row of rows) {
      const s = stars[Number(row.id) - 1];
      expect(Math.abs(row.d - angularDistanceDeg(150, 2, s.ra!, s.dec!))).toBeLessThan(1e-9);
      expect([row.c1, row.c2]).toEqual([s.ra, s.dec]);
    }
    const [near] = await run(`SELECT DISTANCE(POINT('ICRS', 10, 20), POINT('ICRS', 10.000001, 20)) AS d FROM cat.stars WHERE id = 1`);
    expect(near.d / angularDistanceDeg(10, 20, 10.000001, 20)).toBeCloseTo(1, 9);
  });

  it('INTERSECTS(s_region, CIRCLE) keeps every footprint whose centre is in the circle and none far away (coverage only)', async () => {
    for (const [ra, dec, r] of [[150, 2, 0.3], [150.5, 1.5, 0.05], [10, 10, 20]] as const) {
      const got = new Set((await run(`SELECT obs_id FROM ivoa.obscore WHERE INTERSECTS(s_region, CIRCLE('ICRS', ${ra}, ${dec}, ${r})) = 1`)).map((x) => x.obs_id));
      const inside = footprints.filter((f) => angularDistanceDeg(ra, dec, f.ra, f.dec) <= r);
      expect(inside.filter((f) => !got.has(f.id))).toEqual([]);
      const far = footprints.filter((f) => got.has(f.id) && angularDistanceDeg(ra, dec, f.ra, f.dec) > r + 2);
      expect(far).toEqual([]);
    }
  });

  it('USING / NATURAL joins match on the named columns; an unqualified joined column is not ambiguous', async () => {
    const rows = await run(`SELECT id, stars.name, mag2 FROM cat.stars JOIN cat.stars2 USING (id) WHERE id < 20 ORDER BY id`);
    expect(rows.map((r) => Number(r.id))).toEqual([1, 4, 7, 10, 13, 16, 19]);
    const natural = await run(`SELECT id FROM cat.stars NATURAL JOIN cat.stars2 ORDER BY id`);
    // stars2 names are 'HD <id>'; stars name rows divisible by 3 'HD <id>': ids in both with the same name.
    expect(natural.map((r) => Number(r.id))).toEqual(stars.filter((s) => s.id % 3 === 0 && (s.id - 1) % 3 === 0).map((s) => s.id));
    expect(adqlError(`SELECT id FROM cat.stars JOIN cat.stars2 ON stars.id = stars2.id`).message).toMatch(/column id is ambiguous: it is in cat\.stars and cat\.stars2; qualify it/);
  });

  it('reads mixed-case and quoted names exactly, and regular names case-insensitively', async () => {
    const rows = await run(`SELECT "Weird ""col""" AS w, "Ra", "ra" FROM cat."Mixed Case" ORDER BY 1`);
    expect(rows).toEqual([{ w: 1, Ra: 10, ra: 20 }, { w: 2, Ra: 11, ra: 21 }]);
    expect(adqlError(`SELECT RA FROM cat."Mixed Case"`).message).toMatch(/column RA matches "Ra" and "ra": write it in double quotes/);
    expect((await run(`SELECT COUNT(*) AS n FROM CAT.STARS WHERE MAG < 10.5`))[0].n).toBe(stars.filter((s) => 10 + (s.id % 70) / 10 < 10.5).length);
    expect(adqlError(`SELECT * FROM cat."STARS"`).message).toMatch(/unknown table cat\."STARS"/);
  });

  it('a point column (xtype point, float8[2]) works in COORD1/COORD2, DISTANCE and CONTAINS (exact test, no index)', async () => {
    const rows = await run(`SELECT id, COORD1(p) AS c1, COORD2(p) AS c2, DISTANCE(p, POINT('ICRS', 10, 20)) AS d FROM cat.points ORDER BY id`);
    expect(rows.map((r) => [r.id, r.c1, r.c2])).toEqual([[1, 10, 20], [2, 10.5, 20], [3, 200, -45], [4, null, null]]);
    expect(rows[1].d).toBeCloseTo(angularDistanceDeg(10, 20, 10.5, 20), 12);
    expect((await run(`SELECT id FROM cat.points WHERE CONTAINS(p, CIRCLE('ICRS', 10, 20, 0.6)) = 1 ORDER BY id`)).map((r) => r.id)).toEqual([1, 2]);
  });

  it('a geometry in the SELECT list comes out as a DALI array of degrees', async () => {
    const [row] = await run(`SELECT POINT('ICRS', ra, dec) AS p, CIRCLE('ICRS', ra, dec, 0.5) AS c, BOX('ICRS', 10, 20, 2, 1) AS b FROM cat.stars WHERE id = 1`);
    const s = stars[0];
    expect(row).toEqual({ p: [s.ra, s.dec], c: [s.ra, s.dec, 0.5], b: [9, 19.5, 11, 19.5, 11, 20.5, 9, 20.5] });
    const [poly] = await run(`SELECT POLYGON('ICRS', ra, dec, ra + 1, dec, ra, dec + 1) AS g, BOX('', ra, dec, 2, 1) AS b FROM cat.stars WHERE id = 1`);
    expect(poly.g).toEqual([s.ra, s.dec, s.ra! + 1, s.dec, s.ra, s.dec! + 1]);
    expect(poly.b).toEqual([s.ra! - 1, s.dec! - 0.5, s.ra! + 1, s.dec! - 0.5, s.ra! + 1, s.dec! + 0.5, s.ra! - 1, s.dec! + 0.5]);
  });

  it('string literals are parameters: a quote in one cannot end it', async () => {
    const t = translate(`SELECT id FROM cat.stars WHERE name = 'x'' OR ''1''=''1' OR name = '''; DROP TABLE adqltest.stars; --'`);
    expect(t.params).toEqual(["x' OR '1'='1", "'; DROP TABLE adqltest.stars; --"]);
    expect(t.sql).not.toContain('DROP');
    expect((await database.pool.query(t.sql, t.params)).rows).toEqual([]);
    expect((await database.pool.query('SELECT count(*)::int AS n FROM adqltest.stars')).rows[0].n).toBe(stars.length);
  });
});

describe('translateAdql: the geometry functions it declares', () => {
  it('translates each of GEOMETRY_FUNCTIONS (what TAP declares in its capabilities)', () => {
    const uses: Record<string, string> = {
      POINT: `SELECT POINT('ICRS', ra, dec) FROM cat.stars`,
      CIRCLE: `SELECT CIRCLE('ICRS', ra, dec, 1) FROM cat.stars`,
      BOX: `SELECT BOX('ICRS', ra, dec, 1, 1) FROM cat.stars`,
      POLYGON: `SELECT POLYGON('ICRS', 1, 1, 2, 1, 2, 2) FROM cat.stars`,
      CONTAINS: `SELECT id FROM cat.stars WHERE CONTAINS(POINT('ICRS', ra, dec), CIRCLE('ICRS', 1, 2, 3)) = 1`,
      INTERSECTS: `SELECT obs_id FROM ivoa.obscore WHERE INTERSECTS(s_region, CIRCLE('ICRS', 1, 2, 3)) = 1`,
      DISTANCE: `SELECT DISTANCE(POINT('ICRS', ra, dec), POINT('ICRS', 1, 2)) FROM cat.stars`,
      COORD1: `SELECT COORD1(POINT('ICRS', ra, dec)) FROM cat.stars`,
      COORD2: `SELECT COORD2(POINT('ICRS', ra, dec)) FROM cat.stars`,
      COORDSYS: `SELECT COORDSYS(POINT('ICRS', ra, dec)) FROM cat.stars`,
    };
    expect(Object.keys(uses).sort()).toEqual([...GEOMETRY_FUNCTIONS].sort());
    for (const text of Object.values(uses)) expect(translate(text).sql).toMatch(/^SELECT /);
  });
});

describe('translateAdql: TOP and MAXREC', () => {
  it('limits the outer query to min(TOP, MAXREC + 1) and a subquery only by its own TOP', async () => {
    expect(translate(`SELECT TOP 5 id FROM cat.stars`, 100).sql).toMatch(/\n LIMIT 5$/);
    expect(translate(`SELECT id FROM cat.stars`, 100).sql).toMatch(/\n LIMIT 101$/);
    expect(translate(`SELECT TOP 500 id FROM cat.stars`, 100).sql).toMatch(/\n LIMIT 101$/);
    expect(translate(`SELECT TOP 0 id FROM cat.stars`, 100).sql).toMatch(/\n LIMIT 0$/);
    const sub = translate(`SELECT id FROM cat.stars WHERE id IN (SELECT id FROM cat.stars2) AND mag > (SELECT TOP 1 mag2 FROM cat.stars2 ORDER BY mag2)`, 7).sql;
    expect(sub.match(/LIMIT \d+/g)).toEqual(['LIMIT 1', 'LIMIT 8']);
    expect(await run(`SELECT id FROM cat.stars`, 10)).toHaveLength(11);
    expect((await run(`SELECT TOP 3 id FROM cat.stars ORDER BY id DESC`, 10)).map((r) => Number(r.id))).toEqual([stars.length, stars.length - 1, stars.length - 2]);
    expect((await run(`SELECT id FROM cat.stars ORDER BY id OFFSET 5`, 2)).map((r) => Number(r.id))).toEqual([6, 7, 8]);
  });
});

describe('translateAdql: output columns', () => {
  it('carries the catalogue metadata of selected columns, names aliases and functions, and makes names unique', () => {
    const t = translate(`SELECT s.ra, dec AS "Dec", ra, COUNT(*), DISTANCE(POINT('ICRS', ra, dec), POINT('ICRS', 1, 2)), mag + 1, POINT('ICRS', ra, dec) AS p FROM cat.stars s GROUP BY ra, dec, mag`);
    expect(t.columns).toEqual([
      { name: 'ra', datatype: 'double', unit: 'deg', ucd: 'pos.eq.ra;meta.main' },
      { name: 'Dec', datatype: 'double', unit: 'deg', ucd: 'pos.eq.dec;meta.main' },
      { name: 'ra_2', datatype: 'double', unit: 'deg', ucd: 'pos.eq.ra;meta.main' },
      { name: 'count', datatype: 'long' },
      { name: 'distance', datatype: 'double', unit: 'deg' },
      { name: 'col6', datatype: 'double' },
      { name: 'p', datatype: 'double', arraysize: '2', xtype: 'point', unit: 'deg' },
    ]);
    expect(translate(`SELECT * FROM cat.stars2`).columns.map((c) => c.name)).toEqual(['id', 'name', 'mag2']);
    expect(translate(`SELECT * FROM cat.stars2 a, cat.stars2 b`).columns.map((c) => c.name)).toEqual(['id', 'name', 'mag2', 'id_2', 'name_2', 'mag2_2']);
  });
});

describe('translateAdql: the index', () => {
  interface PlanNode {
    'Node Type': string;
    'Index Name'?: string;
    'Relation Name'?: string;
    Plans?: PlanNode[];
  }
  const scans = async (text: string) => {
    const t = translate(text);
    const { rows } = await database.pool.query(`EXPLAIN (FORMAT JSON) ${t.sql}`, t.params);
    const out: PlanNode[] = [];
    const walk = (n: PlanNode) => {
      if (n['Relation Name'] || n['Index Name']) out.push(n);
      n.Plans?.forEach(walk);
    };
    walk((rows[0]['QUERY PLAN'] as { Plan: PlanNode }[])[0].Plan);
    return out;
  };

  it.each([
    `SELECT * FROM cat.stars AS s WHERE CONTAINS(POINT('ICRS', s.ra, s.dec), CIRCLE('ICRS', 150, 2, 0.05)) = 1`,
    `SELECT TOP 10 id FROM cat.stars WHERE 1 = CONTAINS(POINT('ICRS', ra, dec), CIRCLE('ICRS', 45, -30, 0.2))`,
    `SELECT id FROM cat.stars WHERE CONTAINS(POINT('ICRS', ra, dec), POLYGON('ICRS', 150, 2, 150.05, 2, 150.05, 2.05)) = 1`,
    `SELECT id FROM cat.stars WHERE CONTAINS(POINT('ICRS', ra, dec), BOX('ICRS', 150, 2, 0.05, 0.05)) = 1 AND mag > 11`,
    `SELECT id FROM cat.stars WHERE CONTAINS(POINT('ICRS', ra, dec), POLYGON('ICRS', 150, 2, 150.05, 2, 150.05, 2.01, 150.01, 2.01, 150.01, 2.05, 150, 2.05)) = 1`,
  ])('EXPLAIN of %s uses the hpx btree, never a sequential scan', async (text) => {
    const nodes = await scans(text);
    expect(nodes.some((n) => n['Index Name'] === 'stars_hpx_idx')).toBe(true);
    expect(nodes.filter((n) => n['Node Type'] === 'Seq Scan')).toEqual([]);
  });

  it('EXPLAIN of INTERSECTS(s_region, CIRCLE) uses the coverage GiST', async () => {
    const nodes = await scans(`SELECT obs_id FROM ivoa.obscore WHERE INTERSECTS(s_region, CIRCLE('ICRS', 150.5, 1.5, 0.01)) = 1`);
    expect(nodes.some((n) => n['Index Name'] === 'obscore_coverage_idx')).toBe(true);
  });
});

/** [query, message, line, column] */
const REFUSED: [string, string | RegExp, number, number][] = [
  [`SELECT pg_sleep(10) FROM cat.stars`, 'unknown function PG_SLEEP', 1, 8],
  [`SELECT id FROM cat.stars WHERE set_config('role', 'postgres', false) = 'x'`, 'unknown function SET_CONFIG', 1, 32],
  [`SELECT current_setting('is_superuser') FROM cat.stars`, 'unknown function CURRENT_SETTING', 1, 8],
  [`SELECT lo_import('/etc/passwd') FROM cat.stars`, 'unknown function LO_IMPORT', 1, 8],
  [`SELECT pg_read_file('/etc/passwd') FROM cat.stars`, 'unknown function PG_READ_FILE', 1, 8],
  [`SELECT id FROM cat.stars WHERE id = (SELECT pg_terminate_backend(1) FROM cat.stars2)`, 'unknown function PG_TERMINATE_BACKEND', 1, 45],
  [`SELECT version() FROM cat.stars`, 'unknown function VERSION', 1, 8],
  [`SELECT * FROM public.files`, 'unknown table public.files', 1, 15],
  [`SELECT * FROM files`, 'unknown table files', 1, 15],
  [`SELECT * FROM adqltest.stars`, 'unknown table adqltest.stars', 1, 15],
  [`SELECT * FROM pg_catalog.pg_authid`, 'unknown table pg_catalog.pg_authid', 1, 15],
  [`SELECT * FROM "cat"."stars; DROP TABLE files; --"`, 'unknown table "cat"."stars; DROP TABLE files; --"', 1, 15],
  [`SELECT "id"" FROM cat.stars; DROP TABLE files; --" FROM cat.stars`, 'unknown column id" FROM cat.stars; DROP TABLE files; -- in table cat.stars', 1, 8],
  [`SELECT x.id FROM cat.stars`, 'unknown table or alias x in column x.id', 1, 8],
  [`SELECT s.nope FROM cat.stars s`, 'unknown column nope in table cat.stars', 1, 8],
  [`SELECT nope FROM cat.stars s, cat.stars2 t`, 'unknown column nope in tables cat.stars, cat.stars2', 1, 8],
  [`SELECT * FROM db.cat.stars`, 'catalog names are not supported: db.cat.stars', 1, 15],
  [`SELECT hpx FROM cat.stars`, 'unknown column hpx in table cat.stars', 1, 8],
  [`SELECT id FROM cat.stars ORDER BY 3`, 'ORDER BY 3: a column number must be between 1 and 1', 1, 35],
  [`SELECT AREA(CIRCLE('ICRS', 1, 2, 3)) FROM cat.stars`, 'AREA is not supported by this service', 1, 8],
  [`SELECT CENTROID(CIRCLE('ICRS', 1, 2, 3)) FROM cat.stars`, 'CENTROID is not supported', 1, 8],
  [`SELECT id FROM cat.stars WHERE CONTAINS(POINT('GALACTIC', ra, dec), CIRCLE('ICRS', 1, 2, 3)) = 1`, "coordinate system 'GALACTIC' is not supported: use 'ICRS' (or '')", 1, 47],
  [`SELECT id FROM cat.stars WHERE CONTAINS(POINT('ICRS', ra, dec), CIRCLE('FK5', 1, 2, 3)) = 1`, "coordinate system 'FK5' is not supported", 1, 72],
  [`SELECT id FROM cat.stars WHERE CONTAINS(POINT('ICRS', ra, dec), CIRCLE('ICRS', 1, 2, -3)) = 1`, 'CIRCLE radius -3 must be within [0, 180] degrees', 1, 86],
  [`SELECT id FROM cat.stars WHERE CONTAINS(POINT('ICRS', ra, dec), CIRCLE('ICRS', 1, 95, 3)) = 1`, 'is not on the sky', 1, 83],
  [`SELECT id FROM cat.stars WHERE CONTAINS(POINT('ICRS', ra, dec), POLYGON('ICRS', 0, 0, 10, 10, 10, 0, 0, 10)) = 1`, 'polygon edges 0 and 2 cross', 1, 65],
  [`SELECT id FROM cat.stars WHERE CONTAINS(POINT('ICRS', ra, dec), POLYGON('ICRS', 0, 0, 120, 0, 240, 0)) = 1`, 'polygon is not within a hemisphere', 1, 65],
  [`SELECT id FROM cat.stars WHERE CONTAINS(POINT('ICRS', ra, dec), POLYGON('ICRS', 0, 0, 10, 0, mag, 10)) = 1`, 'POLYGON corners must be given by numeric constants', 1, 65],
  [`SELECT id FROM cat.stars WHERE CONTAINS(POINT('ICRS', ra, dec), POLYGON('ICRS', 0, 0, 10, 0, 10)) = 1`, 'POLYGON takes a coordinate system and at least 3 pairs', 1, 65],
  [`SELECT id FROM cat.stars WHERE CONTAINS(CIRCLE('ICRS', 1, 2, 3), POINT('ICRS', ra, dec)) = 1`, 'CONTAINS(CIRCLE, POINT) is not supported', 1, 32],
  [`SELECT id FROM cat.stars WHERE CONTAINS(POINT('ICRS', ra, dec), mag) = 1`, 'column mag is not a geometry', 1, 65],
  [`SELECT obs_id FROM ivoa.obscore WHERE CONTAINS(POINT('ICRS', s_ra, s_dec), s_region) = 1`, 'CONTAINS(POINT, s_region) needs a POINT given by numeric constants', 1, 39],
  [`SELECT obs_id FROM ivoa.obscore WHERE INTERSECTS(s_region, CIRCLE('ICRS', s_ra, 2, 1)) = 1`, 'a CIRCLE compared with a region column must be given by numeric constants', 1, 39],
  [`SELECT ABS(1, 2) FROM cat.stars`, 'ABS takes 1 argument, got 2', 1, 8],
  [`SELECT SUM(*) FROM cat.stars`, 'SUM(*) is not valid: only COUNT(*)', 1, 8],
  [`SELECT ABS(DISTINCT mag) FROM cat.stars`, 'ABS is not an aggregate function', 1, 8],
  [`SELECT id FROM cat.stars WHERE id IN (SELECT id, name FROM cat.stars2)`, 'the subquery must select one column, not 2', 1, 32],
  [`SELECT (SELECT id, name FROM cat.stars2) FROM cat.stars`, 'a subquery used as a value must select one column, not 2', 1, 8],
  [`SELECT id FROM cat.stars WHERE POINT('ICRS', ra, dec) = 1`, 'POINT is a geometry: use it in CONTAINS', 1, 32],
  [`SELECT * FROM cat.stars JOIN cat.stars2 USING (mag)`, 'join column mag is not in the right table', 1, 25],
  [`SELECT sub.id FROM (SELECT ra FROM cat.stars) AS sub`, 'unknown column id in table subquery sub', 1, 8],
];

describe('translateAdql: refused', () => {
  it.each(REFUSED)('%s', (text, message, line, column) => {
    const e = adqlError(text);
    expect(e.message).toContain(typeof message === 'string' ? message : '');
    if (message instanceof RegExp) expect(e.message).toMatch(message);
    expect({ line: e.line, column: e.column }).toEqual({ line, column });
  });

  it('asks the catalogue only for names the query wrote (lower, as written, upper case for regular ones)', () => {
    catalogue.asked.length = 0;
    adqlError(`SELECT * FROM Public.Files`);
    expect(catalogue.asked).toEqual([
      ['public', 'files'],
      ['public', 'Files'],
      ['public', 'FILES'],
      ['Public', 'files'],
      ['Public', 'Files'],
      ['Public', 'FILES'],
      ['PUBLIC', 'files'],
      ['PUBLIC', 'Files'],
      ['PUBLIC', 'FILES'],
    ]);
  });

  it('refuses a POLYGON of more than 200 corners and more literals than PostgreSQL takes in one statement', () => {
    const corners = Array.from({ length: 201 }, (_, i) => [10 + Math.cos((i * 2 * Math.PI) / 201), 10 + Math.sin((i * 2 * Math.PI) / 201)]).flat();
    expect(adqlError(`SELECT id FROM cat.stars WHERE CONTAINS(POINT('ICRS', ra, dec), POLYGON('ICRS', ${corners.join(', ')})) = 1`).message).toMatch(/POLYGON has 201 corners; at most 200/);
    // Past the parser's length limit only through geometry's own parameters (or a built tree).
    const ast = parseAdql('SELECT id FROM cat.stars WHERE id IN (1)');
    const list = (ast.where as { list: unknown[] }).list;
    list.push(...Array.from({ length: 65_535 }, () => list[0]));
    expect(() => translateAdql(ast, catalogue, { maxrec: 10 })).toThrow(/the query has 65536 literals; at most 65535/);
  });

  it('refuses a negative or fractional maxrec (a caller bug, not a query error)', () => {
    expect(() => translateAdql(parseAdql('SELECT id FROM cat.stars'), catalogue, { maxrec: -1 })).toThrow(RangeError);
    expect(() => translateAdql(parseAdql('SELECT id FROM cat.stars'), catalogue, { maxrec: 1.5 })).toThrow(RangeError);
  });
});
