-- Records written before the ObsCore columns: their product type from the file's kind and their
-- obs_id (survey/release/path). Sky, time and spectral columns need the file read again: a
-- re-ingest of the release fills them (files whose size and mtime changed are re-read; an
-- unchanged file keeps nulls until it changes).
UPDATE "records" rec SET
  "dataproduct_type" = CASE f."kind" WHEN 'SPECTRUM' THEN 'spectrum' WHEN 'IFS_CUBE' THEN 'cube' WHEN 'IMAGE' THEN 'image'
                                     WHEN 'CATALOGUE' THEN 'measurements' ELSE 'other' END,
  "obs_id" = s."name" || '/' || r."name" || '/' || f."path"
FROM "files" f, "releases" r, "surveys" s
WHERE f."id" = rec."file_id" AND r."id" = rec."release_id" AND s."id" = r."survey_id";
