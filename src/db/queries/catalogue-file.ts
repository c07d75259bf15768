/**
 * What a catalogue load needs about its file, in one statement: where it is, its checksum,
 * its record, the release's schema parts and rules, and the tables already loaded from it.
 */
import type pg from 'pg';
import type { ProductRules } from '../../ingest/rules.js';

export interface CatalogueFile {
  id: number;
  releaseId: number;
  recordId: number | null;
  path: string;
  root: string | null;
  checksum: string | null;
  kind: string;
  survey: string;
  release: string;
  rules: ProductRules | null;
  loaded: Array<{ hdu: number; schemaName: string; tableName: string; checksum: string | null }>;
}

export async function loadCatalogueFile(pool: pg.Pool, fileId: number): Promise<CatalogueFile | null> {
  const { rows } = await pool.query(
    `SELECT f.id, f.release_id, rec.id AS record_id, f.path, run.path AS root, f.checksum, f.kind,
            s.name AS survey, rel.name AS release, rel.rules,
            COALESCE((SELECT json_agg(json_build_object('hdu', t.hdu, 'schemaName', t.schema_name, 'tableName', t.table_name,
                                                       'checksum', t.loaded_checksum) ORDER BY t.hdu)
                      FROM catalogue_tables t WHERE t.file_id = f.id), '[]') AS loaded
     FROM files f
     JOIN releases rel ON rel.id = f.release_id
     JOIN surveys s ON s.id = rel.survey_id
     LEFT JOIN records rec ON rec.file_id = f.id
     LEFT JOIN ingestion_runs run ON run.id = f.run_id
     WHERE f.id = $1`,
    [fileId],
  );
  const r = rows[0];
  if (!r) return null;
  return {
    id: Number(r.id),
    releaseId: Number(r.release_id),
    recordId: r.record_id === null ? null : Number(r.record_id),
    path: r.path,
    root: r.root,
    checksum: r.checksum,
    kind: r.kind,
    survey: r.survey,
    release: r.release,
    rules: r.rules,
    loaded: r.loaded,
  };
}
