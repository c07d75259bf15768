/**
 * Files finished over a run's life, from each file's `processed_at` (set by the statement that
 * wrote its batch, so a batch's files share one time): counts per equal interval from the
 * run's start to its end (or now). One statement for any number of runs; it reads the
 * release's files through files_release_id_idx (no index on run_id or processed_at, on purpose:
 * see schema.ts), so it costs a pass over the release's rows — a dashboard asks for one run.
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
       least(width_bucket(extract(epoch FROM f.processed_at - s.started_at)::float8, 0, p.secs, p.n), p.n) AS b,
       count(f.id)::int AS files
FROM pts p JOIN span s ON s.id = p.id
LEFT JOIN files f ON f.release_id = s.release_id AND f.run_id = s.id AND f.processed_at >= s.started_at
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
