/**
 * Shared fixture rows for the GraphQL, loader, auth and HTTP tests, inserted with plain SQL:
 * one survey with a published release (`files` files, each with one HDU, one issue, one
 * record pointing at one of three sources) and a draft release (3 files whose records share
 * those sources, so anonymous callers must not see them through Source.records).
 */
import type { Database } from '../../src/db/client.js';

export const card = (s: string) => s.padEnd(80, ' ');

export const HEADER =
  card('SIMPLE  =                    T / conforms to FITS') +
  card('BITPIX  =                  -32') +
  card('NAXIS   =                    2') +
  card('NAXIS1  =                   10') +
  card('NAXIS2  =                   20') +
  card("OBJECT  = 'NGC 1234'           / target") +
  card('BIGNUM  =  123456789012345678901') +
  card('COMMENT first comment') +
  card('END');

export interface Seed {
  surveyId: number;
  publishedId: number;
  draftId: number;
  /** Published release's file ids, ascending. */
  fileIds: number[];
  draftFileIds: number[];
  sourceIds: number[];
  publishedRunId: number;
  draftRunId: number;
}

export async function seed(database: Database, opts: { files?: number; survey?: string } = {}): Promise<Seed> {
  const n = opts.files ?? 20;
  const q = async (sql: string, params: unknown[] = []) => (await database.pool.query(sql, params)).rows;
  const [{ id: surveyId }] = await q(`INSERT INTO surveys (name) VALUES ($1) RETURNING id`, [opts.survey ?? 'GAMA']);
  const [{ id: publishedId }] = await q(
    `INSERT INTO releases (survey_id, name, status, published_at) VALUES ($1, 'DR1', 'published', now()) RETURNING id`,
    [surveyId],
  );
  const [{ id: draftId }] = await q(`INSERT INTO releases (survey_id, name) VALUES ($1, 'DR2') RETURNING id`, [surveyId]);
  const sourceIds = (
    await q(`INSERT INTO sources (name) SELECT $1 || '-' || g FROM generate_series(1, 3) g RETURNING id`, [opts.survey ?? 'GAMA'])
  ).map((r) => r.id as number);

  const addFiles = async (releaseId: number, count: number, prefix: string) => {
    const rows = await q(
      `INSERT INTO files (release_id, path, size_bytes, mtime_ms, checksum, kind, status)
       SELECT $1, $2 || lpad(g::text, 4, '0') || '.fits', 2880 * g, 0, md5(g::text),
              CASE WHEN g % 2 = 0 THEN 'IMAGE' ELSE 'SPECTRUM' END,
              CASE WHEN g % 5 = 0 THEN 'INVALID' ELSE 'INGESTED' END
         FROM generate_series(1, $3) g ORDER BY g RETURNING id`,
      [releaseId, prefix, count],
    );
    const ids = rows.map((r) => r.id as number).sort((a, b) => a - b);
    await q(`INSERT INTO hdus (file_id, index, type, bitpix, naxis, header) SELECT f, 0, 'PRIMARY', -32, '{10,20}', $2 FROM unnest($1::bigint[]) f`, [
      ids,
      HEADER,
    ]);
    await q(
      `INSERT INTO validation_issues (file_id, severity, code, message, hdu, keyword)
       SELECT f, 'WARNING', 'FITS_TEST', 'test issue', 0, 'OBJECT' FROM unnest($1::bigint[]) f`,
      [ids],
    );
    await q(
      `INSERT INTO records (file_id, release_id, product_type, source_id, center_ra, center_dec, footprint, spectral_min, spectral_max, spectral_unit)
       SELECT f, $2, 'spectrum', ($3::bigint[])[1 + (o % 3)], 10.5, -20.25, '[[1,2],[3,4],[5,6],[7,8]]', 3700, 8900, 'Angstrom'
         FROM unnest($1::bigint[]) WITH ORDINALITY AS u(f, o)`,
      [ids, releaseId, sourceIds],
    );
    return ids;
  };
  const fileIds = await addFiles(publishedId, n, 'spec/');
  const draftFileIds = await addFiles(draftId, 3, 'draft/');
  const [{ id: publishedRunId }] = await q(
    `INSERT INTO ingestion_runs (release_id, status, path, total_files, processed_files, ingested_files, queries, stage_seconds, slowest_files, started_at, finished_at)
     VALUES ($1, 'SUCCEEDED', '/data/dr1', $2, $2, $2, 40, '{"read": 1.5, "parse": 0.25}', '[{"path":"spec/0001.fits","stage":"read","seconds":0.5},{"path":"spec/0002.fits","stage":"parse","seconds":0.25}]',
             now() - interval '10 seconds', now())
     RETURNING id`,
    [publishedId, n],
  );
  const [{ id: draftRunId }] = await q(`INSERT INTO ingestion_runs (release_id, status, path) VALUES ($1, 'QUEUED', '/data/dr2') RETURNING id`, [draftId]);
  return { surveyId, publishedId, draftId, fileIds, draftFileIds, sourceIds, publishedRunId, draftRunId };
}
