/**
 * Loading the find benchmark's rows set-at-a-time into the real tables (a published release,
 * its files, sources and records): one INSERT ... SELECT FROM unnest(...) per batch of
 * 100,000 rows, the next batch generated while the previous one is written. The secondary
 * indexes are dropped first and built after the load, as a bulk load would: the sky
 * indexes' build is the figure the benchmark reports.
 */
import type pg from 'pg';
import { generateBatch, KIND_SQL, type Field, type FindShape } from './data.js';

export const BATCH_ROWS = 100_000;
export const SKY_INDEXES = ['records_hpx_idx', 'records_coverage_idx'];

export interface Release {
  releaseId: number;
  firstSourceId: number;
  sources: number;
}

/** Distinct source names: one per 50 records (a third of the spectra have one). */
export function sourceCount(rows: number): number {
  return Math.max(10, Math.round(rows / 50));
}

export function sourceName(i: number): string {
  return `FB J${String(i).padStart(7, '0')}`;
}

/** A survey, a published release and the sources, each one statement. */
export async function createRelease(pool: pg.Pool, rows: number): Promise<Release> {
  const { rows: [rel] } = await pool.query(
    `WITH s AS (INSERT INTO surveys (name) VALUES ('FINDBENCH') RETURNING id)
     INSERT INTO releases (survey_id, name, status, published_at) SELECT id, 'DR1', 'published', now() FROM s RETURNING id`,
  );
  const sources = sourceCount(rows);
  const { rows: [src] } = await pool.query(
    `WITH ins AS (INSERT INTO sources (name) SELECT 'FB J' || lpad(g::text, 7, '0') FROM generate_series(1, $1::int) g RETURNING id)
     SELECT min(id) AS first FROM ins`,
    [sources],
  );
  return { releaseId: Number(rel.id), firstSourceId: Number(src.first), sources };
}

export interface IndexDef {
  name: string;
  definition: string;
}

/** Drops the indexes of `table` that back no constraint; returns their definitions. */
export async function dropSecondaryIndexes(pool: pg.Pool, table: string): Promise<IndexDef[]> {
  const { rows } = await pool.query(
    `SELECT i.relname AS name, pg_get_indexdef(x.indexrelid) AS definition
     FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
     WHERE x.indrelid = $1::regclass AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
     ORDER BY i.relname`,
    [table],
  );
  for (const r of rows) await pool.query(`DROP INDEX "${r.name}"`);
  return rows;
}

/** (Re)builds indexes one by one; seconds per index. */
export async function buildIndexes(client: pg.ClientBase, defs: IndexDef[]): Promise<Record<string, number>> {
  const seconds: Record<string, number> = {};
  for (const d of defs) {
    const t = performance.now();
    await client.query(d.definition);
    seconds[d.name] = (performance.now() - t) / 1000;
  }
  return seconds;
}

const u = (salt: number) => `((hashint8extended(id, ${salt}) & 1048575) / 1048576.0)::float8`;

/**
 * The records of one batch. Columns the sky does not decide are functions of the id (the
 * same on every server), so the q3c table gets the same rows from the same arrays.
 */
const INSERT_RECORDS = `
INSERT INTO records (id, file_id, release_id, product_type, source_id, center_ra, center_dec, footprint,
                     spectral_min, spectral_max, spectral_unit, dataproduct_type, obs_id, calib_level,
                     em_min, em_max, t_min, t_max, t_exptime, facility_name, instrument_name, fov, hpx, coverage)
SELECT id, id, $6::int8, kind, CASE WHEN kind = 'spectrum' AND id % 3 = 0 THEN $7::int8 + (hashint8extended(id, 7) & 2147483647) % $8::int8 END,
       ra, dec, fp::jsonb, em_min, em_max, CASE WHEN em_min IS NOT NULL THEN 'm' END, kind, 'FINDBENCH/DR1/find/' || id, 2,
       em_min, em_max, t_min, t_min + t_exptime / 86400, t_exptime, 'BENCH', CASE kind WHEN 'spectrum' THEN 'SPEC' ELSE 'CAM' END,
       CASE WHEN fp IS NOT NULL THEN 0.0566 END, hpx, cov::int8multirange
FROM (
  SELECT id, kind, ra, dec, hpx, cov, fp,
         CASE kind WHEN 'spectrum' THEN 3.6e-7 + ${u(1)} * 1e-7 WHEN 'image' THEN 3e-7 + ${u(1)} * 2e-6 WHEN 'cube' THEN 5e-7 + ${u(1)} * 2e-7 END AS em_min,
         CASE kind WHEN 'spectrum' THEN 6.6e-7 + ${u(1)} * 1e-7 + ${u(2)} * 4e-7 WHEN 'image' THEN (3e-7 + ${u(1)} * 2e-6) * 1.25
                   WHEN 'cube' THEN 5.1e-7 + ${u(1)} * 2e-7 + ${u(2)} * 5e-8 END AS em_max,
         CASE WHEN kind <> 'measurements' THEN 51000 + ${u(3)} * 10000 END AS t_min,
         CASE WHEN kind <> 'measurements' THEN 30 + ${u(4)} * 3570 END AS t_exptime
  FROM (
    SELECT $5::int8 + n - 1 AS id, ra, dec, hpx, cov, fp
    FROM unnest($1::float8[], $2::float8[], $3::int8[], $4::text[], $9::text[]) WITH ORDINALITY AS a(ra, dec, hpx, cov, fp, n)
  ) ids, LATERAL (SELECT ${KIND_SQL} AS kind) k
) g`;

/** The files of ids [from, to], from the id alone. */
const INSERT_FILES = `
INSERT INTO files (id, release_id, path, size_bytes, mtime_ms, kind, status, processed_at)
SELECT id, $1::int8, 'find/' || lpad(id::text, 9, '0') || '.fits', 20000 + id % 7919, 1.7e12,
       CASE WHEN id % 20 < 14 THEN 'SPECTRUM' WHEN id % 20 < 18 THEN 'IMAGE' WHEN id % 20 < 19 THEN 'IFS_CUBE' ELSE 'CATALOGUE' END,
       'INGESTED', now()
FROM generate_series($2::int8, $3::int8) AS id`;

export interface LoadOptions {
  /** Also write a files row per record (the archive's own database; not the q3c table). */
  files: boolean;
  log: (m: string) => void;
  label: string;
}

/** Every row of the shape, batch by batch; returns the seconds it took. */
export async function loadRows(pool: pg.Pool, shape: FindShape, fields: Field[], release: Release, opts: LoadOptions): Promise<number> {
  const t0 = performance.now();
  let pending: Promise<unknown> | undefined;
  let lastLog = t0;
  for (let start = 1; start <= shape.rows; start += BATCH_ROWS) {
    const count = Math.min(BATCH_ROWS, shape.rows - start + 1);
    const b = generateBatch(shape, fields, start, count);
    await pending;
    const text = (xs: (string | null)[]) => `{${xs.map((x) => (x === null ? 'NULL' : `"${x}"`)).join(',')}}`;
    const nums = (xs: number[]) => `{${xs.join(',')}}`;
    pending = Promise.all([
      pool.query(INSERT_RECORDS, [nums(b.ra), nums(b.dec), nums(b.hpx), text(b.coverage), start, release.releaseId, release.firstSourceId, release.sources, text(b.footprint)]),
      opts.files ? pool.query(INSERT_FILES, [release.releaseId, start, start + count - 1]) : undefined,
    ]);
    if (performance.now() - lastLog > 10_000) {
      lastLog = performance.now();
      opts.log(`${opts.label}: ${(start - 1).toLocaleString('en')} rows loaded (${((lastLog - t0) / 1000).toFixed(0)} s)`);
    }
  }
  await pending;
  return (performance.now() - t0) / 1000;
}
