/**
 * Physical layout the ingest's speed depends on (migration 0006):
 * - A batch's update of its files must be HOT (no index writes), which PostgreSQL can only do
 *   when the new row version fits on the page of the old one. A HOT update never leaves the
 *   page, so the test compares each row's block before and after (ctid); with the old
 *   fillfactor (80) about four in five rows moved.
 * - Records without a source stay out of the source index, and the loaders' lookup by source
 *   can still use that (partial) index.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { finishBatch } from '../../src/db/queries/finish-batch.js';
import { registerFiles } from '../../src/db/queries/register-files.js';
import { appendAnalysis, emptyColumns } from '../../src/ingest/analyze/columns.js';
import { createTestDatabase } from '../helpers/db.js';

let db: Database;
let releaseId: number;
let runId: number;
beforeAll(async () => {
  db = await createTestDatabase();
  await db.pool.query(`INSERT INTO surveys (name) VALUES ('HOT')`);
  releaseId = Number((await db.pool.query(`INSERT INTO releases (survey_id, name) SELECT id, 'DR1' FROM surveys WHERE name = 'HOT' RETURNING id`)).rows[0].id);
  runId = Number((await db.pool.query(`INSERT INTO ingestion_runs (release_id, path, status) VALUES ($1, '/x', 'RUNNING') RETURNING id`, [releaseId])).rows[0].id);
});
afterAll(() => db.close());

const blocks = async (ids: number[]) => {
  const { rows } = await db.pool.query(`SELECT id, (ctid::text::point)[0]::int AS block FROM files WHERE id = ANY($1) ORDER BY id`, [ids]);
  return rows.map((r) => `${r.id}@${r.block}`);
};

describe('files and records layout', () => {
  it("keeps each file on its page when its batch writes the outcome (HOT updates)", async () => {
    const n = 2000;
    // Paths as long as a survey's real ones (GALAH: ~60 characters), with a full checksum and
    // the longest kind: the widest update the ingest makes.
    const paths = Array.from({ length: n }, (_, i) => `spectra/com1/1311/${String(131116003201001 + i)}/galah_dr4_spectrum_${String(i).padStart(7, '0')}.fits`);
    await registerFiles(db.pool, releaseId, runId, { paths, sizes: paths.map(() => 57_600), mtimesMs: paths.map(() => 1.7e12) }, 3, true);
    const ids = (await db.pool.query(`SELECT id FROM files WHERE run_id = $1 ORDER BY id`, [runId])).rows.map((r) => Number(r.id));
    expect(ids).toHaveLength(n);
    const before = await blocks(ids);

    const cols = emptyColumns();
    for (const id of ids) {
      appendAnalysis(cols, { id, path: `${id}`, outcome: 'INGESTED', kind: 'SPECTRUM', sizeBytes: 57_600, checksum: 'f'.repeat(64), hdus: [], issues: [], record: null, stages: {} });
    }
    await finishBatch(db.pool, runId, releaseId, cols, ids.map(() => null), 0, {}, [], new Set());

    const { rows: [done] } = await db.pool.query(`SELECT count(*)::int AS n FROM files WHERE run_id = $1 AND status = 'INGESTED' AND checksum IS NOT NULL`, [runId]);
    expect(done.n).toBe(n);
    expect(await blocks(ids)).toEqual(before);
  });

  it('leaves records without a source out of the source index, which lookups by source still use', async () => {
    const { rows: [idx] } = await db.pool.query(`SELECT pg_get_indexdef('records_source_idx'::regclass) AS def`);
    expect(idx.def).toMatch(/WHERE \(source_id IS NOT NULL\)/);
    const client = await db.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SET LOCAL enable_seqscan = off');
      await client.query('SET LOCAL plan_cache_mode = force_generic_plan');
      // The loaders' statement shape (src/loaders): an array parameter, planned generically.
      await client.query(`PREPARE by_source(bigint[]) AS SELECT id FROM records rec WHERE rec.source_id = ANY($1) ORDER BY rec.id`);
      const plan = (await client.query(`EXPLAIN EXECUTE by_source('{1,2}')`)).rows.map((r) => r['QUERY PLAN']).join('\n');
      expect(plan).toMatch(/records_source_idx/);
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });
});
