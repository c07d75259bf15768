-- Headers are stored packed: one card a line, trailing blanks dropped, `\`, line feed and
-- carriage return escaped as \\, \n, \r when the header holds any of them (src/fits/header-text.ts).
-- The unpadded form stays under the TOAST threshold, so inserts skip pglz compression.
UPDATE "hdus" h SET "header" = packed.text
FROM (
  SELECT file_id, index,
         coalesce(nullif(string_agg(
           CASE WHEN header ~ E'[\\\\\\n\\r]'
                THEN replace(replace(replace(rtrim(substr(header, (i - 1) * 80 + 1, 80), ' '), E'\\', E'\\\\'), E'\n', E'\\n'), E'\r', E'\\r')
                ELSE rtrim(substr(header, (i - 1) * 80 + 1, 80), ' ') END,
           E'\n' ORDER BY i), ''), CASE WHEN header = '' THEN '' ELSE ' ' END) AS text
  FROM "hdus", generate_series(1, (length(header) + 79) / 80) AS i
  GROUP BY file_id, index, header
) packed
WHERE h.file_id = packed.file_id AND h.index = packed.index;
