/**
 * Files finished over a run's life, from its progress rows (run_progress: one per statement that
 * moved its processed counter, written by that statement): counts per equal interval from the
 * run's start to its end (or now). One statement for any number of runs, through
 * run_progress_run_idx (a row per batch, so a dashboard's read is small whatever the release).
 * Read from the run's own rows, not the files': a later run of the release takes its files over.
 */
import type pg from 'pg';

export interface ThroughputPoint {
  seconds: number;
  filesPerSecond: number;
  processedFiles: number;
}

const SQL = `
WITH span AS (
  SELECT id, release_id, started_at,
         greatest(extract(epoch FROM coalesce(finished_at, clock_timestamp()) - started_at), 0.001)::float8 AS secs
  FROM ingestion_runs WHERE id = ANY($1::bigint[]) AND started_at IS NOT NULL
), pts AS (
  SELECT s.id, s.secs, greatest(1, least($2::int, ceil(s.secs)::int)) AS n FROM span s
)
SELECT p.id::float8 AS run_id, p.secs, p.n,
       least(width_bucket(greatest(extract(epoch FROM g.at - s.started_at)::float8, 0), 0, p.secs, p.n), p.n) AS b,
       coalesce(sum(g.files), 0)::int AS files
FROM pts p JOIN span s ON s.id = p.id
LEFT JOIN run_progress g ON g.run_id = s.id
GROUP BY p.id, p.secs, p.n, b`;

/** Per run id: `points` intervals (fewer for a run shorter than that many seconds), zeros included. */
export async function loadRunThroughput(pool: pg.Pool, runIds: readonly number[], points: number): Promise<Map<number, ThroughputPoint[]>> {
  const { rows } = await pool.query<{ run_id: number; secs: number; n: number; b: number | null; files: number }>(SQL, [runIds, points]);
  const counts = new Map<number, { secs: number; n: number; per: number[] }>();
  for (const r of rows) {
    let c = counts.get(r.run_id);
    if (!c) counts.set(r.run_id, (c = { secs: r.secs, n: r.n, per: new Array<number>(r.n).fill(0) }));
    if (r.b !== null && r.b >= 1) c.per[r.b - 1] += r.files;
  }
  const out = new Map<number, ThroughputPoint[]>();
  for (const id of runIds) {
    const c = counts.get(id);
    if (!c) {
      out.set(id, []);
      continue;
    }
    const width = c.secs / c.n;
    let total = 0;
    out.set(
      id,
      c.per.map((files, i) => {
        total += files;
        return { seconds: width * (i + 1), filesPerSecond: files / width, processedFiles: total };
      }),
    );
  }
  return out;
}
