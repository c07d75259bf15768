/**
 * The download routes' statements: one to find the files to serve (with their releases' status
 * and the directories they were read from; one for all the requests of a moment: ./served-files.ts), one per page of an archive's files (keyset on id), and
 * one to flag a file whose disk copy no longer matches. Never a statement per archive member.
 */
import type pg from 'pg';

export interface ServedFile {
  id: number;
  releaseId: number;
  path: string;
  sizeBytes: number;
  mtimeMs: number;
  checksum: string | null;
  kind: string;
  /** The release is published (anyone may read it). */
  published: boolean;
  /** The directory the file was read from: its last run's path, else the release's last run's. */
  root: string | null;
}

// The run that last touched the file scanned it from its path; a file without one (never
// expected) falls back to the release's latest run.
const ROOT = `coalesce(run.path, (SELECT r2.path FROM ingestion_runs r2 WHERE r2.release_id = f.release_id ORDER BY r2.id DESC LIMIT 1))`;
const COLUMNS = `f.id, f.release_id AS "releaseId", f.path, f.size_bytes AS "sizeBytes", f.mtime_ms AS "mtimeMs", f.checksum, f.kind`;

const FILES_SQL = `
SELECT ${COLUMNS}, rel.status = 'published' AS published, ${ROOT} AS root
  FROM files f JOIN releases rel ON rel.id = f.release_id
  LEFT JOIN ingestion_runs run ON run.id = f.run_id
 WHERE f.id = ANY($1::bigint[])`;

/** The file (or null) of each id, in order, in one statement. */
export async function loadServedFiles(pool: pg.Pool, ids: number[]): Promise<Array<ServedFile | null>> {
  const { rows } = await pool.query<ServedFile>(FILES_SQL, [ids]);
  const byId = new Map<number, ServedFile>();
  for (const r of rows) byId.set(r.id, r);
  return ids.map((id) => byId.get(id) ?? null);
}

export interface ArchiveRelease {
  id: number;
  name: string;
  survey: string;
  published: boolean;
}

export async function loadArchiveRelease(pool: pg.Pool, id: number): Promise<ArchiveRelease | null> {
  const { rows } = await pool.query<ArchiveRelease>(
    `SELECT rel.id, rel.name, s.name AS survey, rel.status = 'published' AS published
       FROM releases rel JOIN surveys s ON s.id = rel.survey_id WHERE rel.id = $1`,
    [id],
  );
  return rows[0] ?? null;
}

export interface ArchiveSelection {
  kind: string | null;
  productType: string | null;
  status: string | null;
  /** Only these file ids (null: all). */
  ids: number[] | null;
}

export type ArchiveFile = Omit<ServedFile, 'published'>;

/** The next `limit` files of the selection after file id `after`, in id order (files_release_id_idx). */
export async function archivePage(pool: pg.Pool, releaseId: number, sel: ArchiveSelection, after: number, limit: number): Promise<ArchiveFile[]> {
  const { rows } = await pool.query<ArchiveFile>(
    `SELECT ${COLUMNS}, ${ROOT} AS root
       FROM files f LEFT JOIN ingestion_runs run ON run.id = f.run_id
      WHERE f.release_id = $1 AND f.id > $2
        AND ($3::text IS NULL OR f.kind = $3) AND ($4::text IS NULL OR f.status = $4)
        AND ($5::bigint[] IS NULL OR f.id = ANY($5))
        AND ($6::text IS NULL OR EXISTS (SELECT 1 FROM records rec WHERE rec.file_id = f.id AND rec.product_type = $6))
      ORDER BY f.id LIMIT $7`,
    [releaseId, after, sel.kind, sel.status, sel.ids, sel.productType, limit],
  );
  return rows;
}

/**
 * Marks files whose disk copy no longer matches the ingest, so that the next ingest reads
 * them again: gone ones as `missing` (what a scan that no longer finds a file sets, and
 * clears when it finds it again), changed ones as `changed_on_disk` (the scan then re-reads
 * them even if size and mtime were put back; it clears the flag). One statement for a list.
 */
export async function flagFiles(pool: pg.Pool, gone: number[], changed: number[]): Promise<void> {
  if (gone.length === 0 && changed.length === 0) return;
  await pool.query(
    `UPDATE files SET missing = missing OR id = ANY($1), changed_on_disk = changed_on_disk OR id = ANY($2)
      WHERE (id = ANY($1) AND NOT missing) OR (id = ANY($2) AND NOT changed_on_disk)`,
    [gone, changed],
  );
}
