/**
 * Migration 0004 packs headers stored before it in SQL; what it writes must be exactly what
 * packHeader writes for new ingests, or old and new rows would read back differently.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { packHeader, unpackHeader } from '../../src/fits/header-text.js';
import { bufferSource, readStructure } from '../../src/fits/index.js';
import { ALL_FIXTURES } from '../fits/fixtures.js';
import { createTestDatabase } from '../helpers/db.js';

const MIGRATION = fs.readFileSync(new URL('../../drizzle/0004_hdus_packed_headers.sql', import.meta.url), 'utf8');
const card = (s: string) => s.padEnd(80, ' ');

let db: Database;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.close());

describe('migration 0004 (packed headers)', () => {
  it('packs 80-column headers exactly as packHeader does', async () => {
    const raws = [
      ...ALL_FIXTURES.flatMap((fx) => readStructure(bufferSource(fx.bytes)).hdus.map((h) => h.rawHeader)),
      card("UNIT    = '\\AA'") + card('HISTORY a\nb\rc \\n') + card('END'),
      card(''),
      card('') + card('') + card('END'),
    ].map((s) => s.replace(/\0/g, '\uFFFD'));
    const { rows: [release] } = await db.pool.query(
      `WITH s AS (INSERT INTO surveys (name) VALUES ('MIG') RETURNING id)
       INSERT INTO releases (survey_id, name) SELECT id, 'DR1' FROM s RETURNING id`,
    );
    const { rows: [file] } = await db.pool.query(
      `INSERT INTO files (release_id, path, size_bytes, mtime_ms) VALUES ($1, 'a.fits', 1, 0) RETURNING id`,
      [release.id],
    );
    await db.pool.query(
      `INSERT INTO hdus (file_id, index, type, naxis, header)
       SELECT $1, i - 1, 'IMAGE', '{}', h FROM unnest($2::text[]) WITH ORDINALITY AS t(h, i)`,
      [file.id, raws],
    );
    await db.pool.query(MIGRATION);
    const { rows } = await db.pool.query('SELECT index, header FROM hdus WHERE file_id = $1 ORDER BY index', [file.id]);
    expect(rows).toHaveLength(raws.length);
    rows.forEach((r, i) => {
      expect(r.header, `header ${i}`).toBe(packHeader(raws[i]));
      expect(unpackHeader(r.header)).toBe(raws[i]);
    });
  });
});
