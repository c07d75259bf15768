/**
 * `astroarchive crossmatch --table` as a user runs it: a loaded catalogue table's rows against
 * the records and against another loaded table, as CSV and JSON, drafts' tables refused
 * without --include-drafts, and unknown names as one-line errors.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { ang2pixNest } from '../../src/sky/index.js';
import type { RunningWorker } from '../../src/worker/runner.js';
import { crossmatchSql } from '../../src/db/queries/crossmatch.js';
import { runCli } from '../helpers/cli-process.js';
import { createTestDatabase } from '../helpers/db.js';
import { startTestWorker, tempDir } from '../helpers/ingest.js';
import { ingestAndLoad } from '../catalogue/fixture.js';

let db: Database;
let worker: RunningWorker;
let root: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  db = await createTestDatabase();
  worker = await startTestWorker(db);
  root = tempDir('astroarchive-xm-table-');
  env = { DATABASE_URL: db.url, ARCHIVE_HOME: root, LOG_LEVEL: 'warn' };
  fs.mkdirSync(path.join(root, 'dr1'));
  // stars: row 1 near record 7 (0.36") and near two rows of near.csv; row 2 near nothing; row 3 near the pole.
  fs.writeFileSync(path.join(root, 'dr1', 'stars.csv'), 'name,ra,dec\na,10,20\nb,50,50\nc,200,-89.9999\n');
  fs.writeFileSync(path.join(root, 'dr1', 'near.csv'), 'id,ra,dec\nx,10.0001,20\ny,10,20.0002\nz,200.01,-89.99995\n');
  await ingestAndLoad(db, root, 'dr1', 'XMC', 'DR1');
  const { rows } = await db.pool.query(`INSERT INTO releases (survey_id, name, status) SELECT id, 'P', 'published' FROM surveys LIMIT 1 RETURNING id`);
  await db.pool.query(`INSERT INTO records (id, file_id, release_id, product_type, center_ra, center_dec, hpx) VALUES (7, 7, $1, 'spectrum', 10.0001, 20, $2)`, [rows[0].id, ang2pixNest(24, 10.0001, 20)]);
}, 200_000);

afterAll(async () => {
  await worker?.stop();
  await db?.close();
  fs.rmSync(root, { recursive: true, force: true });
});

describe('astroarchive crossmatch --table', () => {
  it('a draft\'s table needs --include-drafts; then its rows against the records, as CSV', async () => {
    const refused = await runCli(['crossmatch', '--table', 'xmc_dr1.stars'], env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/draft release; add --include-drafts/);
    const r = await runCli(['crossmatch', '--table', 'xmc_dr1.stars', '--include-drafts'], env);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe('row,ra,dec,record_id,record_ra,record_dec,distance_arcsec');
    expect(lines.slice(1)).toHaveLength(1);
    const [row, , , id, , , d] = lines[1].split(',');
    expect([row, id]).toEqual(['1', '7']);
    expect(Number(d)).toBeCloseTo(0.3383, 3);
    expect(r.stderr).toMatch(/1 of 3 rows of xmc_dr1\.stars matched within 1" against records/);
  });

  it('against another table, every match within the radius with --all, as JSON', async () => {
    const r = await runCli(['crossmatch', '--table', 'xmc_dr1.stars', '--against', 'xmc_dr1.near', '--radius', '2', '--all', '--include-drafts', '--json'], env);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ rows: 3, matchedRows: 2 });
    expect(out.matches.map((m: { row: number; matchId: number }) => [m.row, m.matchId])).toEqual([[1, 1], [1, 2], [3, 3]]);
  });

  it('probes the other table by index only: its _hpx index carries _row, RA and Dec', async () => {
    const { rows: tables } = await db.pool.query(`SELECT schema_name, table_name, ra_column, dec_column FROM catalogue_tables WHERE table_name = 'near'`);
    expect(tables).toHaveLength(1);
    const t = { schema: tables[0].schema_name, table: tables[0].table_name, raColumn: tables[0].ra_column, decColumn: tables[0].dec_column };
    const { text, values } = crossmatchSql([10, 200], [20, -89.9999], { table: t, radiusArcsec: 2, all: true });
    const client = await db.pool.connect();
    try {
      // Three rows: left to itself the planner would rather sort a sequential scan; with the
      // index as the only way in, a missing INCLUDE column shows as a plain Index Scan.
      await client.query('BEGIN; SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = off');
      const { rows } = await client.query(`EXPLAIN (COSTS OFF) ${text}`, values);
      const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
      expect(plan).toMatch(/Index Only Scan using _hpx_\w+ on near r/);
      const { rows: matches } = await client.query(text, values);
      expect(matches.map((m) => Number(m.id))).toEqual([1, 2, 3]);
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });

  it('an unknown table is a one-line error', async () => {
    const r = await runCli(['crossmatch', '--table', 'nope.nothing'], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--table nope\.nothing: no such loaded table/);
  });
});
