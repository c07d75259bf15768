/**
 * `astroarchive crossmatch` as a user runs it: a CSV of positions against a database holding a
 * few records, the nearest match per row as CSV or JSON, and one-line errors for a file
 * without ra/dec columns or a bad radius.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { ang2pixNest } from '../../src/sky/index.js';
import { runCli } from '../helpers/cli-process.js';
import { createTestDatabase } from '../helpers/db.js';
import { tempDir } from '../helpers/ingest.js';

let db: Database;
let dir: string;
let env: NodeJS.ProcessEnv;

// Records (id, ra, dec, release status): two near the first position, one across RA 0, one
// near the south pole, one in a draft release.
const RECORDS: Array<[number, number, number, string]> = [
  [1, 10, 20, 'published'],
  [2, 10 + 1.5 / 3600, 20, 'published'], // 1.41" from (10, 20)
  [3, 359.99995, -5, 'published'],
  [4, 200, -89.9999, 'published'],
  [5, 150, 30, 'draft'],
];

beforeAll(async () => {
  db = await createTestDatabase();
  dir = tempDir('astroarchive-crossmatch-cli-');
  env = { DATABASE_URL: db.url, ARCHIVE_HOME: dir, LOG_LEVEL: 'warn' };
  const q = (sql: string, p: unknown[] = []) => db.pool.query(sql, p);
  await q(`INSERT INTO surveys (name) VALUES ('XMCLI')`);
  const { rows } = await q(`INSERT INTO releases (survey_id, name, status) SELECT id, n, n FROM surveys, (VALUES ('published'), ('draft')) v(n) RETURNING id, status`);
  const rel = Object.fromEntries(rows.map((r) => [r.status, r.id]));
  for (const [id, ra, dec, status] of RECORDS) {
    await q(`INSERT INTO records (id, file_id, release_id, product_type, center_ra, center_dec, hpx) VALUES ($1, $1, $2, 'spectrum', $3, $4, $5)`, [id, rel[status], ra, dec, ang2pixNest(24, ra, dec)]);
  }
});

afterAll(async () => {
  await db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function csv(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

describe('astroarchive crossmatch', () => {
  it('prints the nearest record per matched row as CSV, and as JSON with --json', async () => {
    const file = csv('positions.csv', 'name,RA,Dec\na,10.0001,20\nb,0.00001,-5\nc,20,-89.99995\nd,150,30\ne,50,50\n');
    const r = await runCli(['crossmatch', file, '--radius', '2'], env);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe('row,ra,dec,record_id,record_ra,record_dec,distance_arcsec');
    // a: record 1 (0.34") and record 2 (1.07") are both within 2": the nearest wins.
    expect(lines.slice(1).map((l) => l.split(',').slice(0, 4).join(','))).toEqual(['1,10.0001,20,1', '2,0.00001,-5,3', '3,20,-89.99995,4']);
    expect(r.stderr).toContain('3 of 5 positions matched within 2"');

    const j = await runCli(['crossmatch', file, '--radius', '2', '--all', '--json'], env);
    expect(j.code, j.stderr).toBe(0);
    const out = JSON.parse(j.stdout);
    expect(out.positions).toBe(5);
    expect(out.matchedPositions).toBe(3);
    expect(out.matches.map((m: { row: number; recordId: number }) => [m.row, m.recordId])).toEqual([[1, 1], [1, 2], [2, 3], [3, 4]]);
    for (const m of out.matches) expect(m.distanceArcsec).toBeLessThanOrEqual(2);

    const drafts = await runCli(['crossmatch', file, '--include-drafts', '--json'], env);
    expect(JSON.parse(drafts.stdout).matches.map((m: { recordId: number }) => m.recordId)).toContain(5);
  }, 120_000);

  it('explains a file without ra/dec columns and a bad radius in one line', async () => {
    const bad = await runCli(['crossmatch', csv('bad.csv', 'x,y\n1,2\n')], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toContain('must name an "ra" and a "dec" column');
    const radius = await runCli(['crossmatch', csv('ok.csv', 'ra,dec\n1,2\n'), '--radius', '0'], env);
    expect(radius.code).toBe(2);
    expect(radius.stderr).toContain('--radius must be a number of arcseconds in (0, 3600]');
  }, 120_000);

  it('runs beside `astroarchive start`: with the home owned by a live process, it uses that process\'s database', async () => {
    // The home as a running `start` leaves it: its owner's pid (this test process, alive) and
    // the URL of the server it runs. No DATABASE_URL: a user's shell beside `npm start`.
    const home = tempDir('astroarchive-crossmatch-home-');
    fs.writeFileSync(path.join(home, 'owner.lock'), String(process.pid));
    fs.writeFileSync(path.join(home, 'database-url'), db.url);
    const r = await runCli(['crossmatch', csv('beside.csv', 'ra,dec\n10.0001,20\n'), '--radius', '2'], { ARCHIVE_HOME: home, DATABASE_URL: '', LOG_LEVEL: 'warn' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n').slice(1).map((l) => l.split(',')[3])).toEqual(['1']);
    expect(fs.readFileSync(path.join(home, 'owner.lock'), 'utf8')).toBe(String(process.pid)); // not taken over
    fs.rmSync(home, { recursive: true, force: true });
  }, 120_000);
});
