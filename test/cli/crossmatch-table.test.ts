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

  it('an unknown table is a one-line error', async () => {
    const r = await runCli(['crossmatch', '--table', 'nope.nothing'], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--table nope\.nothing: no such loaded table/);
  });
});
