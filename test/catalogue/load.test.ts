/**
 * Catalogue tables loaded into PostgreSQL: every cell of the committed fixtures against
 * astropy's reading of them (test/fixtures/catalogue/expected.json), units and nulls included;
 * bad input as issues; idempotent re-ingest; a crash mid-swap leaves the old table.
 */
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { loadCatalogue } from '../../src/catalogue/load-file.js';
import type { RunningWorker } from '../../src/worker/runner.js';
import { ang2pixNest } from '../../src/sky/index.js';
import { createTestDatabase } from '../helpers/db.js';
import { startTestWorker, tempDir } from '../helpers/ingest.js';
import { copyFixture, FIXTURES, ingestAndLoad } from './fixture.js';

const expected = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'expected.json'), 'utf8'));

let database: Database;
let worker: RunningWorker;
let root: string;

interface Registry {
  id: number;
  file_id: number;
  hdu: number;
  schema_name: string;
  table_name: string;
  row_count: number;
  columns: Array<{ name: string; sqlName: string; type: string; unit: string | null; ucd: string | null; description: string | null }>;
  ra_column: string | null;
  dec_column: string | null;
  id_column: string | null;
  loaded_checksum: string;
  loaded_at: Date;
}

async function registry(pathLike: string): Promise<Registry[]> {
  const { rows } = await database.pool.query(
    `SELECT t.* FROM catalogue_tables t JOIN files f ON f.id = t.file_id WHERE f.path = $1 ORDER BY t.hdu`,
    [pathLike],
  );
  return rows.map((r) => ({ ...r, id: Number(r.id), file_id: Number(r.file_id), row_count: Number(r.row_count) }));
}

async function loadIssues(pathLike: string) {
  const { rows } = await database.pool.query(
    `SELECT i.severity, i.code, i.message, i.hdu, i.keyword FROM validation_issues i JOIN files f ON f.id = i.file_id
     WHERE f.path = $1 AND i.code LIKE 'CATALOGUE\\_%' ORDER BY i.id`,
    [pathLike],
  );
  return rows;
}

function wide(columns: number): string {
  const names = Array.from({ length: columns }, (_, i) => `c${i}`);
  return `${names.join(',')}\n${names.map((_, i) => i).join(',')}\n`;
}

beforeAll(async () => {
  database = await createTestDatabase();
  worker = await startTestWorker(database);
  root = tempDir();
  const dir = path.join(root, 'dr1');
  fs.mkdirSync(dir);
  for (const f of ['types.fits', 'ascii.fits', 'sky.csv', 'zero.fits']) copyFixture(f, dir);
  fs.writeFileSync(path.join(dir, 'ragged.csv'), 'a,b,c\n1,2,3\n4,5\n6,7,8\n');
  fs.writeFileSync(path.join(dir, 'overflow.csv'), 'id,big\n1,5\n2,99999999999999999999\n');
  fs.writeFileSync(path.join(dir, 'wide.csv'), wide(3000));
  fs.writeFileSync(path.join(dir, 'dup.csv'), 'Flux,flux,FLUX,select,_row,1st col\n1,2,3,4,5,6\n');
  fs.writeFileSync(path.join(dir, 'zero.csv'), 'a,b\n');
  // A TFORM no column type maps to: astropy's tb.fits with TFORM2 rewritten to 'Z'.
  const bad = Buffer.from(fs.readFileSync(path.join(FIXTURES, 'ascii.fits')));
  copyFixture('types.fits', dir, 'badform.fits');
  patchCard(path.join(dir, 'badform.fits'), 'TFORM5 ', "TFORM5  = '11Z     '");
  void bad;
  fs.writeFileSync(
    path.join(root, 'dr1', 'astroarchive.json'),
    JSON.stringify({ products: [{ match: 'sky.csv', kind: 'CATALOGUE', table: 'Stars', idColumn: 'name' }] }),
  );
  await ingestAndLoad(database, root, 'dr1', 'Cat', 'DR1');
}, 200_000);

afterAll(async () => {
  await worker?.stop();
  await database?.close();
  fs.rmSync(root, { recursive: true, force: true });
});

/** Rewrites the header card that starts with `prefix` (80 columns, blank padded). */
function patchCard(file: string, prefix: string, card: string): void {
  const bytes = fs.readFileSync(file);
  const text = bytes.toString('latin1');
  for (let at = 0; at < 2880 * 3; at += 80) {
    const found = text.indexOf(prefix, at);
    if (found >= 0 && found % 80 === 0) {
      bytes.write(card.padEnd(80), found, 'latin1');
      fs.writeFileSync(file, bytes);
      return;
    }
  }
  throw new Error(`no card ${prefix}`);
}

/** A loaded cell equals astropy's value (float32 columns compared as float32). */
function sameCell(got: unknown, want: unknown, type: string): boolean {
  if (want === null) return got === null;
  if (Array.isArray(want)) return Array.isArray(got) && got.length === want.length && want.every((w, i) => sameCell(got[i], w, type.replace('[]', '')));
  if (want && typeof want === 'object' && '$big' in want) return String(got) === (want as { $big: string }).$big;
  if (typeof want === 'number') {
    const g = Number(got);
    return type.startsWith('real') ? Math.fround(g) === Math.fround(want) : g === want;
  }
  return got === want;
}

async function tableRows(reg: Registry): Promise<Record<string, unknown>[]> {
  // bigint as text: the pool parses int8 to numbers, which loses digits past 2^53.
  const { rows } = await database.pool.query({ text: `SELECT * FROM "${reg.schema_name}"."${reg.table_name}" ORDER BY _row`, types: { getTypeParser: ((oid: number, format?: 'text' | 'binary') => (oid === 20 ? (v: string) => v : pg.types.getTypeParser(oid, format))) as typeof pg.types.getTypeParser } });
  return rows;
}

function compareEveryCell(reg: Registry, want: { columns: Record<string, { unit: string | null }>; rows: Record<string, unknown>[] }, rows: Record<string, unknown>[]): number {
  expect(rows.length).toBe(want.rows.length);
  expect(reg.row_count).toBe(want.rows.length);
  let cells = 0;
  for (const [name, meta] of Object.entries(want.columns)) {
    const complex = reg.columns.some((c) => c.name === `${name}_re`);
    const parts = complex ? [`${name}_re`, `${name}_im`] : [name];
    for (const part of parts) {
      const col = reg.columns.find((c) => c.name === part);
      expect(col, `column ${part}`).toBeDefined();
      expect(col!.unit, `unit of ${part}`).toBe(meta.unit ?? null);
      want.rows.forEach((row, r) => {
        let w = row[name];
        if (complex) w = w === null ? null : (w as { re: number; im: number })[part.endsWith('_re') ? 're' : 'im'];
        const g = rows[r][col!.sqlName];
        if (!sameCell(g, w, col!.type)) throw new Error(`${reg.table_name}.${col!.sqlName} row ${r + 1}: got ${JSON.stringify(g)}, astropy ${JSON.stringify(w)}`);
        cells++;
      });
    }
  }
  return cells;
}

describe('catalogue tables, cell by cell against astropy', () => {
  it('loads every BINTABLE of types.fits with the documented types, units, UCDs, nulls and positions', async () => {
    const regs = await registry('types.fits');
    expect(regs.map((r) => [r.hdu, r.schema_name, r.table_name])).toEqual([
      [1, 'cat_dr1', 'stars'],
      [2, 'cat_dr1', 'empty'],
    ]);
    const stars = regs[0];
    const type = (n: string) => stars.columns.find((c) => c.name === n)?.type;
    expect(Object.fromEntries(['NAME', 'RA', 'FLAG', 'BITS', 'B', 'I', 'J', 'K', 'E', 'D', 'U16', 'U32', 'SCALED', 'VEC', 'IVEC', 'C_re', 'M_im', 'select'].map((n) => [n, type(n)]))).toEqual({
      NAME: 'text', RA: 'double precision', FLAG: 'boolean', BITS: 'boolean[]', B: 'smallint', I: 'smallint', J: 'integer', K: 'bigint',
      E: 'real', D: 'double precision', U16: 'integer', U32: 'bigint', SCALED: 'double precision', VEC: 'real[]', IVEC: 'integer[]',
      C_re: 'real', M_im: 'double precision', select: 'integer',
    });
    expect(stars.columns.find((c) => c.name === 'RA')).toMatchObject({ sqlName: 'ra', ucd: 'pos.eq.ra;meta.main' });
    expect(stars.columns.find((c) => c.name === 'E')?.description).toBe('apparent magnitude');
    expect([stars.ra_column, stars.dec_column]).toEqual(['ra', 'dec']);
    const rows = await tableRows(stars);
    const cells = compareEveryCell(stars, expected['types.fits']['1'], rows);
    expect(cells).toBeGreaterThan(40 * 20);
    // Statistics gathered while encoding (raw-copied columns too): nulls, min, max as astropy's values say.
    const want = expected['types.fits']['1'].rows as Record<string, unknown>[];
    const stat = (n: string) => stars.columns.find((c) => c.name === n) as unknown as { nullCount: number; min: unknown; max: unknown };
    const e = want.map((r) => r.E).filter((v): v is number => v !== null);
    expect(stat('E')).toMatchObject({ nullCount: want.length - e.length });
    expect(Math.fround(stat('E').min as number)).toBe(Math.fround(Math.min(...e)));
    expect(stat('K')).toMatchObject({ nullCount: 0, max: '4611686018427387904', min: '-4611686018427387904' });
    expect(stat('J').nullCount).toBe(1);
    // The sky index: each row's HEALPix order-24 pixel, computed by the loader.
    for (const r of rows) expect(Number(r._hpx)).toBe(ang2pixNest(24, r.ra as number, r.dec as number));
    // The empty table is loaded, with its column.
    expect(await tableRows(regs[1])).toEqual([]);
    expect(regs[1].columns.map((c) => c.sqlName)).toEqual(['x']);
  });

  it('loads an ASCII TABLE', async () => {
    const [reg] = await registry('ascii.fits');
    expect(reg.columns.map((c) => [c.sqlName, c.type])).toEqual([['id', 'integer'], ['flux', 'double precision'], ['label', 'text']]);
    compareEveryCell(reg, expected['ascii.fits']['1'], await tableRows(reg));
  });

  it('loads a CSV with the inferred types, the rule\'s table name, positions by name, and sources from the id column', async () => {
    const [reg] = await registry('sky.csv');
    expect(reg.table_name).toBe('stars_' + reg.table_name.slice(6)); // 'stars' was taken by types.fits: a hashed suffix
    expect(reg.table_name).toMatch(/^stars_[0-9a-f]{8}$/);
    expect(reg.columns.map((c) => [c.sqlName, c.type])).toEqual([
      ['name', 'text'], ['ra', 'double precision'], ['dec', 'double precision'], ['mag', 'double precision'], ['flag', 'boolean'], ['order', 'bigint'], ['note', 'text'],
    ]);
    expect([reg.ra_column, reg.dec_column, reg.id_column]).toEqual(['ra', 'dec', 'name']);
    const rows = await tableRows(reg);
    const lines = fs.readFileSync(path.join(FIXTURES, 'sky.csv'), 'utf8').trim().split('\n').slice(1);
    expect(rows.length).toBe(lines.length);
    rows.forEach((r, i) => {
      const [name, ra, dec, mag, flag, order] = lines[i].split(',');
      expect([r.name, r.ra, r.dec, r.mag, r.flag, r.order]).toEqual([name, Number(ra), Number(dec), mag === '' ? null : Number(mag), flag === 'true', order]);
      expect(r.note).toBe(i % 5 === 0 ? null : `note, ${i}`);
    });
    const { rows: src } = await database.pool.query(`SELECT count(*)::int AS n FROM sources WHERE name = ANY($1::text[])`, [rows.map((r) => r.name)]);
    expect(src[0].n).toBe(30);
  });
});

describe('bad input: an issue naming file, HDU and column; never a crashed job or a half-loaded table', () => {
  it('a ragged CSV is not loaded', async () => {
    expect(await registry('ragged.csv')).toEqual([]);
    expect(await loadIssues('ragged.csv')).toEqual([expect.objectContaining({ severity: 'ERROR', code: 'CATALOGUE_RAGGED_CSV', hdu: null })]);
    expect((await loadIssues('ragged.csv'))[0].message).toMatch(/line 3.*2 fields.*header has 3.*not loaded/);
  });

  it('an unmappable TFORM names its HDU and keyword', async () => {
    const issues = await loadIssues('badform.fits');
    expect(issues).toContainEqual(expect.objectContaining({ code: 'CATALOGUE_UNMAPPED_TFORM', hdu: 1, keyword: 'TFORM5' }));
    // The other table of the file loads.
    expect((await registry('badform.fits')).map((r) => r.hdu)).toEqual([2]);
  });

  it('a value past its column type leaves no table and names the column and line', async () => {
    expect(await registry('overflow.csv')).toEqual([]);
    const [issue] = await loadIssues('overflow.csv');
    expect(issue).toMatchObject({ severity: 'ERROR', code: 'CATALOGUE_VALUE_OVERFLOW', keyword: 'big' });
    expect(issue.message).toMatch(/99999999999999999999.*CSV line 3.*bigint/);
    const { rows } = await database.pool.query(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'cat_dr1' AND tablename LIKE '\\_stage%'`);
    expect(rows[0].n).toBe(0);
  });

  it('3,000 columns are rejected (PostgreSQL allows 1,600; tables are not split)', async () => {
    expect(await registry('wide.csv')).toEqual([]);
    expect(await loadIssues('wide.csv')).toEqual([expect.objectContaining({ code: 'CATALOGUE_TOO_MANY_COLUMNS', severity: 'ERROR' })]);
  });

  it('duplicate names get deterministic suffixes; keywords and reserved names load as they are', async () => {
    const [reg] = await registry('dup.csv');
    expect(reg.columns.map((c) => c.sqlName)).toEqual(['flux', 'flux_2', 'flux_3', 'select', '_row_2', 'c_1st_col']);
    const rows = await tableRows(reg);
    expect(rows).toEqual([{ _row: '1', flux: '1', flux_2: '2', flux_3: '3', select: '4', _row_2: '5', c_1st_col: '6' }]);
    const renamed = (await loadIssues('dup.csv')).filter((i) => i.code === 'CATALOGUE_RENAMED_COLUMN');
    expect(renamed.map((i) => i.keyword)).toEqual(['flux', 'FLUX', '_row']);
  });

  it('a file with a rejected table is INVALID; an empty one is not (dup.csv is INVALID from the analysis: CSV_DUPLICATE_COLUMN)', async () => {
    const { rows } = await database.pool.query(`SELECT path, status FROM files WHERE path = ANY($1) ORDER BY path`, [
      ['ragged.csv', 'badform.fits', 'overflow.csv', 'wide.csv', 'dup.csv', 'zero.csv'],
    ]);
    expect(Object.fromEntries(rows.map((r) => [r.path, r.status]))).toEqual({
      'ragged.csv': 'INVALID',
      'badform.fits': 'INVALID',
      'overflow.csv': 'INVALID',
      'wide.csv': 'INVALID',
      'dup.csv': 'INVALID',
      'zero.csv': 'INGESTED',
    });
  });

  it('a CSV with no rows is an empty table', async () => {
    const [reg] = await registry('zero.csv');
    expect(reg.row_count).toBe(0);
    expect(await tableRows(reg)).toEqual([]);
  });

  it('a loaded table\'s rows are written frozen: every page all-visible, nothing for the first VACUUM to do', async () => {
    const [stars] = await registry('types.fits');
    const t = `"${stars.schema_name}"."${stars.table_name}"`;
    // ANALYZE counts the visibility map's all-visible pages (relallvisible): COPY FREEZE sets
    // them as it writes; a plain COPY leaves them to a VACUUM (and every hint bit to the first reader).
    await database.pool.query(`ANALYZE ${t}`);
    const { rows } = await database.pool.query(`SELECT relpages, relallvisible FROM pg_class WHERE oid = $1::regclass`, [t]);
    expect(rows[0].relpages).toBeGreaterThan(0);
    expect(rows[0].relallvisible).toBe(rows[0].relpages);
    // The primary key is there, built as a unique index first.
    const { rows: pk } = await database.pool.query(`SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = $1::regclass AND contype = 'p'`, [t]);
    expect(pk.map((r) => r.def)).toEqual(['PRIMARY KEY (_row)']);
  });

  it('a FITS file whose only BINTABLE has no rows is an empty table with its typed columns', async () => {
    const [reg] = await registry('zero.fits');
    expect([reg.table_name, reg.row_count, reg.ra_column, reg.dec_column]).toEqual(['nothing', 0, 'ra', 'dec']);
    expect(await tableRows(reg)).toEqual([]);
    const { rows } = await database.pool.query(
      `SELECT column_name, data_type, udt_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position`,
      [reg.schema_name, reg.table_name],
    );
    const type = (r: { data_type: string; udt_name: string }) => (r.data_type === 'ARRAY' ? `${r.udt_name.slice(1)}[]` : r.data_type);
    expect(rows.map((r) => [r.column_name, type(r)])).toEqual([
      ['_row', 'bigint'], ['_hpx', 'bigint'], ['name', 'text'], ['ra', 'double precision'], ['dec', 'double precision'], ['mag', 'real'],
      ['n', 'integer'], ['u16', 'integer'], ['flag', 'boolean'], ['vec', 'float4[]'], ['k', 'bigint'],
    ]);
    expect(reg.columns.find((c) => c.name === 'MAG')?.unit).toBe('mag');
    // The registry says what the (empty) table is: every column without values.
    expect(reg.columns.map((c) => (c as unknown as { nullCount: number }).nullCount)).toEqual(reg.columns.map(() => 0));
    const { rows: file } = await database.pool.query(`SELECT status FROM files WHERE path = 'zero.fits'`);
    expect(file[0].status).toBe('INGESTED');
    expect(await loadIssues('zero.fits')).toEqual([]);
  });
});

describe('re-ingest and crashes', () => {
  it('an unchanged file loads nothing; a changed one replaces its table', async () => {
    const [before] = await registry('ascii.fits');
    const oid = async (reg: Registry) => (await database.pool.query(`SELECT to_regclass($1)::oid::int AS oid`, [`"${reg.schema_name}"."${reg.table_name}"`])).rows[0].oid;
    const oidBefore = await oid(before);
    const r = await loadCatalogue(database.pool, before.file_id);
    expect(r.tables).toEqual([{ hdu: 1, table: 'ascii', rows: 12, status: 'unchanged' }]);
    const [after] = await registry('ascii.fits');
    expect(after.loaded_at).toEqual(before.loaded_at);
    expect(await oid(after)).toBe(oidBefore);

    // A changed file (its checksum in files differs): the table is replaced.
    await database.pool.query(`UPDATE files SET checksum = 'changed' WHERE id = $1`, [before.file_id]);
    const again = await loadCatalogue(database.pool, before.file_id);
    expect(again.tables[0].status).toBe('loaded');
    const [replaced] = await registry('ascii.fits');
    expect(replaced.loaded_checksum).toBe('changed');
    expect(await oid(replaced)).not.toBe(oidBefore);
    expect((await tableRows(replaced)).length).toBe(12);
  });

  it('two loads of one file at once: one loads, the other waits and finds it loaded', async () => {
    const [before] = await registry('types.fits');
    await database.pool.query(`UPDATE files SET checksum = 'concurrent' WHERE id = $1`, [before.file_id]);
    const both = await Promise.all([loadCatalogue(database.pool, before.file_id), loadCatalogue(database.pool, before.file_id)]);
    expect(both.map((r) => r.tables.map((t) => t.status)).sort()).toEqual([['loaded', 'loaded'], ['unchanged', 'unchanged']]);
    const after = await registry('types.fits');
    expect(after.map((r) => [r.table_name, r.loaded_checksum])).toEqual([['stars', 'concurrent'], ['empty', 'concurrent']]);
  });

  it('a crash after the COPY, inside the swap, leaves the old table and registry row', async () => {
    const [before] = await registry('sky.csv');
    const rowsBefore = await tableRows(before);
    await database.pool.query(`UPDATE files SET checksum = 'new bytes' WHERE id = $1`, [before.file_id]);
    await expect(
      loadCatalogue(database.pool, before.file_id, {
        beforeCommit: async () => {
          throw new Error('crash mid-swap');
        },
      }),
    ).rejects.toThrow('crash mid-swap');
    const [after] = await registry('sky.csv');
    expect(after).toEqual(before);
    expect(await tableRows(after)).toEqual(rowsBefore);
    // The rerun (the job's next attempt) loads it.
    const rerun = await loadCatalogue(database.pool, before.file_id);
    expect(rerun.tables[0].status).toBe('loaded');
    const { rows } = await database.pool.query(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'cat_dr1' AND tablename LIKE '\\_stage%'`);
    expect(rows[0].n).toBe(0);
  });
});

describe('table names whatever order the loads run in', () => {
  it('a name two files want belongs to the lower file id, even when that file loads second', async () => {
    const [types] = (await registry('types.fits')).filter((r) => r.table_name === 'stars');
    const [sky] = await registry('sky.csv');
    expect(types.file_id).toBeLessThan(sky.file_id);
    // Replay the other order: types.fits's table gone, sky.csv loads and takes the free name...
    await database.pool.query(`DROP TABLE "cat_dr1"."stars"`);
    await database.pool.query(`DELETE FROM catalogue_tables WHERE file_id = $1 AND hdu = $2`, [types.file_id, types.hdu]);
    await database.pool.query(`UPDATE files SET checksum = 'order 1' WHERE id = $1`, [sky.file_id]);
    await loadCatalogue(database.pool, sky.file_id);
    expect((await registry('sky.csv'))[0].table_name).toBe('stars');
    const skyRows = await tableRows((await registry('sky.csv'))[0]);
    // ...then types.fits loads: it takes the name back and sky.csv's table moves, rows and all.
    await database.pool.query(`UPDATE files SET checksum = 'order 2' WHERE id = $1`, [types.file_id]);
    await loadCatalogue(database.pool, types.file_id);
    expect((await registry('types.fits')).find((r) => r.hdu === types.hdu)!.table_name).toBe('stars');
    const [moved] = await registry('sky.csv');
    expect(moved.table_name).toBe(sky.table_name);
    expect(await tableRows(moved)).toEqual(skyRows);
  });
});
