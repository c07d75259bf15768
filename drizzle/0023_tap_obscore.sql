-- IVOA TAP, database side (README "IVOA services"): the ObsCore view, TAP_SCHEMA and the two
-- roles every TAP query runs as (src/vo/tap/session.ts). drizzle-kit manages only the public
-- schema, so none of this is in src/db/schema.ts.
--
-- Visibility lives in the database, not in the services: a query runs as
-- astroarchive_tap_anon (published releases only) or astroarchive_tap_token (drafts too),
-- both of which can read only ivoa.obscore, tap_schema and the catalogue tables granted to
-- them (src/db/queries/tap-grants.ts, at load and at publish). The views filter rows by
-- `ivoa.visible(release status)` and are security_barrier views: a caller's condition that
-- could fail or leak (division by zero, a cast, any function not marked LEAKPROOF) is
-- evaluated only on rows the caller may see, so no error or timing tells a draft's values.
-- Leakproof comparisons (int8/float8 =, <, >=, ...) still go down to the indexes.

-- Roles are cluster-wide (many databases share a cluster: tests, staging): created once,
-- idempotently, and a concurrent CREATE by another database's migration is not an error.
DO $$
DECLARE
  r text;
BEGIN
  FOREACH r IN ARRAY ARRAY['astroarchive_tap_anon', 'astroarchive_tap_token'] LOOP
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
      BEGIN
        EXECUTE format('CREATE ROLE %I NOLOGIN NOINHERIT', r);
      EXCEPTION
        WHEN duplicate_object OR unique_violation THEN NULL;
        WHEN insufficient_privilege THEN
          RAISE EXCEPTION 'the archive''s database user cannot create the TAP role %', r
            USING HINT = 'give it CREATEROLE, or create the roles astroarchive_tap_anon and astroarchive_tap_token (NOLOGIN) as a superuser and grant them to it';
      END;
    END IF;
    -- SET ROLE needs membership; a superuser has it already.
    IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AND NOT pg_has_role(current_user, r, 'MEMBER') THEN
      EXECUTE format('GRANT %I TO %I', r, current_user);
    END IF;
  END LOOP;
END
$$;

-- Neither role may read the archive's own tables (api_tokens, files, ...). PUBLIC has no
-- privileges on tables by default; what it has is USAGE on schema public. Revoked here, for
-- the database (grants are per database); the owner of the schema (or a superuser) keeps it.
-- When the migration's user is neither, it is given USAGE explicitly first (so the app keeps
-- working) -- which only the owner can grant, so then nothing is revoked and the roles keep
-- USAGE on public, still without SELECT on any of its tables.
DO $$
BEGIN
  IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)
     OR pg_has_role(current_user, (SELECT nspowner FROM pg_namespace WHERE nspname = 'public'), 'MEMBER') THEN
    EXECUTE format('GRANT USAGE, CREATE ON SCHEMA public TO %I', current_user);
    REVOKE ALL ON SCHEMA public FROM PUBLIC;
  END IF;
END
$$;

CREATE SCHEMA ivoa;
CREATE SCHEMA tap_schema;

-- The one definition of "may this caller see a release in this state": published, or the
-- caller is (a member of) the token role. current_user is the TAP role the session set.
CREATE FUNCTION ivoa.visible(release_status text) RETURNS boolean
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT release_status = 'published' OR pg_has_role(current_user, 'astroarchive_tap_token', 'MEMBER') $$;

-- Record.accessFormat in SQL: src/http/download/content-type.ts recordContentType(obs_id,
-- dataproduct_type), same table of extensions (test/vo/tap-db.test.ts checks every one).
CREATE FUNCTION ivoa.access_format(obs_id text, dataproduct_type text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT coalesce(
    CASE lower(substring(regexp_replace(obs_id, '^.*/', '') FROM '^.+\.([^.]*)$'))
      WHEN 'fits' THEN 'application/fits'
      WHEN 'fit' THEN 'application/fits'
      WHEN 'fts' THEN 'application/fits'
      WHEN 'fz' THEN 'application/fits'
      WHEN 'csv' THEN 'text/csv'
      WHEN 'gz' THEN 'application/gzip'
      WHEN 'tgz' THEN 'application/gzip'
      WHEN 'bz2' THEN 'application/x-bzip2'
      WHEN 'xz' THEN 'application/x-xz'
      WHEN 'zip' THEN 'application/zip'
      WHEN 'tar' THEN 'application/x-tar'
      WHEN 'txt' THEN 'text/plain; charset=utf-8'
      WHEN 'log' THEN 'text/plain; charset=utf-8'
      WHEN 'md' THEN 'text/plain; charset=utf-8'
      WHEN 'json' THEN 'application/json'
      WHEN 'xml' THEN 'application/xml'
      WHEN 'vot' THEN 'application/x-votable+xml'
      WHEN 'png' THEN 'image/png'
      WHEN 'jpg' THEN 'image/jpeg'
      WHEN 'jpeg' THEN 'image/jpeg'
      WHEN 'gif' THEN 'image/gif'
      WHEN 'pdf' THEN 'application/pdf'
      WHEN 'svg' THEN 'text/plain; charset=utf-8'
      WHEN 'html' THEN 'text/plain; charset=utf-8'
      WHEN 'htm' THEN 'text/plain; charset=utf-8'
      WHEN 'js' THEN 'text/plain; charset=utf-8'
    END,
    CASE WHEN dataproduct_type IN ('spectrum', 'cube', 'image', 'measurements') THEN 'application/fits' ELSE 'application/octet-stream' END) $$;

-- ObsCore 1.1, one row per visible record with science content. Blobs (dataproduct_type
-- 'other': not in ObsCore's vocabulary, no calib_level, which ObsCore makes NOT NULL) and
-- records of INVALID files (left out of searches too) are not listed.
-- URLs: the session sets `astroarchive.public_base` (the request's public base, as
-- Record.accessUrl uses) and `astroarchive.ivo_authority` (default astroarchive.local) with
-- SET LOCAL (src/vo/tap/session.ts); without them access_url/preview are paths (/files/...).
-- Extra columns for the services, not in TAP_SCHEMA: record_id (DataLink: the id in
-- obs_publisher_did, on the primary key), hpx (HEALPix nested id of the centre at src/sky's
-- order 24, btree: cones) and coverage (the footprint as pixel ranges, GiST: regions).
-- LEFT JOINs to files, surveys and sources: each row has exactly one (or, for sources, at most
-- one), and a LEFT JOIN on a unique key is removed when the query reads none of its columns.
CREATE VIEW ivoa.obscore WITH (security_barrier) AS
SELECT
  r.dataproduct_type,
  r.calib_level,
  s.name || '/' || rel.name AS obs_collection,
  r.obs_id,
  'ivo://' || coalesce(nullif(current_setting('astroarchive.ivo_authority', true), ''), 'astroarchive.local') || '/astroarchive?' || r.id AS obs_publisher_did,
  coalesce(current_setting('astroarchive.public_base', true), '') || '/files/' || r.file_id || '/content' AS access_url,
  ivoa.access_format(r.obs_id, r.dataproduct_type) AS access_format,
  ((f.size_bytes + 1023) / 1024)::bigint AS access_estsize,
  src.name AS target_name,
  r.center_ra AS s_ra,
  r.center_dec AS s_dec,
  r.fov AS s_fov,
  CASE
    WHEN jsonb_typeof(r.footprint) = 'array' AND jsonb_array_length(r.footprint) >= 3 THEN
      'POLYGON ICRS ' || (SELECT string_agg((p.v ->> 0) || ' ' || (p.v ->> 1), ' ' ORDER BY p.o) FROM jsonb_array_elements(r.footprint) WITH ORDINALITY AS p(v, o))
    WHEN r.center_ra IS NOT NULL AND r.center_dec IS NOT NULL AND r.fov IS NOT NULL THEN
      'CIRCLE ICRS ' || r.center_ra || ' ' || r.center_dec || ' ' || (r.fov / 2)
  END AS s_region,
  NULL::double precision AS s_resolution,
  r.t_min,
  r.t_max,
  r.t_exptime,
  NULL::double precision AS t_resolution,
  r.em_min,
  r.em_max,
  NULL::double precision AS em_res_power,
  NULL::text AS o_ucd,
  NULL::text AS pol_states,
  r.facility_name,
  r.instrument_name,
  NULL::bigint AS s_xel1,
  NULL::bigint AS s_xel2,
  NULL::bigint AS t_xel,
  NULL::bigint AS em_xel,
  NULL::bigint AS pol_xel,
  rel.published_at AS obs_release_date,
  CASE WHEN r.dataproduct_type IN ('image', 'cube') THEN coalesce(current_setting('astroarchive.public_base', true), '') || '/records/' || r.id || '/preview.png' END AS preview,
  r.id AS record_id,
  r.hpx,
  r.coverage
FROM records r
JOIN releases rel ON rel.id = r.release_id
LEFT JOIN surveys s ON s.id = rel.survey_id
LEFT JOIN files f ON f.id = r.file_id
LEFT JOIN sources src ON src.id = r.source_id
WHERE ivoa.visible(rel.status) AND r.dataproduct_type <> 'other' AND NOT r.invalid;

-- With a superuser's migration: the multirange operators a region search uses on coverage
-- (&& and @>) marked LEAKPROOF in this database, so that a condition on ivoa.obscore's coverage
-- reaches its GiST index through the security barrier. They are: they raise no error and
-- return nothing but the boolean, whatever the values. Without a superuser they stay as
-- they are, and such searches read the visible rows instead (correct, slower).
DO $$
BEGIN
  IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
    ALTER FUNCTION pg_catalog.multirange_overlaps_multirange(anymultirange, anymultirange) LEAKPROOF;
    ALTER FUNCTION pg_catalog.multirange_contains_multirange(anymultirange, anymultirange) LEAKPROOF;
    ALTER FUNCTION pg_catalog.multirange_contains_elem(anymultirange, anyelement) LEAKPROOF;
    ALTER FUNCTION pg_catalog.multirange_overlaps_range(anymultirange, anyrange) LEAKPROOF;
    ALTER FUNCTION pg_catalog.multirange_contains_range(anymultirange, anyrange) LEAKPROOF;
  END IF;
END
$$;

-- TAP_SCHEMA (TAP 1.1 section 4). The fixed part (ivoa.obscore and TAP_SCHEMA's own tables)
-- is rows of the two tables below; catalogue tables come from catalogue_tables, so the views
-- are in step with every load, swap and publish without any refresh. Neither fixed table is
-- granted to the roles: they read them through the views.
CREATE TABLE tap_schema.fixed_tables (
  schema_name text NOT NULL,
  table_name text PRIMARY KEY,
  table_type text NOT NULL,
  utype text,
  description text,
  table_index integer
);

CREATE TABLE tap_schema.fixed_columns (
  table_name text NOT NULL REFERENCES tap_schema.fixed_tables (table_name),
  column_name text NOT NULL,
  utype text,
  ucd text,
  unit text,
  description text,
  datatype text NOT NULL,
  arraysize text,
  xtype text,
  size integer,
  principal integer NOT NULL,
  indexed integer NOT NULL,
  std integer NOT NULL,
  column_index integer NOT NULL,
  PRIMARY KEY (table_name, column_name)
);

INSERT INTO tap_schema.fixed_tables VALUES
  ('ivoa', 'ivoa.obscore', 'view', 'ivo://ivoa.net/std/ObsCore#table-1.1', 'ObsCore 1.1: one row per data product (spectrum, image, cube, catalogue) of the releases you can see', 0),
  ('tap_schema', 'tap_schema.schemas', 'view', NULL, 'Schemas you can query', 1),
  ('tap_schema', 'tap_schema.tables', 'view', NULL, 'Tables you can query', 2),
  ('tap_schema', 'tap_schema.columns', 'view', NULL, 'Columns of the tables you can query', 3),
  ('tap_schema', 'tap_schema.keys', 'view', NULL, 'Foreign keys between tables', 4),
  ('tap_schema', 'tap_schema.key_columns', 'view', NULL, 'Columns of the foreign keys', 5);

-- ObsCore 1.1 table 6 (names, types, units, UCDs, utypes), then the optional columns served.
INSERT INTO tap_schema.fixed_columns (table_name, column_name, datatype, arraysize, xtype, unit, ucd, utype, description, principal, indexed, std, column_index) VALUES
  ('ivoa.obscore', 'dataproduct_type', 'char', '*', NULL, NULL, 'meta.code.class', 'obscore:ObsDataset.dataProductType', 'Data product type: spectrum, image, cube or measurements (a catalogue table)', 1, 1, 1, 1),
  ('ivoa.obscore', 'calib_level', 'int', NULL, NULL, NULL, 'meta.code;obs.calib', 'obscore:ObsDataset.calibLevel', 'Calibration level (0 raw to 4 analysis product)', 1, 0, 1, 2),
  ('ivoa.obscore', 'obs_collection', 'char', '*', NULL, NULL, 'meta.id', 'obscore:DataID.Collection', 'Survey and release: <survey>/<release>', 1, 0, 1, 3),
  ('ivoa.obscore', 'obs_id', 'char', '*', NULL, NULL, 'meta.id', 'obscore:DataID.observationID', 'Observation id: <survey>/<release>/<path of the file>', 1, 0, 1, 4),
  ('ivoa.obscore', 'obs_publisher_did', 'char', '*', NULL, NULL, 'meta.ref.ivoid', 'obscore:Curation.PublisherDID', 'Publisher dataset identifier (the ID DataLink takes)', 1, 0, 1, 5),
  ('ivoa.obscore', 'access_url', 'char', '*', NULL, NULL, 'meta.ref.url', 'obscore:Access.Reference', 'URL of the file', 1, 0, 1, 6),
  ('ivoa.obscore', 'access_format', 'char', '*', NULL, NULL, 'meta.code.mime', 'obscore:Access.Format', 'MIME type of the file', 1, 0, 1, 7),
  ('ivoa.obscore', 'access_estsize', 'long', NULL, NULL, 'kbyte', 'phys.size;meta.file', 'obscore:Access.Size', 'Size of the file', 1, 0, 1, 8),
  ('ivoa.obscore', 'target_name', 'char', '*', NULL, NULL, 'meta.id;src', 'obscore:Target.name', 'Name of the target (the source the data name)', 1, 0, 1, 9),
  ('ivoa.obscore', 's_ra', 'double', NULL, NULL, 'deg', 'pos.eq.ra', 'obscore:Char.SpatialAxis.Coverage.Location.Coord.Position2D.Value2.C1', 'Right ascension of the centre (ICRS)', 1, 1, 1, 10),
  ('ivoa.obscore', 's_dec', 'double', NULL, NULL, 'deg', 'pos.eq.dec', 'obscore:Char.SpatialAxis.Coverage.Location.Coord.Position2D.Value2.C2', 'Declination of the centre (ICRS)', 1, 1, 1, 11),
  ('ivoa.obscore', 's_fov', 'double', NULL, NULL, 'deg', 'phys.angSize;instr.fov', 'obscore:Char.SpatialAxis.Coverage.Bounds.Extent.diameter', 'Diameter of the smallest circle enclosing the footprint', 1, 0, 1, 12),
  ('ivoa.obscore', 's_region', 'char', '*', 'adql:REGION', 'deg', 'pos.outline;obs.field', 'obscore:Char.SpatialAxis.Coverage.Support.Area', 'Footprint (STC-S POLYGON ICRS ...)', 1, 1, 1, 13),
  ('ivoa.obscore', 's_resolution', 'double', NULL, NULL, 'arcsec', 'pos.angResolution', 'obscore:Char.SpatialAxis.Resolution.Refval.value', 'Spatial resolution (not known: null)', 0, 0, 1, 14),
  ('ivoa.obscore', 't_min', 'double', NULL, NULL, 'd', 'time.start;obs.exposure', 'obscore:Char.TimeAxis.Coverage.Bounds.Limits.StartTime', 'Start of the observation (MJD, UTC)', 1, 0, 1, 15),
  ('ivoa.obscore', 't_max', 'double', NULL, NULL, 'd', 'time.end;obs.exposure', 'obscore:Char.TimeAxis.Coverage.Bounds.Limits.StopTime', 'End of the observation (MJD, UTC)', 1, 0, 1, 16),
  ('ivoa.obscore', 't_exptime', 'double', NULL, NULL, 's', 'time.duration;obs.exposure', 'obscore:Char.TimeAxis.Coverage.Support.Extent', 'Exposure time', 1, 0, 1, 17),
  ('ivoa.obscore', 't_resolution', 'double', NULL, NULL, 's', 'time.resolution', 'obscore:Char.TimeAxis.Resolution.Refval.value', 'Time resolution (not known: null)', 0, 0, 1, 18),
  ('ivoa.obscore', 'em_min', 'double', NULL, NULL, 'm', 'em.wl;stat.min', 'obscore:Char.SpectralAxis.Coverage.Bounds.Limits.LoLimit', 'Shortest wavelength', 1, 0, 1, 19),
  ('ivoa.obscore', 'em_max', 'double', NULL, NULL, 'm', 'em.wl;stat.max', 'obscore:Char.SpectralAxis.Coverage.Bounds.Limits.HiLimit', 'Longest wavelength', 1, 0, 1, 20),
  ('ivoa.obscore', 'em_res_power', 'double', NULL, NULL, NULL, 'spect.resolution', 'obscore:Char.SpectralAxis.Resolution.ResolPower.refVal', 'Spectral resolving power (not known: null)', 0, 0, 1, 21),
  ('ivoa.obscore', 'o_ucd', 'char', '*', NULL, NULL, 'meta.ucd', 'obscore:Char.ObservableAxis.ucd', 'UCD of the observable (not known: null)', 0, 0, 1, 22),
  ('ivoa.obscore', 'pol_states', 'char', '*', NULL, NULL, 'meta.code;phys.polarization', 'obscore:Char.PolarizationAxis.stateList', 'Polarization states (none: null)', 0, 0, 1, 23),
  ('ivoa.obscore', 'facility_name', 'char', '*', NULL, NULL, 'meta.id;instr.tel', 'obscore:Provenance.ObsConfig.Facility.name', 'Telescope (TELESCOP)', 1, 1, 1, 24),
  ('ivoa.obscore', 'instrument_name', 'char', '*', NULL, NULL, 'meta.id;instr', 'obscore:Provenance.ObsConfig.Instrument.name', 'Instrument (INSTRUME)', 1, 1, 1, 25),
  ('ivoa.obscore', 's_xel1', 'long', NULL, NULL, NULL, 'meta.number', 'obscore:Char.SpatialAxis.numBins1', 'Number of elements along the first spatial axis (not known: null)', 0, 0, 1, 26),
  ('ivoa.obscore', 's_xel2', 'long', NULL, NULL, NULL, 'meta.number', 'obscore:Char.SpatialAxis.numBins2', 'Number of elements along the second spatial axis (not known: null)', 0, 0, 1, 27),
  ('ivoa.obscore', 't_xel', 'long', NULL, NULL, NULL, 'meta.number', 'obscore:Char.TimeAxis.numBins', 'Number of elements along the time axis (not known: null)', 0, 0, 1, 28),
  ('ivoa.obscore', 'em_xel', 'long', NULL, NULL, NULL, 'meta.number', 'obscore:Char.SpectralAxis.numBins', 'Number of elements along the spectral axis (not known: null)', 0, 0, 1, 29),
  ('ivoa.obscore', 'pol_xel', 'long', NULL, NULL, NULL, 'meta.number', 'obscore:Char.PolarizationAxis.numBins', 'Number of polarization states (not known: null)', 0, 0, 1, 30),
  ('ivoa.obscore', 'obs_release_date', 'char', '*', 'timestamp', NULL, 'time.release', 'obscore:Curation.releaseDate', 'When the release was published', 0, 0, 1, 31),
  ('ivoa.obscore', 'preview', 'char', '*', NULL, NULL, 'meta.ref.url;datalink.preview', NULL, 'URL of a quick-look PNG (images and cubes)', 0, 0, 0, 32);

-- TAP 1.1 section 4: TAP_SCHEMA describes itself.
INSERT INTO tap_schema.fixed_columns (table_name, column_name, datatype, arraysize, description, principal, indexed, std, column_index) VALUES
  ('tap_schema.schemas', 'schema_name', 'char', '*', 'Schema name', 1, 0, 1, 1),
  ('tap_schema.schemas', 'utype', 'char', '*', 'Schema utype', 1, 0, 1, 2),
  ('tap_schema.schemas', 'description', 'char', '*', 'Describes the schema', 1, 0, 1, 3),
  ('tap_schema.schemas', 'schema_index', 'int', NULL, 'Recommended display order', 1, 0, 1, 4),
  ('tap_schema.tables', 'schema_name', 'char', '*', 'Schema the table belongs to', 1, 0, 1, 1),
  ('tap_schema.tables', 'table_name', 'char', '*', 'Table name, qualified by its schema', 1, 0, 1, 2),
  ('tap_schema.tables', 'table_type', 'char', '*', 'table or view', 1, 0, 1, 3),
  ('tap_schema.tables', 'utype', 'char', '*', 'Table utype', 1, 0, 1, 4),
  ('tap_schema.tables', 'description', 'char', '*', 'Describes the table', 1, 0, 1, 5),
  ('tap_schema.tables', 'table_index', 'int', NULL, 'Recommended display order', 1, 0, 1, 6),
  ('tap_schema.columns', 'table_name', 'char', '*', 'Table the column belongs to', 1, 0, 1, 1),
  ('tap_schema.columns', 'column_name', 'char', '*', 'Column name', 1, 0, 1, 2),
  ('tap_schema.columns', 'utype', 'char', '*', 'Column utype', 1, 0, 1, 3),
  ('tap_schema.columns', 'ucd', 'char', '*', 'Column UCD', 1, 0, 1, 4),
  ('tap_schema.columns', 'unit', 'char', '*', 'Column unit (VOUnit)', 1, 0, 1, 5),
  ('tap_schema.columns', 'description', 'char', '*', 'Describes the column', 1, 0, 1, 6),
  ('tap_schema.columns', 'datatype', 'char', '*', 'VOTable datatype', 1, 0, 1, 7),
  ('tap_schema.columns', 'arraysize', 'char', '*', 'VOTable arraysize', 1, 0, 1, 8),
  ('tap_schema.columns', 'xtype', 'char', '*', 'VOTable xtype', 1, 0, 1, 9),
  ('tap_schema.columns', 'size', 'int', NULL, 'Deprecated: use arraysize', 1, 0, 1, 10),
  ('tap_schema.columns', 'principal', 'int', NULL, '1 if the column is of main interest', 1, 0, 1, 11),
  ('tap_schema.columns', 'indexed', 'int', NULL, '1 if the column is indexed', 1, 0, 1, 12),
  ('tap_schema.columns', 'std', 'int', NULL, '1 if the column is defined by a standard', 1, 0, 1, 13),
  ('tap_schema.columns', 'column_index', 'int', NULL, 'Recommended display order', 1, 0, 1, 14),
  ('tap_schema.keys', 'key_id', 'char', '*', 'Key identifier', 1, 0, 1, 1),
  ('tap_schema.keys', 'from_table', 'char', '*', 'Table with the foreign key', 1, 0, 1, 2),
  ('tap_schema.keys', 'target_table', 'char', '*', 'Table with the primary key', 1, 0, 1, 3),
  ('tap_schema.keys', 'utype', 'char', '*', 'Key utype', 1, 0, 1, 4),
  ('tap_schema.keys', 'description', 'char', '*', 'Describes the key', 1, 0, 1, 5),
  ('tap_schema.key_columns', 'key_id', 'char', '*', 'Key identifier', 1, 0, 1, 1),
  ('tap_schema.key_columns', 'from_column', 'char', '*', 'Column of the foreign key', 1, 0, 1, 2),
  ('tap_schema.key_columns', 'target_column', 'char', '*', 'Column of the primary key', 1, 0, 1, 3);

-- tap_schema.schemas / tables / columns: the fixed rows, then the catalogue tables the caller
-- may see (a draft's only to the token role). Catalogue column types (src/catalogue/plan.ts:
-- boolean, smallint, integer, bigint, numeric, real, double precision, text, each possibly an
-- array) as VOTable datatypes; numeric holds unsigned 64-bit values, which no VOTable integer
-- type does. The loader's own columns (_row, _hpx) are not listed.
CREATE VIEW tap_schema.schemas WITH (security_barrier) AS
SELECT v.schema_name, v.utype, v.description, v.schema_index
FROM (VALUES ('ivoa', NULL::text, 'IVOA standard tables (ObsCore)', 0), ('tap_schema', NULL, 'This service''s tables and columns (TAP 1.1)', 1))
  AS v(schema_name, utype, description, schema_index)
UNION ALL
SELECT ct.schema_name, NULL, 'Catalogue tables of ' || string_agg(DISTINCT s.name || ' ' || rel.name, ', '), NULL
FROM catalogue_tables ct JOIN releases rel ON rel.id = ct.release_id JOIN surveys s ON s.id = rel.survey_id
WHERE ivoa.visible(rel.status)
GROUP BY ct.schema_name;

CREATE VIEW tap_schema.tables WITH (security_barrier) AS
SELECT t.schema_name, t.table_name, t.table_type, t.utype, t.description, t.table_index FROM tap_schema.fixed_tables t
UNION ALL
SELECT ct.schema_name, ct.schema_name || '.' || ct.table_name, 'table', NULL,
  CASE WHEN ct.hdu = 0 THEN 'Catalogue ' || r.obs_id ELSE 'HDU ' || ct.hdu || ' of ' || r.obs_id END || ' (' || ct.row_count || ' rows)', NULL
FROM catalogue_tables ct JOIN releases rel ON rel.id = ct.release_id JOIN records r ON r.id = ct.record_id
WHERE ivoa.visible(rel.status);

CREATE VIEW tap_schema.columns WITH (security_barrier) AS
SELECT c.table_name, c.column_name, c.utype, c.ucd, c.unit, c.description, c.datatype, c.arraysize, c.xtype, c.size,
  c.principal, c.indexed, c.std, c.column_index
FROM tap_schema.fixed_columns c
UNION ALL
SELECT ct.schema_name || '.' || ct.table_name, col.v ->> 'sqlName', NULL, col.v ->> 'ucd', col.v ->> 'unit', col.v ->> 'description',
  CASE rtrim(col.v ->> 'type', '[]')
    WHEN 'boolean' THEN 'boolean' WHEN 'smallint' THEN 'short' WHEN 'integer' THEN 'int' WHEN 'bigint' THEN 'long'
    WHEN 'real' THEN 'float' WHEN 'double precision' THEN 'double' WHEN 'numeric' THEN 'double' ELSE 'char' END,
  CASE WHEN col.v ->> 'type' LIKE '%[]' OR col.v ->> 'type' = 'text' THEN '*' END,
  NULL, NULL,
  CASE WHEN col.v ->> 'sqlName' IN (ct.ra_column, ct.dec_column, ct.id_column) THEN 1 ELSE 0 END,
  CASE WHEN col.v ->> 'sqlName' = ct.id_column THEN 1 ELSE 0 END,
  0, col.o::integer
FROM catalogue_tables ct JOIN releases rel ON rel.id = ct.release_id
CROSS JOIN LATERAL jsonb_array_elements(ct.columns) WITH ORDINALITY AS col(v, o)
WHERE ivoa.visible(rel.status);

-- TAP_SCHEMA's own keys (catalogue tables declare none).
CREATE VIEW tap_schema.keys AS
SELECT * FROM (VALUES
  ('tables_schema', 'tap_schema.tables', 'tap_schema.schemas', NULL::text, 'A table''s schema'),
  ('columns_table', 'tap_schema.columns', 'tap_schema.tables', NULL, 'A column''s table'),
  ('keys_from', 'tap_schema.keys', 'tap_schema.tables', NULL, 'The table holding a key'),
  ('keys_target', 'tap_schema.keys', 'tap_schema.tables', NULL, 'The table a key points at'),
  ('key_columns_key', 'tap_schema.key_columns', 'tap_schema.keys', NULL, 'A key column''s key')
) AS k(key_id, from_table, target_table, utype, description);

CREATE VIEW tap_schema.key_columns AS
SELECT * FROM (VALUES
  ('tables_schema', 'schema_name', 'schema_name'),
  ('columns_table', 'table_name', 'table_name'),
  ('keys_from', 'from_table', 'table_name'),
  ('keys_target', 'target_table', 'table_name'),
  ('key_columns_key', 'key_id', 'key_id')
) AS k(key_id, from_column, target_column);

GRANT USAGE ON SCHEMA ivoa, tap_schema TO astroarchive_tap_anon, astroarchive_tap_token;
GRANT SELECT ON ivoa.obscore, tap_schema.schemas, tap_schema.tables, tap_schema.columns, tap_schema.keys, tap_schema.key_columns
  TO astroarchive_tap_anon, astroarchive_tap_token;

-- Catalogue tables loaded before this migration: what src/db/queries/tap-grants.ts does at
-- each load (token role) and at publish (anonymous role, and no writes for anyone).
DO $$
DECLARE
  t record;
BEGIN
  FOR t IN SELECT ct.schema_name, ct.table_name, rel.status FROM catalogue_tables ct JOIN releases rel ON rel.id = ct.release_id LOOP
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO astroarchive_tap_token', t.schema_name);
    EXECUTE format('GRANT SELECT ON %I.%I TO astroarchive_tap_token', t.schema_name, t.table_name);
    IF t.status = 'published' THEN
      EXECUTE format('GRANT USAGE ON SCHEMA %I TO astroarchive_tap_anon', t.schema_name);
      EXECUTE format('GRANT SELECT ON %I.%I TO astroarchive_tap_anon', t.schema_name, t.table_name);
      EXECUTE format('REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON %I.%I FROM PUBLIC', t.schema_name, t.table_name);
    END IF;
  END LOOP;
END
$$;
