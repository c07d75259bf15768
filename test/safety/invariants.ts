/**
 * What a finished run must look like whatever happened on the way (crashes, several
 * workers, re-ingests): the evidence the safety tests share.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { analyzeFile, createScratch } from '../../src/ingest/analyze/analyze-file.js';
import { compileRules, DEFAULT_RULES } from '../../src/ingest/rules.js';
import { orphanRows } from '../helpers/ingest.js';

/**
 * Test-only instrumentation of the cloned test database: every write of a file's
 * `processed_at` is logged, so "each file was written once" is a count, not a guess. Both
 * ways a file gets its outcome count: updated (a registered file) and inserted (a release's
 * first ingest writes each file once, in its final state).
 */
export async function logProcessedAtWrites(database: Database): Promise<void> {
  await database.pool.query(`
    CREATE TABLE IF NOT EXISTS test_processed_writes (file_id bigint NOT NULL, at timestamptz NOT NULL DEFAULT clock_timestamp());
    CREATE OR REPLACE FUNCTION test_log_processed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF (TG_OP = 'INSERT' AND NEW.processed_at IS NOT NULL) OR (TG_OP = 'UPDATE' AND NEW.processed_at IS DISTINCT FROM OLD.processed_at) THEN
        INSERT INTO test_processed_writes (file_id) VALUES (NEW.id);
      END IF;
      RETURN NEW;
    END $$;
    DROP TRIGGER IF EXISTS test_log_processed ON files;
    CREATE TRIGGER test_log_processed AFTER INSERT OR UPDATE ON files FOR EACH ROW EXECUTE FUNCTION test_log_processed();`);
}

export interface Expected {
  status: 'INGESTED' | 'INVALID';
  hdus: number;
  /** "SEVERITY CODE hdu keyword" per issue, sorted. */
  issues: string[];
}

/** What each file of a release directory must end up as, from the same analysis code, run here. */
export function expectedResults(dir: string): Map<string, Expected> {
  const rules = compileRules(DEFAULT_RULES);
  const scratch = createScratch();
  const out = new Map<string, Expected>();
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const p = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) {
        const r = analyzeFile({ id: 0, path: p, absPath: path.join(dir, p) }, rules.ruleFor(p), scratch);
        if (r.outcome !== 'INGESTED' && r.outcome !== 'INVALID') throw new Error(`fixture ${p} is ${r.outcome}: ${r.error}`);
        out.set(p, { status: r.outcome, hdus: r.hdus.length, issues: r.issues.map(issueKey).sort() });
      }
    }
  };
  walk('');
  return out;
}

function issueKey(i: { severity: string; code: string; hdu: number | null; keyword: string | null }): string {
  return `${i.severity} ${i.code} ${i.hdu ?? '-'} ${i.keyword ?? '-'}`;
}

/**
 * One file row per path, one record per file, exactly the expected HDUs and issues per file
 * (no duplicates, none missing), counters equal to the number of files.
 */
export async function expectExactlyOnce(database: Database, runId: number, expected: Map<string, Expected>): Promise<void> {
  const { rows: runs } = await database.pool.query(`SELECT * FROM ingestion_runs WHERE id = $1`, [runId]);
  const run = runs[0];
  const n = expected.size;
  const invalid = [...expected.values()].filter((e) => e.status === 'INVALID').length;
  expect(run.status).toBe('SUCCEEDED');
  expect({ total: run.total_files, processed: run.processed_files, ingested: run.ingested_files, invalid: run.invalid_files, failed: run.failed_files }).toEqual({
    total: n,
    processed: n,
    ingested: n - invalid,
    invalid,
    failed: 0,
  });

  const { rows: files } = await database.pool.query<{ id: number; path: string; status: string; processed_at: Date | null }>(
    `SELECT id, path, status, processed_at FROM files WHERE release_id = $1`,
    [run.release_id],
  );
  expect(files).toHaveLength(n);
  expect(new Set(files.map((f) => f.path)).size).toBe(n);
  expect(files.filter((f) => f.processed_at === null)).toEqual([]);
  // The run ends after its last file, not when the statement that ended it began waiting.
  const lastProcessed = Math.max(...files.map((f) => f.processed_at!.getTime()));
  expect(run.finished_at.getTime()).toBeGreaterThanOrEqual(lastProcessed);

  const { rows: recs } = await database.pool.query(`SELECT count(*)::int AS n, count(DISTINCT file_id)::int AS files FROM records WHERE release_id = $1`, [run.release_id]);
  expect(recs[0]).toEqual({ n, files: n });

  const { rows: hdus } = await database.pool.query<{ file_id: number; n: number }>(
    `SELECT h.file_id, count(*)::int AS n FROM hdus h JOIN files f ON f.id = h.file_id WHERE f.release_id = $1 GROUP BY 1`,
    [run.release_id],
  );
  const { rows: issues } = await database.pool.query<{ file_id: number; keys: string[] }>(
    `SELECT i.file_id, array_agg(i.severity || ' ' || i.code || ' ' || coalesce(i.hdu::text, '-') || ' ' || coalesce(i.keyword, '-') ORDER BY 1) AS keys
     FROM validation_issues i JOIN files f ON f.id = i.file_id WHERE f.release_id = $1 GROUP BY 1`,
    [run.release_id],
  );
  const hdusOf = new Map(hdus.map((h) => [Number(h.file_id), h.n]));
  const issuesOf = new Map(issues.map((i) => [Number(i.file_id), i.keys]));
  const wrong: string[] = [];
  for (const f of files) {
    const e = expected.get(f.path);
    if (!e) {
      wrong.push(`${f.path}: not expected`);
      continue;
    }
    const gotIssues = [...(issuesOf.get(Number(f.id)) ?? [])].sort();
    if (f.status !== e.status) wrong.push(`${f.path}: status ${f.status}, expected ${e.status}`);
    if ((hdusOf.get(Number(f.id)) ?? 0) !== e.hdus) wrong.push(`${f.path}: ${hdusOf.get(Number(f.id)) ?? 0} HDUs, expected ${e.hdus}`);
    if (JSON.stringify(gotIssues) !== JSON.stringify(e.issues)) wrong.push(`${f.path}: issues ${JSON.stringify(gotIssues)}, expected ${JSON.stringify(e.issues)}`);
  }
  expect(wrong.slice(0, 10)).toEqual([]);
  expect(await orphanRows(database)).toEqual({ hdus: 0, issues: 0, records: 0, record_sources: 0, files: 0 });
}

/** How many times each file's processed_at was written (logProcessedAtWrites must be installed). */
export async function processedWritesPerFile(database: Database, releaseId: number): Promise<Map<number, number>> {
  const { rows } = await database.pool.query<{ id: number; n: number }>(
    `SELECT f.id, count(w.file_id)::int AS n FROM files f LEFT JOIN test_processed_writes w ON w.file_id = f.id WHERE f.release_id = $1 GROUP BY f.id`,
    [releaseId],
  );
  return new Map(rows.map((r) => [Number(r.id), r.n]));
}
