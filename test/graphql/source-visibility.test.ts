/**
 * Sources belong to no release, so their names leaked: anonymous `source(id)` answered for
 * sources only draft releases had (59 of 61 sampled ids). A source is visible only through a
 * record the caller can see: anonymous callers need one in a published release, token holders
 * any record; a source with no record is nobody's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { createTestDatabase } from '../helpers/db.js';
import { ADMIN, createHarness } from './harness.js';
import { seed, type Seed } from './seed.js';

let database: Database;
let s: Seed;
let h: ReturnType<typeof createHarness>;
let draftOnly: number;
let orphan: number;

beforeAll(async () => {
  database = await createTestDatabase();
  s = await seed(database, { files: 6 });
  h = createHarness(database);
  const q = async (sql: string, params: unknown[] = []) => (await database.pool.query(sql, params)).rows;
  [{ id: draftOnly }] = await q(`INSERT INTO sources (name) VALUES ('SECRET-DRAFT-TARGET') RETURNING id`);
  [{ id: orphan }] = await q(`INSERT INTO sources (name) VALUES ('NO-RECORD') RETURNING id`);
  // One of the draft's records now observes the draft-only source.
  await q(`UPDATE records SET source_id = $1 WHERE file_id = $2`, [draftOnly, s.draftFileIds[0]]);
});
afterAll(async () => {
  await database?.close();
});

const SOURCE = 'query($id: ID!) { source(id: $id) { name records { file { path } } } }';

describe('source visibility', () => {
  it('hides a source only a draft release observes from anonymous callers, shows it to token holders', async () => {
    const anon = await h.exec(SOURCE, { id: String(draftOnly) });
    expect(anon.errors).toBeUndefined();
    expect(anon.data.source).toBeNull();
    const admin = await h.exec(SOURCE, { id: String(draftOnly) }, ADMIN);
    expect(admin.data.source).toEqual({ name: 'SECRET-DRAFT-TARGET', records: [{ file: { path: 'draft/0001.fits' } }] });
  });

  it('shows a source with a published record, with its published records only', async () => {
    const r = await h.exec(SOURCE, { id: String(s.sourceIds[0]) });
    expect(r.errors).toBeUndefined();
    expect(r.data.source.name).toBe('GAMA-1');
    expect(r.data.source.records.length).toBeGreaterThan(0);
    expect(r.data.source.records.every((rec: { file: { path: string } }) => rec.file.path.startsWith('spec/'))).toBe(true);
  });

  it('hides a source without records from everyone, like an unknown id', async () => {
    for (const viewer of [null, ADMIN]) {
      expect((await h.exec(SOURCE, { id: String(orphan) }, viewer)).data.source).toBeNull();
      expect((await h.exec(SOURCE, { id: '999999' }, viewer)).data.source).toBeNull();
    }
  });

  it('checks many sources in one statement, not one per source', async () => {
    const ids = [...s.sourceIds, draftOnly, orphan];
    const query = `{ ${ids.map((id, i) => `s${i}: source(id: "${id}") { name }`).join(' ')} }`;
    const r = await h.exec(query);
    expect(r.errors).toBeUndefined();
    expect(Object.values(r.data).map((v) => (v as { name: string } | null)?.name ?? null)).toEqual(['GAMA-1', 'GAMA-2', 'GAMA-3', null, null]);
    expect(r.queries).toBe(2); // sources by id, and their visibility
  });
});
