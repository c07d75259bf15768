/**
 * Where records' files are on disk, with what the scan saw of them: one statement for any
 * number of records (a page of records asking for their spectra costs one, not one each).
 * The release directory is the one the file's last run scanned (ingestion_runs.path, a real
 * path): a release ingested again from another directory serves from there.
 */
import path from 'node:path';
import type pg from 'pg';
import type { FileOnDisk } from './open-file.js';

export interface RecordFile {
  recordId: number;
  fileId: number;
  releaseId: number;
  releaseStatus: string;
  kind: string;
  dataproductType: string;
  checksum: string | null;
  missing: boolean;
  /** Null when the file's run is unknown, or its recorded path leads out of the release (nothing to open). */
  disk: FileOnDisk | null;
}

interface Row {
  record_id: number;
  file_id: number;
  release_id: number;
  release_status: string;
  kind: string;
  dataproduct_type: string;
  checksum: string | null;
  missing: boolean;
  path: string;
  size_bytes: number;
  mtime_ms: number;
  root: string | null;
}

const SQL = `SELECT rec.id AS record_id, f.id AS file_id, rec.release_id, r.status AS release_status, f.kind, rec.dataproduct_type,
                    f.checksum, f.missing, f.path, f.size_bytes, f.mtime_ms, run.path AS root
               FROM records rec
               JOIN files f ON f.id = rec.file_id
               JOIN releases r ON r.id = rec.release_id
               LEFT JOIN ingestion_runs run ON run.id = f.run_id
              WHERE rec.id = ANY($1::bigint[])`;

/** The files of these records (absent ids are left out). `publishedOnly`: records of published releases only. */
export async function locateRecordFiles(pool: pg.Pool, recordIds: readonly number[], publishedOnly = false): Promise<Map<number, RecordFile>> {
  const { rows } = await pool.query<Row>(publishedOnly ? `${SQL} AND r.status = 'published'` : SQL, [recordIds]);
  const out = new Map<number, RecordFile>();
  for (const r of rows) {
    out.set(Number(r.record_id), {
      recordId: Number(r.record_id),
      fileId: Number(r.file_id),
      releaseId: Number(r.release_id),
      releaseStatus: r.release_status,
      kind: r.kind,
      dataproductType: r.dataproduct_type,
      checksum: r.checksum,
      missing: r.missing,
      disk: onDisk(r),
    });
  }
  return out;
}

/**
 * The file's absolute path, or null when its recorded path would leave the release directory
 * ("..", an absolute path): the scan never records one, and a row that says so is not followed.
 */
function onDisk(r: Row): FileOnDisk | null {
  if (r.root === null) return null;
  const absPath = path.join(r.root, r.path);
  if (path.isAbsolute(r.path) || !absPath.startsWith(r.root.endsWith(path.sep) ? r.root : r.root + path.sep)) return null;
  return { absPath, sizeBytes: Number(r.size_bytes), mtimeMs: Number(r.mtime_ms) };
}
