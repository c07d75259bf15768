/**
 * The archive's tables (drizzle). Migrations in drizzle/ are generated from this file with
 * `npm run db:generate`; never edit a generated migration by hand.
 *
 * Constraints carry the safety promises: one survey per name, one release per survey and
 * name, one file per release path, one record per file, one source per name. Every ingest
 * write is an `ON CONFLICT` against one of these, which is what makes re-runs idempotent.
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  customType,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

const id = () => bigserial('id', { mode: 'number' }).primaryKey();
/** int8multirange (PostgreSQL 14+), read and written as its text form '{[a,b),[c,d)}'. */
const int8multirange = customType<{ data: string }>({ dataType: () => 'int8multirange' });
const ref = (name: string) => bigint(name, { mode: 'number' });

/*
 * No foreign keys on the per-file tables (files, hdus, validation_issues, records), on
 * purpose. Their rows are written only by the ingest's set-at-a-time statements, which take
 * every id from rows of the same statement or batch (files they just updated or the ids their
 * job carries, sources they just looked up or created). Files are deleted in one place only,
 * with their HDUs, issues and records in the same statement: a write-once run whose scan
 * starts over (reset-write-once-run.ts). Otherwise a published release is immutable and a
 * file gone from disk is flagged `missing`, not deleted. What an FK would add is a
 * check per row, a query plus a FOR KEY SHARE lock on the parent: measured on the bench it
 * was ~30% of PostgreSQL's CPU per spectrum (107 -> 76 us with them dropped), and concurrent
 * batches all locking the one release row turned those locks into MultiXacts. The ingest
 * tests assert there are no orphan rows. Low-volume tables (releases, runs) keep theirs.
 */
const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

export const surveys = pgTable('surveys', {
  id: id(),
  name: text('name').notNull().unique(),
  createdAt: createdAt(),
});

/** status: draft (accepting ingests) or published (public and immutable). */
export const releases = pgTable(
  'releases',
  {
    id: id(),
    surveyId: ref('survey_id').notNull().references(() => surveys.id),
    name: text('name').notNull(),
    status: text('status').notNull().default('draft'),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    /** Product rules of the last ingest (astroarchive.json at the release root), as read. */
    rules: jsonb('rules'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('releases_survey_name_key').on(t.surveyId, t.name)],
);

/**
 * One row per file of a release. `kind`/`status` follow the GraphQL enums. `mtimeMs` and
 * `sizeBytes` decide whether a re-ingest may skip the file without reading it.
 */
export const files = pgTable(
  'files',
  {
    id: id(),
    releaseId: ref('release_id').notNull(),
    path: text('path').notNull(),
    sizeBytes: bigint('size_bytes', { mode: 'number' }).notNull(),
    mtimeMs: doublePrecision('mtime_ms').notNull(),
    checksum: text('checksum'),
    kind: text('kind').notNull().default('BLOB'),
    status: text('status').notNull().default('PENDING'),
    /** The run that last touched this file (registered it, processed it, or found it gone). */
    runId: ref('run_id'),
    /** Transient failures so far for this file in its current run (retry bookkeeping). */
    attempts: integer('attempts').notNull().default(0),
    /** True when the last scan no longer found the file on disk (reported, not deleted). */
    missing: boolean('missing').notNull().default(false),
    /**
     * A download found the file on disk no longer as ingested (other size or mtime, now a link
     * or special file): the next ingest reads it again even if its size and mtime were put
     * back, and clears this. (A download that finds it gone sets `missing` instead.)
     */
    changedOnDisk: boolean('changed_on_disk').notNull().default(false),
    processedAt: timestamp('processed_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  // No index on status or run_id, on purpose: batches find their files by primary key, and an
  // index on (run_id, status) both tempted the planner into scanning every pending file of a
  // run for each batch (quadratic in the run's size) and prevented HOT updates of the status.
  // fillfactor leaves room on each page so that those updates can be HOT (migration 0006: 35).
  // Only re-ingests update files (a first ingest writes each once, in its final state), but a
  // re-ingest's scan updates every file of the release.
  (t) => [uniqueIndex('files_release_path_key').on(t.releaseId, t.path), index('files_release_id_idx').on(t.releaseId, t.id)],
);

/**
 * Each HDU's header as written (cards up to END), packed one card a line without the blank
 * padding (fits/header-text.ts: lossless, and small enough to stay out of TOAST): parsed on read.
 */
export const hdus = pgTable(
  'hdus',
  {
    fileId: ref('file_id').notNull(),
    index: integer('index').notNull(),
    type: text('type').notNull(),
    bitpix: integer('bitpix'),
    naxis: integer('naxis').array().notNull(),
    header: text('header').notNull(),
  },
  (t) => [primaryKey({ columns: [t.fileId, t.index] })],
);

export const validationIssues = pgTable(
  'validation_issues',
  {
    id: id(),
    fileId: ref('file_id').notNull(),
    severity: text('severity').notNull(),
    code: text('code').notNull(),
    message: text('message').notNull(),
    hdu: integer('hdu'),
    keyword: text('keyword'),
  },
  (t) => [index('validation_issues_file_idx').on(t.fileId)],
);

/** Astronomical sources named by data (a spectrum's OBJECT), shared across releases. */
export const sources = pgTable(
  'sources',
  {
    id: id(),
    name: text('name').notNull().unique(),
    createdAt: createdAt(),
  },
  // Searches by name are case-insensitive, exact or by prefix (LIKE 'abc%'): text_pattern_ops
  // serves both whatever the database's collation.
  (t) => [index('sources_name_lower_idx').on(sql`lower(${t.name}) text_pattern_ops`)],
);

export const records = pgTable(
  'records',
  {
    id: id(),
    fileId: ref('file_id').notNull().unique(),
    releaseId: ref('release_id').notNull(),
    productType: text('product_type').notNull(),
    sourceId: ref('source_id'),
    centerRa: doublePrecision('center_ra'),
    centerDec: doublePrecision('center_dec'),
    /** [[ra, dec], ...] outer corners, or null. */
    footprint: jsonb('footprint'),
    spectralMin: doublePrecision('spectral_min'),
    spectralMax: doublePrecision('spectral_max'),
    spectralUnit: text('spectral_unit'),
    /** Catalogue tables: { rowCount, columns: [{ name, type, unit, nullCount, min, max }] }. */
    catalogue: jsonb('catalogue'),
    // ObsCore-shaped columns (README, "What a record says"); null where the data do not say.
    /** spectrum | cube | image | measurements | other (from the file's kind). */
    dataproductType: text('dataproduct_type').notNull().default('other'),
    /** survey/release/path: stable, as ObsCore's obs_id. */
    obsId: text('obs_id').notNull().default(''),
    calibLevel: integer('calib_level'),
    /** Spectral coverage in metres (vacuum or air wavelength as the file says), whatever the file's unit. */
    emMin: doublePrecision('em_min'),
    emMax: doublePrecision('em_max'),
    /** MJD (UTC) of the start and end of the observation; exposure time in seconds. */
    tMin: doublePrecision('t_min'),
    tMax: doublePrecision('t_max'),
    tExptime: doublePrecision('t_exptime'),
    facilityName: text('facility_name'),
    instrumentName: text('instrument_name'),
    /** Degrees: diameter of the footprint's smallest enclosing circle. */
    fov: doublePrecision('fov'),
    /** HEALPix nested id of the centre at order 24 (src/sky). */
    hpx: bigint('hpx', { mode: 'number' }),
    /** The footprint as HEALPix order-24 pixel ranges (a MOC), PostgreSQL 14+. */
    coverage: int8multirange('coverage'),
    /**
     * The file is INVALID: its record is kept for inspection (by id, from its file) but left out
     * of source listings and searches. Written with the file's status, in the same statement.
     */
    invalid: boolean('invalid').notNull().default(false),
  },
  // Records are found by id, by file (unique) and by source; nothing looks them up by release
  // (that goes through files), so no index on release_id: one index write less per file.
  // Only records with a source are found by source, so the index leaves out the rest (blobs,
  // most images and cubes): another index write less for them. `source_id = ANY($1)` implies
  // NOT NULL, and PostgreSQL 15 and 18 both pick the partial index for it.
  // hpx: cone searches as id ranges on one btree (BitmapOr). coverage: GiST for `@>` / `&&`.
  // Both partial, like the source index: a blob has neither and a spectrum no coverage, and
  // NULLs cost an index insert too (btree + GiST of two NULLs: ~2-3 us of server CPU per row,
  // 100,000-row inserts on PostgreSQL 15). The searches' `hpx >= a AND hpx < b`, `coverage && $1`
  // and `coverage @> $1` are strict, so they imply IS NOT NULL: the planner still uses them.
  (t) => [
    index('records_source_idx').on(t.sourceId).where(sql`${t.sourceId} IS NOT NULL`),
    // INCLUDE (id, center_ra, center_dec, release_id, invalid): the cross-match's probes are
    // index-only scans. drizzle cannot say INCLUDE; migration 0026 builds it so.
    index('records_hpx_idx').on(t.hpx).where(sql`${t.hpx} IS NOT NULL`),
    index('records_coverage_idx').using('gist', t.coverage).where(sql`${t.coverage} IS NOT NULL`),
    // The search's equality filters (src/db/queries/record-search.ts): one GIN (btree_gin,
    // migration 0014) answers any subset of them with a BitmapAnd, for one index write per
    // record (GIN's pending list batches them) instead of one btree per column.
    index('records_search_idx').using('gin', t.releaseId, t.dataproductType, t.productType, t.facilityName, t.instrumentName),
    // Interval overlap (time, wavelength): SP-GiST on ranges of float8 (float8range, a range
    // type migration 0029 creates: PostgreSQL has none built in). Not numrange: every insert
    // converted four doubles to numeric and compared numerics down the trees, ~11 against ~8 us
    // of backend CPU per record for the two indexes (100,000 records then 20,000 in batches of
    // 2,000, median of 5). least/greatest: a reversed interval must not make an insert fail.
    // SP-GiST, not GiST: a GiST insert computes range penalties down the tree, measured at
    // +35-65 us per record (numrange, 60,000 inserts in batches of 2,000), against +0-25 us.
    index('records_time_idx')
      .using('spgist', sql`float8range(least(${t.tMin}, ${t.tMax}), greatest(${t.tMin}, ${t.tMax}), '[]')`)
      .where(sql`${t.tMin} IS NOT NULL AND ${t.tMax} IS NOT NULL`),
    // orderBy T_MIN: pages in (t_min, id) order read the index in order, whatever the filters.
    // Partial: records without a time (blobs, catalogues) come last, in id order (the pkey).
    index('records_t_min_idx').on(t.tMin, t.id).where(sql`${t.tMin} IS NOT NULL`),
    index('records_em_idx')
      .using('spgist', sql`float8range(least(${t.emMin}, ${t.emMax}), greatest(${t.emMin}, ${t.emMax}), '[]')`)
      .where(sql`${t.emMin} IS NOT NULL AND ${t.emMax} IS NOT NULL`),
  ],
);

/**
 * Catalogue tables loaded into the database (src/catalogue): one row per BINTABLE/TABLE HDU of
 * a CATALOGUE file (`hdu` 0 for a CSV catalogue: a FITS primary HDU is never a table). The
 * loaded table itself is `"<schema_name>"."<table_name>"`; identifiers in SQL about it come
 * from here only, never from a request. `columns`: [{ name, sqlName, type, unit, ucd,
 * description }] in table order. `loaded_checksum` is the file's SHA-256 when the table was
 * swapped in: a re-ingest of the same bytes loads nothing.
 */
export const catalogueTables = pgTable(
  'catalogue_tables',
  {
    id: id(),
    recordId: ref('record_id').notNull(),
    fileId: ref('file_id').notNull(),
    releaseId: ref('release_id').notNull(),
    hdu: integer('hdu').notNull(),
    schemaName: text('schema_name').notNull(),
    tableName: text('table_name').notNull(),
    rowCount: bigint('row_count', { mode: 'number' }).notNull(),
    columns: jsonb('columns').notNull(),
    raColumn: text('ra_column'),
    decColumn: text('dec_column'),
    idColumn: text('id_column'),
    loadedChecksum: text('loaded_checksum'),
    loadedAt: timestamp('loaded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('catalogue_tables_file_hdu_key').on(t.fileId, t.hdu),
    uniqueIndex('catalogue_tables_name_key').on(t.schemaName, t.tableName),
    index('catalogue_tables_record_idx').on(t.recordId),
  ],
);

/** One ingest of a release directory. Counters move per batch; stages sum batch timings. */
export const ingestionRuns = pgTable(
  'ingestion_runs',
  {
    id: id(),
    releaseId: ref('release_id').notNull().references(() => releases.id),
    status: text('status').notNull().default('QUEUED'),
    /** Absolute real path that was scanned. */
    path: text('path').notNull(),
    totalFiles: integer('total_files').notNull().default(0),
    processedFiles: integer('processed_files').notNull().default(0),
    ingestedFiles: integer('ingested_files').notNull().default(0),
    invalidFiles: integer('invalid_files').notNull().default(0),
    failedFiles: integer('failed_files').notNull().default(0),
    skippedFiles: integer('skipped_files').notNull().default(0),
    missingFiles: integer('missing_files').notNull().default(0),
    /** Directory entries the scan left out (symlinks, FIFOs, unreadable directories, ...): see run_issues. */
    skippedEntries: integer('skipped_entries').notNull().default(0),
    /** The scan has registered every file and enqueued every batch. */
    scanDone: boolean('scan_done').notNull().default(false),
    /**
     * Catalogue load jobs the run's batches queued, and how many of them have ended (loaded,
     * rejected or given up). The run ends only when both are equal: until then its tables are
     * not all queryable, and `ingest --wait` must not return.
     */
    catalogueLoads: integer('catalogue_loads').notNull().default(0),
    catalogueLoadsDone: integer('catalogue_loads_done').notNull().default(0),
    /**
     * The run's scan found the release empty (its first ingest): it enqueues files without
     * registering them, and each batch writes its files once, in their final state
     * (ingest/run-new-files.ts). Decided by the scan's first attempt.
     */
    writeOnce: boolean('write_once').notNull().default(false),
    /** SQL statements the run's jobs sent (scan, batches, finish). */
    queries: bigint('queries', { mode: 'number' }).notNull().default(0),
    /** { stageName: seconds } summed over batches. */
    stageSeconds: jsonb('stage_seconds').notNull().default(sql`'{}'::jsonb`),
    /** Slowest files seen: [{ path, stage, seconds }], longest first, bounded. */
    slowestFiles: jsonb('slowest_files').notNull().default(sql`'[]'::jsonb`),
    error: text('error'),
    createdAt: createdAt(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [index('ingestion_runs_release_idx').on(t.releaseId)],
);

/**
 * What a run's scan left out and why, one row per entry (a symlink, a FIFO, an unreadable
 * directory, a name that is not UTF-8): written with the chunk's own statement, set-at-a-time.
 * Paths are relative to the release, so readers of a published release see no server paths.
 */
export const runIssues = pgTable(
  'run_issues',
  {
    id: id(),
    runId: ref('run_id')
      .notNull()
      .references(() => ingestionRuns.id),
    path: text('path').notNull(),
    code: text('code').notNull(),
    message: text('message').notNull(),
  },
  (t) => [index('run_issues_run_idx').on(t.runId, t.id)],
);

/**
 * A run's progress over its life, one row per statement that moved its processed counter (a
 * batch's write, a scan chunk's skipped files, a retry taking failed files back: negative):
 * what the ingestion dashboard plots. Kept with the run, not read back from the files, whose
 * run_id and processed_at the next run of the release overwrites (a re-ingest erased the
 * earlier run's curve). One small row per batch, written by the batch's own statement.
 */
export const runProgress = pgTable(
  'run_progress',
  {
    id: id(),
    runId: ref('run_id')
      .notNull()
      .references(() => ingestionRuns.id),
    at: timestamp('at', { withTimezone: true }).notNull().default(sql`clock_timestamp()`),
    files: integer('files').notNull(),
  },
  (t) => [index('run_progress_run_idx').on(t.runId, t.at)],
);

/** Bearer tokens, stored as SHA-256 hashes; the plaintext is shown once when minted. */
export const apiTokens = pgTable('api_tokens', {
  id: id(),
  name: text('name').notNull(),
  role: text('role').notNull(),
  tokenHash: text('token_hash').notNull().unique(),
  createdAt: createdAt(),
  lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
  revokedAt: timestamp('revoked_at', { withTimezone: true }),
  /** Null: never expires. Past it the token is refused like a revoked one. */
  expiresAt: timestamp('expires_at', { withTimezone: true }),
});

/** Live API/worker processes; each heartbeats its row and what its jobs are doing. */
export const processes = pgTable('processes', {
  id: text('id').primaryKey(),
  role: text('role').notNull(),
  host: text('host').notNull(),
  pid: integer('pid').notNull(),
  startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
  lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
  /** graphile-worker ids of this process's workers: their locked jobs are freed when it dies. */
  workerIds: text('worker_ids').array().notNull().default(sql`'{}'::text[]`),
  /** In-flight jobs: [{ jobId, task, runId, currentFile, stage, since }]. */
  activity: jsonb('activity').notNull().default(sql`'[]'::jsonb`),
});

/** Profiles captured on request by the target process itself (node:inspector). */
export const profiles = pgTable('profiles', {
  id: id(),
  processId: text('process_id').notNull(),
  kind: text('kind').notNull(),
  seconds: doublePrecision('seconds').notNull(),
  status: text('status').notNull().default('requested'),
  /** The .cpuprofile / .heapprofile JSON text. */
  data: text('data'),
  sampleCount: integer('sample_count'),
  topFunctions: jsonb('top_functions'),
  error: text('error'),
  createdAt: createdAt(),
  completedAt: timestamp('completed_at', { withTimezone: true }),
});

/**
 * TAP asynchronous (UWS) jobs, src/vo/tap/uws*.ts. `id` is 128 random bits (hex): knowing it is
 * what lets an anonymous client see its job. A job made with a token belongs to that token
 * (`owner_token_id`, never the token) and is visible with it only. The row carries everything
 * the worker needs (query, limits, where to write), so a worker process needs no API config.
 * `destruction`: when the job and its result file are deleted (a `tap_destroy` job at that time).
 */
export const tapJobs = pgTable(
  'tap_jobs',
  {
    id: text('id').primaryKey(),
    ownerTokenId: ref('owner_token_id'),
    phase: text('phase').notNull().default('PENDING'),
    runId: text('run_id'),
    /** The job's parameters as given (names lower case), for the job document. */
    parameters: jsonb('parameters').notNull(),
    query: text('query').notNull(),
    maxrec: bigint('maxrec', { mode: 'number' }).notNull(),
    format: text('format').notNull(),
    /** Seconds; also the statement timeout. */
    executionDuration: integer('execution_duration').notNull(),
    destruction: timestamp('destruction', { withTimezone: true }).notNull(),
    resultPath: text('result_path').notNull(),
    /** The archive's base URL as the creating request saw it: ivoa.obscore's access_url in the result is built on it. */
    publicBase: text('public_base'),
    resultRows: bigint('result_rows', { mode: 'number' }),
    resultOverflow: boolean('result_overflow'),
    errorSummary: text('error_summary'),
    /** The error is the client's (bad ADQL), not the service's. */
    errorIsUsage: boolean('error_is_usage'),
    createdAt: createdAt(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    endedAt: timestamp('ended_at', { withTimezone: true }),
  },
  (t) => [index('tap_jobs_owner_idx').on(t.ownerTokenId, t.createdAt), index('tap_jobs_destruction_idx').on(t.destruction)],
);
