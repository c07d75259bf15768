/**
 * The batch's finish statement must not let statistics about this run's files choose its
 * plan. With statistics taken while another run's files filled the table (this run's PENDING
 * files look rare), the planner once chose a nested loop over a sequential scan of `files`:
 * 1.2-1.6 s per batch instead of ~30 ms. EXPLAIN is how a test can see a plan; CI runs it on
 * PostgreSQL 18 (embedded) and 15, whose plans differ.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { finishBatch } from '../../src/db/queries/finish-batch.js';
import { registerFiles } from '../../src/db/queries/register-files.js';
import { appendAnalysis, emptyColumns } from '../../src/ingest/analyze/columns.js';
import { createTestDatabase } from '../helpers/db.js';

let db: Database;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.close());

const chunk = (prefix: string, n: number) => ({
  paths: Array.from({ length: n }, (_, i) => `${prefix}/${i}.log`),
  sizes: Array.from({ length: n }, () => 10),
  mtimesMs: Array.from({ length: n }, () => 0),
});

describe('finish-batch plan', () => {
  it('does not nest a scan of files when statistics make the run look empty', async () => {
    const q = (sql: string, p: unknown[] = []) => db.pool.query(sql, p);
    await q(`INSERT INTO surveys (name) VALUES ('PLAN')`);
    const { rows: [rel] } = await q(`INSERT INTO releases (survey_id, name) SELECT id, 'DR1' FROM surveys WHERE name = 'PLAN' RETURNING id`);
    const run = async () => Number((await q(`INSERT INTO ingestion_runs (release_id, path, status) VALUES ($1, '/x', 'RUNNING') RETURNING id`, [rel.id])).rows[0].id);
    // An earlier run's 20,000 processed files, analysed: PENDING files of a new run look rare.
    const first = await run();
    for (let c = 0; c < 4; c++) await registerFiles(db.pool, Number(rel.id), first, chunk(`old${c}`, 5000), 3, c === 0);
    await q(`UPDATE files SET status = 'INGESTED'`);
    await q('ANALYZE files');
    const second = await run();
    await registerFiles(db.pool, Number(rel.id), second, chunk('new', 1000), 3);
    const { rows: ids } = await q(`SELECT id FROM files WHERE run_id = $1 ORDER BY id`, [second]);

    const cols = emptyColumns();
    for (const { id } of ids) {
      appendAnalysis(cols, { id: Number(id), path: `${id}`, outcome: 'INGESTED', kind: 'BLOB', sizeBytes: 10, checksum: 'x', hdus: [], issues: [], record: null, stages: {} });
    }
    let plan = '';
    const explaining = Object.create(db.pool, {
      query: { value: async (sql: string, params: unknown[]) => {
        plan = (await db.pool.query(`EXPLAIN ${sql}`, params)).rows.map((r) => r['QUERY PLAN']).join('\n');
        return { rows: [{}] };
      } },
    });
    await finishBatch(explaining, second, Number(rel.id), cols, ids.map(() => null), 0, {}, [], new Set());
    const update = plan.slice(plan.indexOf('Update on files'), plan.indexOf('CTE rec_in'));
    // A seq scan of files may be the cheaper way to find 1,000 rows of a small table (a hash
    // join); rescanning it, or the batch, once per row of the other side may not.
    expect(update, plan).not.toMatch(/Nested Loop[\s\S]*Seq Scan on files/);
    expect(update, plan).not.toMatch(/rows=1 width=\d+\)\n\s+Filter: .*run_id/);
  });
});
