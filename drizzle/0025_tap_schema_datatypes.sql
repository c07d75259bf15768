-- TAP_SCHEMA's datatypes are the ones the values are sent as (src/vo/votable/fields.ts
-- voFieldForPgType: text travels as unicodeChar, since catalogue and ObsCore text may hold any
-- character); taplint reports a declared/result mismatch as an error. ObsCore accepts both
-- char and unicodeChar for its string columns. obs_release_date (timestamptz) stays char with
-- xtype timestamp, as it is sent.
UPDATE tap_schema.fixed_columns SET datatype = 'unicodeChar' WHERE datatype = 'char' AND xtype IS DISTINCT FROM 'timestamp';
-- ObsCore 1.1 gives s_region no unit; preview's UCD without a word the UCD list lacks.
UPDATE tap_schema.fixed_columns SET unit = NULL WHERE table_name = 'ivoa.obscore' AND column_name = 's_region';
UPDATE tap_schema.fixed_columns SET ucd = 'meta.ref.url' WHERE table_name = 'ivoa.obscore' AND column_name = 'preview';

CREATE OR REPLACE VIEW tap_schema.columns WITH (security_barrier) AS
SELECT c.table_name, c.column_name, c.utype, c.ucd, c.unit, c.description, c.datatype, c.arraysize, c.xtype, c.size,
  c.principal, c.indexed, c.std, c.column_index
FROM tap_schema.fixed_columns c
UNION ALL
SELECT ct.schema_name || '.' || ct.table_name, col.v ->> 'sqlName', NULL, col.v ->> 'ucd', col.v ->> 'unit', col.v ->> 'description',
  CASE rtrim(col.v ->> 'type', '[]')
    WHEN 'boolean' THEN 'boolean' WHEN 'smallint' THEN 'short' WHEN 'integer' THEN 'int' WHEN 'bigint' THEN 'long'
    WHEN 'real' THEN 'float' WHEN 'double precision' THEN 'double' WHEN 'numeric' THEN 'double' ELSE 'unicodeChar' END,
  CASE WHEN col.v ->> 'type' LIKE '%[]' OR col.v ->> 'type' = 'text' THEN '*' END,
  NULL, NULL,
  CASE WHEN col.v ->> 'sqlName' IN (ct.ra_column, ct.dec_column, ct.id_column) THEN 1 ELSE 0 END,
  CASE WHEN col.v ->> 'sqlName' = ct.id_column THEN 1 ELSE 0 END,
  0, col.o::integer
FROM catalogue_tables ct JOIN releases rel ON rel.id = ct.release_id
CROSS JOIN LATERAL jsonb_array_elements(ct.columns) WITH ORDINALITY AS col(v, o)
WHERE ivoa.visible(rel.status);
