-- TAP_SCHEMA names as ADQL must write them (TAP 1.1 section 4.3; taplint reports an ADQL
-- reserved word given bare as an error): a schema, table or column name that is an ADQL 2.0
-- reserved word, or not a regular identifier ([A-Za-z][A-Za-z0-9_]*), is listed delimited:
-- tap_schema.columns."size", <schema>."order". The translator's catalogue (src/vo/tap/catalogue.ts)
-- takes the quotes off again: it resolves names as written. ("NULL" is quoted in the array
-- literal: bare, it would be a NULL element, and every name would come out delimited.)
CREATE FUNCTION tap_schema.adql_identifier(name text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT CASE
    WHEN name ~ '^[A-Za-z][A-Za-z0-9_]*$' AND NOT upper(name) = ANY ('{ABS,ACOS,AREA,ASIN,ATAN,ATAN2,BOX,CEILING,CENTROID,CIRCLE,CONTAINS,COORD1,COORD2,COORDSYS,COS,COT,DEGREES,DISTANCE,EXP,FLOOR,INTERSECTS,LOG,LOG10,MOD,PI,POINT,POLYGON,POWER,RADIANS,REGION,RAND,ROUND,SIN,SQRT,TOP,TAN,TRUNCATE,ABSOLUTE,ACTION,ADD,ALL,ALLOCATE,ALTER,AND,ANY,ARE,AS,ASC,ASSERTION,AT,AUTHORIZATION,AVG,BEGIN,BETWEEN,BIT,BIT_LENGTH,BOTH,BY,CASCADE,CASCADED,CASE,CAST,CATALOG,CHAR,CHARACTER,CHAR_LENGTH,CHARACTER_LENGTH,CHECK,CLOSE,COALESCE,COLLATE,COLLATION,COLUMN,COMMIT,CONNECT,CONNECTION,CONSTRAINT,CONSTRAINTS,CONTINUE,CONVERT,CORRESPONDING,COUNT,CREATE,CROSS,CURRENT,CURRENT_DATE,CURRENT_TIME,CURRENT_TIMESTAMP,CURRENT_USER,CURSOR,DATE,DAY,DEALLOCATE,DECIMAL,DECLARE,DEFAULT,DEFERRABLE,DEFERRED,DELETE,DESC,DESCRIBE,DESCRIPTOR,DIAGNOSTICS,DISCONNECT,DISTINCT,DOMAIN,DOUBLE,DROP,ELSE,END,END-EXEC,ESCAPE,EXCEPT,EXCEPTION,EXEC,EXECUTE,EXISTS,EXTERNAL,EXTRACT,FALSE,FETCH,FIRST,FLOAT,FOR,FOREIGN,FOUND,FROM,FULL,GET,GLOBAL,GO,GOTO,GRANT,GROUP,HAVING,HOUR,IDENTITY,IMMEDIATE,IN,INDICATOR,INITIALLY,INNER,INPUT,INSENSITIVE,INSERT,INT,INTEGER,INTERSECT,INTERVAL,INTO,IS,ISOLATION,JOIN,KEY,LANGUAGE,LAST,LEADING,LEFT,LEVEL,LIKE,LOCAL,LOWER,MATCH,MAX,MIN,MINUTE,MODULE,MONTH,NAMES,NATIONAL,NATURAL,NCHAR,NEXT,NO,NOT,"NULL",NULLIF,NUMERIC,OCTET_LENGTH,OF,ON,ONLY,OPEN,OPTION,OR,ORDER,OUTER,OUTPUT,OVERLAPS,PAD,PARTIAL,POSITION,PRECISION,PREPARE,PRESERVE,PRIMARY,PRIOR,PRIVILEGES,PROCEDURE,PUBLIC,READ,REAL,REFERENCES,RELATIVE,RESTRICT,REVOKE,RIGHT,ROLLBACK,ROWS,SCHEMA,SCROLL,SECOND,SECTION,SELECT,SESSION,SESSION_USER,SET,SIZE,SMALLINT,SOME,SPACE,SQL,SQLCODE,SQLERROR,SQLSTATE,SUBSTRING,SUM,SYSTEM_USER,TABLE,TEMPORARY,THEN,TIME,TIMESTAMP,TIMEZONE_HOUR,TIMEZONE_MINUTE,TO,TRAILING,TRANSACTION,TRANSLATE,TRANSLATION,TRIM,TRUE,UNION,UNIQUE,UNKNOWN,UPDATE,UPPER,USAGE,USER,USING,VALUE,VALUES,VARCHAR,VARYING,VIEW,WHEN,WHENEVER,WHERE,WITH,WORK,WRITE,YEAR,ZONE}'::text[])
    THEN name
    ELSE '"' || replace(name, '"', '""') || '"'
  END $$;

UPDATE tap_schema.fixed_columns SET column_name = tap_schema.adql_identifier(column_name);

CREATE OR REPLACE VIEW tap_schema.schemas WITH (security_barrier) AS
SELECT v.schema_name, v.utype, v.description, v.schema_index
FROM (VALUES ('ivoa', NULL::text, 'IVOA standard tables (ObsCore)', 0), ('tap_schema', NULL, 'This service''s tables and columns (TAP 1.1)', 1))
  AS v(schema_name, utype, description, schema_index)
UNION ALL
SELECT tap_schema.adql_identifier(ct.schema_name), NULL, 'Catalogue tables of ' || string_agg(DISTINCT s.name || ' ' || rel.name, ', '), NULL
FROM catalogue_tables ct JOIN releases rel ON rel.id = ct.release_id JOIN surveys s ON s.id = rel.survey_id
WHERE ivoa.visible(rel.status)
GROUP BY ct.schema_name;

CREATE OR REPLACE VIEW tap_schema.tables WITH (security_barrier) AS
SELECT t.schema_name, t.table_name, t.table_type, t.utype, t.description, t.table_index FROM tap_schema.fixed_tables t
UNION ALL
SELECT tap_schema.adql_identifier(ct.schema_name), tap_schema.adql_identifier(ct.schema_name) || '.' || tap_schema.adql_identifier(ct.table_name), 'table', NULL,
  CASE WHEN ct.hdu = 0 THEN 'Catalogue ' || r.obs_id ELSE 'HDU ' || ct.hdu || ' of ' || r.obs_id END || ' (' || ct.row_count || ' rows)', NULL
FROM catalogue_tables ct JOIN releases rel ON rel.id = ct.release_id JOIN records r ON r.id = ct.record_id
WHERE ivoa.visible(rel.status);

CREATE OR REPLACE VIEW tap_schema.columns WITH (security_barrier) AS
SELECT c.table_name, c.column_name, c.utype, c.ucd, c.unit, c.description, c.datatype, c.arraysize, c.xtype, c.size,
  c.principal, c.indexed, c.std, c.column_index
FROM tap_schema.fixed_columns c
UNION ALL
SELECT tap_schema.adql_identifier(ct.schema_name) || '.' || tap_schema.adql_identifier(ct.table_name), tap_schema.adql_identifier(col.v ->> 'sqlName'),
  NULL, col.v ->> 'ucd', col.v ->> 'unit', col.v ->> 'description',
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
