import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { SurveyModel, ReleaseModel, FileModel, HduModel, IssueModel, RecordModel, SourceModel, RunModel, FileConnectionModel } from '../graphql/models.js';
import type { CatalogueModel, CatalogueTableModel } from '../graphql/resolvers/catalogue-model.js';
import type { GraphQLContext } from '../graphql/context.js';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type Omit<T, K extends keyof T> = Pick<T, Exclude<keyof T, K>>;
export type RequireFields<T, K extends keyof T> = Omit<T, K> & { [P in K]-?: NonNullable<T[P]> };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string | number; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** Any JSON value: a FITS card value (boolean, number, string, {re, im}) or null. */
  JSON: { input: unknown; output: unknown; }
};

export type GqlArchiveProcess = {
  __typename?: 'ArchiveProcess';
  host: Scalars['String']['output'];
  id: Scalars['String']['output'];
  lastSeenAt: Scalars['String']['output'];
  pid: Scalars['Int']['output'];
  role: Scalars['String']['output'];
  startedAt: Scalars['String']['output'];
};

export type GqlCatalogue = {
  __typename?: 'Catalogue';
  columns: Array<GqlCatalogueColumn>;
  rowCount: Scalars['Float']['output'];
  /** The record's tables as loaded into the database (empty until the load has run, or when no table could be loaded: see the file's issues). */
  tables: Array<GqlCatalogueTable>;
};

export type GqlCatalogueColumn = {
  __typename?: 'CatalogueColumn';
  /** TCOMMn / TDESCn, when the file gives one. */
  description?: Maybe<Scalars['String']['output']>;
  max?: Maybe<Scalars['JSON']['output']>;
  min?: Maybe<Scalars['JSON']['output']>;
  name: Scalars['String']['output'];
  nullCount: Scalars['Float']['output'];
  type: Scalars['String']['output'];
  /** IVOA UCD (TUCDn), when the file gives one. */
  ucd?: Maybe<Scalars['String']['output']>;
  unit?: Maybe<Scalars['String']['output']>;
};

export type GqlCatalogueRowConnection = {
  __typename?: 'CatalogueRowConnection';
  edges: Array<GqlCatalogueRowEdge>;
  pageInfo: GqlPageInfo;
};

export type GqlCatalogueRowEdge = {
  __typename?: 'CatalogueRowEdge';
  cursor: Scalars['String']['output'];
  /** Degrees from the cone's centre, with a cone. */
  distance?: Maybe<Scalars['Float']['output']>;
  /** The row: column name -> value (integers beyond 2^53 as decimal strings). */
  row: Scalars['JSON']['output'];
};

export type GqlCatalogueTable = {
  __typename?: 'CatalogueTable';
  /** Columns in table order; name is the SQL name (lower case, safe), as in rows, where and TAP. */
  columns: Array<GqlCatalogueColumn>;
  id: Scalars['ID']['output'];
  /** schema.table name in TAP/ADQL and SQL, e.g. gama_dr4.stellarmass */
  qualifiedName: Scalars['String']['output'];
  record: GqlRecord;
  rowCount: Scalars['Float']['output'];
  /** Rows as JSON objects keyed by column name; cone needs the table's RA/Dec columns. */
  rows: GqlCatalogueRowConnection;
};


export type GqlCatalogueTableRowsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  cone?: InputMaybe<GqlConeInput>;
  first?: InputMaybe<Scalars['Int']['input']>;
  where?: InputMaybe<Array<GqlColumnCondition>>;
};

/** A condition on one column: value is a number, string or boolean of the column's type; IS_NULL takes true (is null) or false (is not null). */
export type GqlColumnCondition = {
  column: Scalars['String']['input'];
  op: GqlComparisonOp;
  value: Scalars['JSON']['input'];
};

export type GqlComparisonOp =
  | 'EQ'
  | 'GE'
  | 'GT'
  | 'IS_NULL'
  | 'LE'
  | 'LIKE'
  | 'LT'
  | 'NE';

/** A cone on the sky, degrees (ICRS): ra in [0, 360), dec in [-90, 90], radius in (0, 180]. */
export type GqlConeInput = {
  dec: Scalars['Float']['input'];
  ra: Scalars['Float']['input'];
  radius: Scalars['Float']['input'];
};

/** What to match against: exactly one of records (true) or table (a catalogue table's id). */
export type GqlCrossmatchAgainst = {
  records?: InputMaybe<Scalars['Boolean']['input']>;
  table?: InputMaybe<Scalars['ID']['input']>;
};

export type GqlCrossmatchConnection = {
  __typename?: 'CrossmatchConnection';
  edges: Array<GqlCrossmatchEdge>;
  pageInfo: GqlPageInfo;
};

export type GqlCrossmatchEdge = {
  __typename?: 'CrossmatchEdge';
  /** Cursor of the row of `table` this pair belongs to. */
  cursor: Scalars['String']['output'];
  dec: Scalars['Float']['output'];
  /** Arcseconds between the two positions. */
  distance: Scalars['Float']['output'];
  matchDec: Scalars['Float']['output'];
  /** The matched record's centre, or the matched row's position. */
  matchRa: Scalars['Float']['output'];
  /** The matched row's _row in the other table, against a table. */
  matchRow?: Maybe<Scalars['Float']['output']>;
  ra: Scalars['Float']['output'];
  /** The matched record, against records. */
  record?: Maybe<GqlRecord>;
  /** The row's _row in `table` (its position in the file, from 1). */
  row: Scalars['Float']['output'];
};

export type GqlCrossmatchMode =
  | 'ALL'
  | 'NEAREST';

/** A statement of a session of the archive's database (idle sessions are left out). Query texts have their literals replaced by ? and are cut to 2,000 characters. */
export type GqlDatabaseStatement = {
  __typename?: 'DatabaseStatement';
  /** Since the statement started. */
  ageSeconds: Scalars['Float']['output'];
  applicationName?: Maybe<Scalars['String']['output']>;
  /** client backend, autovacuum worker, ... */
  backendType?: Maybe<Scalars['String']['output']>;
  /** Sessions whose locks this one waits for (pg_blocking_pids). */
  blockedBy: Array<Scalars['Int']['output']>;
  pid: Scalars['Int']['output'];
  query: Scalars['String']['output'];
  state: Scalars['String']['output'];
  waitEvent?: Maybe<Scalars['String']['output']>;
  /** Lock, LWLock, IO, Client, ... */
  waitEventType?: Maybe<Scalars['String']['output']>;
};

export type GqlFile = {
  __typename?: 'File';
  /** SHA-256 of the file's bytes, hex. */
  checksum?: Maybe<Scalars['String']['output']>;
  /** Absolute URL of the file's bytes (GET; Range, ETag = checksum). Draft releases' files need a bearer token there, or use signedDownloadUrl. */
  downloadUrl: Scalars['String']['output'];
  /** The file's HDUs in order; with index, only that one (0 = primary), so a page can ask for one HDU's cards at a time. */
  hdus: Array<GqlHdu>;
  id: Scalars['ID']['output'];
  issues: Array<GqlValidationIssue>;
  kind: GqlFileKind;
  /** True when the last ingest (or a download) no longer found the file on disk. */
  missing: Scalars['Boolean']['output'];
  /** Path relative to the ingested directory, /-separated. */
  path: Scalars['String']['output'];
  record?: Maybe<GqlRecord>;
  release: GqlRelease;
  /** downloadUrl with a signature that lets anyone holding the link download this file until it expires (1 to 86400 s): for browser downloads of draft files, without a token in the URL. */
  signedDownloadUrl: Scalars['String']['output'];
  sizeBytes: Scalars['Float']['output'];
  status: GqlFileStatus;
};


export type GqlFileHdusArgs = {
  index?: InputMaybe<Scalars['Int']['input']>;
};


export type GqlFileSignedDownloadUrlArgs = {
  expiresInSeconds?: InputMaybe<Scalars['Int']['input']>;
};

export type GqlFileConnection = {
  __typename?: 'FileConnection';
  edges: Array<GqlFileEdge>;
  pageInfo: GqlPageInfo;
  totalCount: Scalars['Int']['output'];
};

export type GqlFileEdge = {
  __typename?: 'FileEdge';
  cursor: Scalars['String']['output'];
  node: GqlFile;
};

export type GqlFileKind =
  | 'BLOB'
  | 'CATALOGUE'
  | 'IFS_CUBE'
  | 'IMAGE'
  | 'SPECTRUM';

export type GqlFileOrder =
  | 'ID'
  | 'PATH';

export type GqlFileStatus =
  | 'FAILED'
  | 'INGESTED'
  | 'INVALID'
  | 'PENDING'
  | 'SKIPPED';

/** A closed interval; a missing end is open. min <= max. */
export type GqlFloatRange = {
  max?: InputMaybe<Scalars['Float']['input']>;
  min?: InputMaybe<Scalars['Float']['input']>;
};

export type GqlHdu = {
  __typename?: 'Hdu';
  bitpix?: Maybe<Scalars['Int']['output']>;
  /** How many cards the header has (without sending them). */
  cardCount: Scalars['Int']['output'];
  /** The header's cards; with match, only those whose keyword, value or comment contains it (case-insensitive), so a search sends only what it found. */
  header: Array<GqlHeaderCard>;
  /**
   * The shape of the image this HDU holds, [axis 1, axis 2, ...] with the fastest-varying axis
   * first: ZNAXISn for a tile-compressed image (a BINTABLE with ZIMAGE = T), NAXISn for a
   * primary array or IMAGE extension. Null for tables, random groups and HDUs without data.
   */
  imageShape?: Maybe<Array<Scalars['Int']['output']>>;
  index: Scalars['Int']['output'];
  /** [NAXIS1, NAXIS2, ...] as the header writes them; empty when NAXIS = 0. For a tile-compressed image these describe the binary table that stores it: see imageShape. */
  naxis: Array<Scalars['Int']['output']>;
  /** PRIMARY, IMAGE, BINTABLE, TABLE, or the XTENSION value as written. */
  type: Scalars['String']['output'];
};


export type GqlHduHeaderArgs = {
  match?: InputMaybe<Scalars['String']['input']>;
};

export type GqlHeaderCard = {
  __typename?: 'HeaderCard';
  comment?: Maybe<Scalars['String']['output']>;
  keyword: Scalars['String']['output'];
  value?: Maybe<Scalars['JSON']['output']>;
};

export type GqlIngestReleaseInput = {
  /** A directory: absolute inside ARCHIVE_DATA_ROOT, or relative to it. */
  path: Scalars['String']['input'];
  release: Scalars['String']['input'];
  survey: Scalars['String']['input'];
};

export type GqlIngestionRun = {
  __typename?: 'IngestionRun';
  /** Catalogue tables of the run's files still loading. The run stays RUNNING until none is left: when it ends, its tables are queryable. */
  catalogueLoadsPending: Scalars['Int']['output'];
  error?: Maybe<Scalars['String']['output']>;
  failedFiles: Scalars['Int']['output'];
  filesPerSecond?: Maybe<Scalars['Float']['output']>;
  finishedAt?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  ingestedFiles: Scalars['Int']['output'];
  invalidFiles: Scalars['Int']['output'];
  /** Why the scan left entries out, in the order it found them (at most `first`, 0-1000). */
  issues: Array<GqlRunIssue>;
  /** Files registered by an earlier ingest that this run's scan no longer found. */
  missingFiles: Scalars['Int']['output'];
  processedFiles: Scalars['Int']['output'];
  /** SQL statements the run's jobs sent. */
  queries: Scalars['Float']['output'];
  queriesPerFile?: Maybe<Scalars['Float']['output']>;
  release: GqlRelease;
  /** The scan has found every file: until then totalFiles is still growing. */
  scanDone: Scalars['Boolean']['output'];
  /** Directory entries the scan left out (symbolic links, FIFOs, sockets, unreadable directories, names that are not UTF-8, over-long paths); each is listed in `issues`. */
  skippedEntries: Scalars['Int']['output'];
  skippedFiles: Scalars['Int']['output'];
  slowestFiles: Array<GqlSlowFile>;
  stages: Array<GqlStageTiming>;
  startedAt?: Maybe<Scalars['String']['output']>;
  status: GqlRunStatus;
  /** Files finished over the run's life: at most `points` (2-500) equal intervals from the run's start to its end (or now), from each file's processing time. One statement over the release's files. */
  throughput: Array<GqlThroughputPoint>;
  totalFiles: Scalars['Int']['output'];
};


export type GqlIngestionRunIssuesArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type GqlIngestionRunSlowestFilesArgs = {
  limit?: InputMaybe<Scalars['Int']['input']>;
};


export type GqlIngestionRunThroughputArgs = {
  points?: InputMaybe<Scalars['Int']['input']>;
};

export type GqlJobActivity = {
  __typename?: 'JobActivity';
  currentFile?: Maybe<Scalars['String']['output']>;
  elapsedSeconds: Scalars['Float']['output'];
  jobId: Scalars['String']['output'];
  processId: Scalars['String']['output'];
  runId?: Maybe<Scalars['ID']['output']>;
  stage?: Maybe<Scalars['String']['output']>;
  task: Scalars['String']['output'];
};

export type GqlMutation = {
  __typename?: 'Mutation';
  /** Ask a process to sample itself for `seconds` and store the profile. Needs an admin token. */
  captureProfile: GqlProfile;
  /** Mint a bearer token (shown once; stored hashed), valid for `expiresInDays` days (1-3650) or until revoked. Needs an admin token. */
  createToken: GqlNewToken;
  /** Scan a directory under ARCHIVE_DATA_ROOT into a draft release (created if new). Needs an admin or ingest token. */
  ingestRelease: GqlIngestionRun;
  /** Make a release public and immutable. Needs an admin token. */
  publishRelease: GqlRelease;
  /** Re-queue only the FAILED files of a run. Needs an admin or ingest token. */
  retryFailed: GqlIngestionRun;
  /** Revoke a token at once: requests sending it answer 401 from then on. Revoking twice keeps the first time. Needs an admin token. */
  revokeToken: GqlToken;
};


export type GqlMutationCaptureProfileArgs = {
  kind?: InputMaybe<GqlProfileKind>;
  seconds: Scalars['Int']['input'];
  target?: InputMaybe<Scalars['String']['input']>;
};


export type GqlMutationCreateTokenArgs = {
  expiresInDays?: InputMaybe<Scalars['Int']['input']>;
  name: Scalars['String']['input'];
  role: GqlTokenRole;
};


export type GqlMutationIngestReleaseArgs = {
  input: GqlIngestReleaseInput;
};


export type GqlMutationPublishReleaseArgs = {
  id: Scalars['ID']['input'];
};


export type GqlMutationRetryFailedArgs = {
  runId: Scalars['ID']['input'];
};


export type GqlMutationRevokeTokenArgs = {
  id: Scalars['ID']['input'];
};

export type GqlNewToken = {
  __typename?: 'NewToken';
  /** ISO 8601; null: never expires. */
  expiresAt?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  name: Scalars['String']['output'];
  role: GqlTokenRole;
  /** The bearer token; it cannot be shown again. */
  token: Scalars['String']['output'];
};

export type GqlPageInfo = {
  __typename?: 'PageInfo';
  endCursor?: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
};

/** A position, degrees (ICRS): ra in [0, 360), dec in [-90, 90]. */
export type GqlPointInput = {
  dec: Scalars['Float']['input'];
  ra: Scalars['Float']['input'];
};

export type GqlProfile = {
  __typename?: 'Profile';
  /** ISO 8601 */
  createdAt: Scalars['String']['output'];
  /** Why it failed, when it did. */
  error?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  kind: GqlProfileKind;
  processId: Scalars['String']['output'];
  sampleCount: Scalars['Int']['output'];
  seconds: Scalars['Float']['output'];
  /** requested, running, done or failed */
  status: Scalars['String']['output'];
  topFunctions: Array<GqlProfileFunction>;
  /** GET url -> .cpuprofile JSON; the same url without the .cpuprofile ending -> a flame graph page served offline. */
  url: Scalars['String']['output'];
};

export type GqlProfileFunction = {
  __typename?: 'ProfileFunction';
  file?: Maybe<Scalars['String']['output']>;
  line?: Maybe<Scalars['Int']['output']>;
  name: Scalars['String']['output'];
  selfPercent: Scalars['Float']['output'];
  totalPercent?: Maybe<Scalars['Float']['output']>;
};

export type GqlProfileKind =
  | 'CPU'
  | 'HEAP';

export type GqlQuery = {
  __typename?: 'Query';
  /** What each in-flight job is doing right now. */
  activity: Array<GqlJobActivity>;
  /** A loaded catalogue table; null when unknown or in a release the caller cannot see. */
  catalogueTable?: Maybe<GqlCatalogueTable>;
  /**
   * Pairs of a row of `table` (which needs RA/Dec columns) and a record, or a row of another
   * table, within `radius` arcseconds (0-60]: the nearest match of each row (NEAREST) or every
   * match (ALL). Pages go through `table`'s rows in order: `first` (0-1000) rows are examined per
   * page and rows without a match give no edge, so a page may have fewer edges than `first`;
   * follow `pageInfo.endCursor` while `hasNextPage`. Null when `table` is unknown or in a release
   * the caller cannot see. Only records (and rows of tables) the caller can see are matched;
   * records of INVALID files never are.
   */
  crossmatch?: Maybe<GqlCrossmatchConnection>;
  /** Statements running in the archive's database now, and what blocks them. Admin only. */
  databaseActivity: Array<GqlDatabaseStatement>;
  file?: Maybe<GqlFile>;
  ingestionRun?: Maybe<GqlIngestionRun>;
  /** Ingestion runs of the releases visible to the caller (anonymous: published only), newest first (first: 1-100). */
  ingestionRuns: Array<GqlIngestionRun>;
  /** Every live API/worker process, from database heartbeats. */
  processes: Array<GqlArchiveProcess>;
  profile?: Maybe<GqlProfile>;
  /** Profiles captured so far, newest first (first: 1-100). Needs an admin token. */
  profiles: Array<GqlProfile>;
  record?: Maybe<GqlRecord>;
  /** Records visible to the caller (anonymous: published releases only); filters AND together. Keyset pagination (after: a cursor of the same orderBy), stable order; first: 0-1000, default 50. */
  records: GqlRecordConnection;
  release?: Maybe<GqlRelease>;
  /** Releases visible to the caller (anonymous: published only), optionally of one survey. */
  releases: Array<GqlRelease>;
  source?: Maybe<GqlSource>;
  /** Sources by name (case-insensitive exact or prefix) or around a position (their Source.ra/dec), visible through a record the caller can see; in id order. first: 0-1000, default 50. */
  sources: GqlSourceConnection;
  surveys: Array<GqlSurvey>;
  /** Every bearer token, newest first: who holds what, when it was last used, whether it still works. Never the secret. Needs an admin token. */
  tokens: Array<GqlToken>;
  /** The statements that took the most execution time in the archive's database since its statistics were reset (pg_stat_statements), literals stripped (first: 1-100). Admin only. */
  topStatements: GqlTopStatements;
  /** The caller's identity: null for anonymous clients. */
  viewer?: Maybe<GqlViewer>;
};


export type GqlQueryCatalogueTableArgs = {
  id: Scalars['ID']['input'];
};


export type GqlQueryCrossmatchArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  against: GqlCrossmatchAgainst;
  first?: InputMaybe<Scalars['Int']['input']>;
  mode?: InputMaybe<GqlCrossmatchMode>;
  radius: Scalars['Float']['input'];
  table: Scalars['ID']['input'];
};


export type GqlQueryFileArgs = {
  id: Scalars['ID']['input'];
};


export type GqlQueryIngestionRunArgs = {
  id: Scalars['ID']['input'];
};


export type GqlQueryIngestionRunsArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type GqlQueryProfileArgs = {
  id: Scalars['ID']['input'];
};


export type GqlQueryProfilesArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type GqlQueryRecordArgs = {
  id: Scalars['ID']['input'];
};


export type GqlQueryRecordsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<GqlRecordFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
  orderBy?: InputMaybe<GqlRecordOrder>;
};


export type GqlQueryReleaseArgs = {
  id: Scalars['ID']['input'];
};


export type GqlQueryReleasesArgs = {
  survey?: InputMaybe<Scalars['String']['input']>;
};


export type GqlQuerySourceArgs = {
  id: Scalars['ID']['input'];
};


export type GqlQuerySourcesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<GqlSourceFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type GqlQueryTopStatementsArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
};

export type GqlRecord = {
  __typename?: 'Record';
  /** Size of the file in bytes (ObsCore access_estsize is in kB; this is bytes). */
  accessEstsize: Scalars['Float']['output'];
  /** MIME type of the file (ObsCore access_format), e.g. application/fits: the Content-Type the download answers with. */
  accessFormat: Scalars['String']['output'];
  /** Absolute URL of the file's bytes (ObsCore access_url): its File.downloadUrl. */
  accessUrl: Scalars['String']['output'];
  /** ObsCore calib_level, 0 (raw) to 4 (analysis products): from the release's rules, else a default per kind. */
  calibLevel?: Maybe<Scalars['Int']['output']>;
  /** Catalogue tables: row count and per-column statistics. */
  catalogue?: Maybe<GqlCatalogue>;
  center?: Maybe<GqlSkyPosition>;
  /** ObsCore dataproduct_type: spectrum, cube, image, measurements (catalogues) or other. */
  dataproductType: Scalars['String']['output'];
  /** Longest wavelength covered, in metres. */
  emMax?: Maybe<Scalars['Float']['output']>;
  /** Shortest wavelength covered, in metres (converted from the file's spectral unit). */
  emMin?: Maybe<Scalars['Float']['output']>;
  /** Telescope (TELESCOP). */
  facilityName?: Maybe<Scalars['String']['output']>;
  file: GqlFile;
  footprint?: Maybe<Array<GqlSkyPosition>>;
  /** Field of view, degrees: diameter of the smallest circle enclosing the footprint. */
  fov?: Maybe<Scalars['Float']['output']>;
  id: Scalars['ID']['output'];
  /** Instrument (INSTRUME). */
  instrumentName?: Maybe<Scalars['String']['output']>;
  /** survey/release/path: stable across re-ingests (ObsCore obs_id). */
  obsId: Scalars['String']['output'];
  productType: Scalars['String']['output'];
  release: GqlRelease;
  source?: Maybe<GqlSource>;
  spectralRange?: Maybe<GqlSpectralRange>;
  /**
   * Spectrum values for plotting (1-D spectra; null for other records): wavelengths in metres
   * and fluxes, at most maxPoints (2 to 20000), min-max decimated so that peaks survive. Read
   * from the file as ingested: a file changed or gone since is an error, not other numbers.
   */
  spectrum?: Maybe<GqlSpectrumData>;
  /** Exposure time, seconds. */
  tExptime?: Maybe<Scalars['Float']['output']>;
  /** End of the observation, MJD (UTC). */
  tMax?: Maybe<Scalars['Float']['output']>;
  /** Start of the observation, MJD (UTC). */
  tMin?: Maybe<Scalars['Float']['output']>;
  /** Name of the source observed (the record's source). */
  targetName?: Maybe<Scalars['String']['output']>;
};


export type GqlRecordSpectrumArgs = {
  maxPoints?: InputMaybe<Scalars['Int']['input']>;
};

export type GqlRecordConnection = {
  __typename?: 'RecordConnection';
  edges: Array<GqlRecordEdge>;
  pageInfo: GqlPageInfo;
  /** Records matching the filter (one more statement: computed only when selected). */
  totalCount?: Maybe<Scalars['Int']['output']>;
};

export type GqlRecordEdge = {
  __typename?: 'RecordEdge';
  cursor: Scalars['String']['output'];
  /** Degrees from the cone's centre, with a cone filter. */
  distance?: Maybe<Scalars['Float']['output']>;
  node: GqlRecord;
};

export type GqlRecordFilter = {
  /** Records whose position (center) lies within the cone. */
  cone?: InputMaybe<GqlConeInput>;
  /** Records whose footprint contains the point. */
  covers?: InputMaybe<GqlPointInput>;
  /** Telescope (TELESCOP), exact. */
  facility?: InputMaybe<Scalars['String']['input']>;
  /** Records of INVALID files are left out unless asked for. */
  includeInvalid?: InputMaybe<Scalars['Boolean']['input']>;
  /** Instrument (INSTRUME), exact. */
  instrument?: InputMaybe<Scalars['String']['input']>;
  kind?: InputMaybe<Array<GqlFileKind>>;
  productType?: InputMaybe<Array<Scalars['String']['input']>>;
  release?: InputMaybe<Scalars['ID']['input']>;
  /** Survey name. */
  survey?: InputMaybe<Scalars['String']['input']>;
  /** The record's source name, case-insensitive. */
  targetName?: InputMaybe<Scalars['String']['input']>;
  /** Records whose [tMin, tMax] overlaps it (MJD). */
  time?: InputMaybe<GqlFloatRange>;
  /** Records whose [emMin, emMax] overlaps it (metres). */
  wavelength?: InputMaybe<GqlFloatRange>;
};

/** ID: by record id. DISTANCE: nearest the cone's centre first (needs a cone). T_MIN: earliest observation first, records without a time last. */
export type GqlRecordOrder =
  | 'DISTANCE'
  | 'ID'
  | 'T_MIN';

export type GqlRelease = {
  __typename?: 'Release';
  /** Absolute URL of the release as one streamed tar (GET; files, then SHA256SUMS). A draft release's archive needs a bearer token there, or use signedArchiveUrl. */
  archiveUrl: Scalars['String']['output'];
  fileCount: Scalars['Int']['output'];
  /** A page of the release's files: in id order (the order the scan found them), or by path (PATH: as a directory listing reads). A cursor belongs to the order it came from. */
  files: GqlFileConnection;
  id: Scalars['ID']['output'];
  name: Scalars['String']['output'];
  published: Scalars['Boolean']['output'];
  runs: Array<GqlIngestionRun>;
  /** archiveUrl with a signature that lets anyone holding the link download this release's archive until it expires (1 to 86400 s): for browser downloads of draft releases, without a token in the URL. */
  signedArchiveUrl: Scalars['String']['output'];
  /** draft or published */
  status: Scalars['String']['output'];
  survey: GqlSurvey;
};


export type GqlReleaseFilesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  kind?: InputMaybe<GqlFileKind>;
  orderBy?: InputMaybe<GqlFileOrder>;
  status?: InputMaybe<GqlFileStatus>;
};


export type GqlReleaseSignedArchiveUrlArgs = {
  expiresInSeconds?: InputMaybe<Scalars['Int']['input']>;
};

/** An entry of the release directory that the scan left out. */
export type GqlRunIssue = {
  __typename?: 'RunIssue';
  /** SYMLINK_NOT_FOLLOWED, NOT_REGULAR_FILE, NAME_NOT_UTF8, PATH_TOO_LONG, DIRECTORY_UNREADABLE or FILE_UNREADABLE. */
  code: Scalars['String']['output'];
  message: Scalars['String']['output'];
  /** Relative to the release directory, /-separated; bytes that are not UTF-8 are shown as \xNN. */
  path: Scalars['String']['output'];
};

export type GqlRunStatus =
  | 'FAILED'
  | 'PARTIAL'
  | 'QUEUED'
  | 'RUNNING'
  | 'SUCCEEDED';

export type GqlSeverity =
  | 'ERROR'
  | 'INFO'
  | 'WARNING';

export type GqlSkyPosition = {
  __typename?: 'SkyPosition';
  dec: Scalars['Float']['output'];
  ra: Scalars['Float']['output'];
};

export type GqlSlowFile = {
  __typename?: 'SlowFile';
  path: Scalars['String']['output'];
  seconds: Scalars['Float']['output'];
  stage: Scalars['String']['output'];
};

export type GqlSource = {
  __typename?: 'Source';
  dec?: Maybe<Scalars['Float']['output']>;
  id: Scalars['ID']['output'];
  name: Scalars['String']['output'];
  /** Mean position (degrees) of the source's records that have one and that the caller may see. */
  ra?: Maybe<Scalars['Float']['output']>;
  records: Array<GqlRecord>;
};

export type GqlSourceConnection = {
  __typename?: 'SourceConnection';
  edges: Array<GqlSourceEdge>;
  pageInfo: GqlPageInfo;
};

export type GqlSourceEdge = {
  __typename?: 'SourceEdge';
  cursor: Scalars['String']['output'];
  /** Degrees from the cone's centre to Source.ra/dec, with a cone filter. */
  distance?: Maybe<Scalars['Float']['output']>;
  node: GqlSource;
};

/** Filters AND together. name: case-insensitive exact; namePrefix: case-insensitive prefix; cone: the source's mean position (Source.ra/dec) lies within it. */
export type GqlSourceFilter = {
  cone?: InputMaybe<GqlConeInput>;
  name?: InputMaybe<Scalars['String']['input']>;
  namePrefix?: InputMaybe<Scalars['String']['input']>;
};

export type GqlSpectralRange = {
  __typename?: 'SpectralRange';
  max: Scalars['Float']['output'];
  min: Scalars['Float']['output'];
  unit: Scalars['String']['output'];
};

/** A spectrum's points in file order. Flux is null where the file has no value (NaN, BLANK). */
export type GqlSpectrumData = {
  __typename?: 'SpectrumData';
  /** The file has more points than maxPoints: each of points/2 bins kept its lowest and highest value, in order. */
  decimated: Scalars['Boolean']['output'];
  flux: Array<Maybe<Scalars['Float']['output']>>;
  /** The file's flux unit (BUNIT, or the flux column's TUNIT). */
  fluxUnit?: Maybe<Scalars['String']['output']>;
  /** Number of points returned. */
  points: Scalars['Int']['output'];
  /** Unit of wavelength: m, or, when the file's spectral axis has no wavelength equivalent, the values' own unit (pixel: 1-based pixel numbers). */
  unit?: Maybe<Scalars['String']['output']>;
  wavelength: Array<Scalars['Float']['output']>;
};

export type GqlStageTiming = {
  __typename?: 'StageTiming';
  name: Scalars['String']['output'];
  seconds: Scalars['Float']['output'];
};

export type GqlSurvey = {
  __typename?: 'Survey';
  id: Scalars['ID']['output'];
  name: Scalars['String']['output'];
  releases: Array<GqlRelease>;
};

export type GqlThroughputPoint = {
  __typename?: 'ThroughputPoint';
  /** Files finished in the interval, per second. */
  filesPerSecond: Scalars['Float']['output'];
  /** Files finished from the run's start to the end of the interval. */
  processedFiles: Scalars['Int']['output'];
  /** Seconds from the run's start to the end of the interval. */
  seconds: Scalars['Float']['output'];
};

/** A bearer token's record (the secret is shown once, by createToken, and stored only as a hash). Times are ISO 8601. */
export type GqlToken = {
  __typename?: 'Token';
  createdAt: Scalars['String']['output'];
  /** null: never expires */
  expiresAt?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  /** updated at most once a minute */
  lastUsedAt?: Maybe<Scalars['String']['output']>;
  name: Scalars['String']['output'];
  revokedAt?: Maybe<Scalars['String']['output']>;
  role: GqlTokenRole;
};

export type GqlTokenRole =
  | 'admin'
  | 'ingest';

export type GqlTopStatement = {
  __typename?: 'TopStatement';
  calls: Scalars['Float']['output'];
  meanMs: Scalars['Float']['output'];
  query: Scalars['String']['output'];
  rows: Scalars['Float']['output'];
  totalSeconds: Scalars['Float']['output'];
};

export type GqlTopStatements = {
  __typename?: 'TopStatements';
  /** False when pg_stat_statements is not installed in the database or not loaded by the server. */
  available: Scalars['Boolean']['output'];
  /** Why not, when not available. */
  reason?: Maybe<Scalars['String']['output']>;
  statements: Array<GqlTopStatement>;
};

export type GqlValidationIssue = {
  __typename?: 'ValidationIssue';
  code: Scalars['String']['output'];
  hdu?: Maybe<Scalars['Int']['output']>;
  keyword?: Maybe<Scalars['String']['output']>;
  message: Scalars['String']['output'];
  severity: GqlSeverity;
};

export type GqlViewer = {
  __typename?: 'Viewer';
  role: GqlTokenRole;
  tokenName: Scalars['String']['output'];
};

export type WithIndex<TObject> = TObject & Record<string, any>;
export type ResolversObject<TObject> = WithIndex<TObject>;

export type ResolverTypeWrapper<T> = Promise<T> | T;


export type ResolverWithResolve<TResult, TParent, TContext, TArgs> = {
  resolve: ResolverFn<TResult, TParent, TContext, TArgs>;
};
export type Resolver<TResult, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = ResolverFn<TResult, TParent, TContext, TArgs> | ResolverWithResolve<TResult, TParent, TContext, TArgs>;

export type ResolverFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => Promise<TResult> | TResult;

export type SubscriptionSubscribeFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => AsyncIterable<TResult> | Promise<AsyncIterable<TResult>>;

export type SubscriptionResolveFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

export interface SubscriptionSubscriberObject<TResult, TKey extends string, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<{ [key in TKey]: TResult }, TParent, TContext, TArgs>;
  resolve?: SubscriptionResolveFn<TResult, { [key in TKey]: TResult }, TContext, TArgs>;
}

export interface SubscriptionResolverObject<TResult, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<any, TParent, TContext, TArgs>;
  resolve: SubscriptionResolveFn<TResult, any, TContext, TArgs>;
}

export type SubscriptionObject<TResult, TKey extends string, TParent, TContext, TArgs> =
  | SubscriptionSubscriberObject<TResult, TKey, TParent, TContext, TArgs>
  | SubscriptionResolverObject<TResult, TParent, TContext, TArgs>;

export type SubscriptionResolver<TResult, TKey extends string, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> =
  | ((...args: any[]) => SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>)
  | SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>;

export type TypeResolveFn<TTypes, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (
  parent: TParent,
  context: TContext,
  info: GraphQLResolveInfo
) => Maybe<TTypes> | Promise<Maybe<TTypes>>;

export type IsTypeOfResolverFn<T = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (obj: T, context: TContext, info: GraphQLResolveInfo) => boolean | Promise<boolean>;

export type NextResolverFn<T> = () => Promise<T>;

export type DirectiveResolverFn<TResult = Record<PropertyKey, never>, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = (
  next: NextResolverFn<TResult>,
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;





/** Mapping between all available schema types and the resolvers types */
export type GqlResolversTypes = ResolversObject<{
  ArchiveProcess: ResolverTypeWrapper<GqlArchiveProcess>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  Catalogue: ResolverTypeWrapper<CatalogueModel>;
  CatalogueColumn: ResolverTypeWrapper<GqlCatalogueColumn>;
  CatalogueRowConnection: ResolverTypeWrapper<GqlCatalogueRowConnection>;
  CatalogueRowEdge: ResolverTypeWrapper<GqlCatalogueRowEdge>;
  CatalogueTable: ResolverTypeWrapper<CatalogueTableModel>;
  ColumnCondition: GqlColumnCondition;
  ComparisonOp: GqlComparisonOp;
  ConeInput: GqlConeInput;
  CrossmatchAgainst: GqlCrossmatchAgainst;
  CrossmatchConnection: ResolverTypeWrapper<Omit<GqlCrossmatchConnection, 'edges'> & { edges: Array<GqlResolversTypes['CrossmatchEdge']> }>;
  CrossmatchEdge: ResolverTypeWrapper<Omit<GqlCrossmatchEdge, 'record'> & { record?: Maybe<GqlResolversTypes['Record']> }>;
  CrossmatchMode: GqlCrossmatchMode;
  DatabaseStatement: ResolverTypeWrapper<GqlDatabaseStatement>;
  File: ResolverTypeWrapper<FileModel>;
  FileConnection: ResolverTypeWrapper<FileConnectionModel>;
  FileEdge: ResolverTypeWrapper<Omit<GqlFileEdge, 'node'> & { node: GqlResolversTypes['File'] }>;
  FileKind: GqlFileKind;
  FileOrder: GqlFileOrder;
  FileStatus: GqlFileStatus;
  Float: ResolverTypeWrapper<Scalars['Float']['output']>;
  FloatRange: GqlFloatRange;
  Hdu: ResolverTypeWrapper<HduModel>;
  HeaderCard: ResolverTypeWrapper<GqlHeaderCard>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  IngestReleaseInput: GqlIngestReleaseInput;
  IngestionRun: ResolverTypeWrapper<RunModel>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  JSON: ResolverTypeWrapper<Scalars['JSON']['output']>;
  JobActivity: ResolverTypeWrapper<GqlJobActivity>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  NewToken: ResolverTypeWrapper<GqlNewToken>;
  PageInfo: ResolverTypeWrapper<GqlPageInfo>;
  PointInput: GqlPointInput;
  Profile: ResolverTypeWrapper<GqlProfile>;
  ProfileFunction: ResolverTypeWrapper<GqlProfileFunction>;
  ProfileKind: GqlProfileKind;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Record: ResolverTypeWrapper<RecordModel>;
  RecordConnection: ResolverTypeWrapper<Omit<GqlRecordConnection, 'edges'> & { edges: Array<GqlResolversTypes['RecordEdge']> }>;
  RecordEdge: ResolverTypeWrapper<Omit<GqlRecordEdge, 'node'> & { node: GqlResolversTypes['Record'] }>;
  RecordFilter: GqlRecordFilter;
  RecordOrder: GqlRecordOrder;
  Release: ResolverTypeWrapper<ReleaseModel>;
  RunIssue: ResolverTypeWrapper<GqlRunIssue>;
  RunStatus: GqlRunStatus;
  Severity: GqlSeverity;
  SkyPosition: ResolverTypeWrapper<GqlSkyPosition>;
  SlowFile: ResolverTypeWrapper<GqlSlowFile>;
  Source: ResolverTypeWrapper<SourceModel>;
  SourceConnection: ResolverTypeWrapper<Omit<GqlSourceConnection, 'edges'> & { edges: Array<GqlResolversTypes['SourceEdge']> }>;
  SourceEdge: ResolverTypeWrapper<Omit<GqlSourceEdge, 'node'> & { node: GqlResolversTypes['Source'] }>;
  SourceFilter: GqlSourceFilter;
  SpectralRange: ResolverTypeWrapper<GqlSpectralRange>;
  SpectrumData: ResolverTypeWrapper<GqlSpectrumData>;
  StageTiming: ResolverTypeWrapper<GqlStageTiming>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  Survey: ResolverTypeWrapper<SurveyModel>;
  ThroughputPoint: ResolverTypeWrapper<GqlThroughputPoint>;
  Token: ResolverTypeWrapper<GqlToken>;
  TokenRole: GqlTokenRole;
  TopStatement: ResolverTypeWrapper<GqlTopStatement>;
  TopStatements: ResolverTypeWrapper<GqlTopStatements>;
  ValidationIssue: ResolverTypeWrapper<IssueModel>;
  Viewer: ResolverTypeWrapper<GqlViewer>;
}>;

/** Mapping between all available schema types and the resolvers parents */
export type GqlResolversParentTypes = ResolversObject<{
  ArchiveProcess: GqlArchiveProcess;
  Boolean: Scalars['Boolean']['output'];
  Catalogue: CatalogueModel;
  CatalogueColumn: GqlCatalogueColumn;
  CatalogueRowConnection: GqlCatalogueRowConnection;
  CatalogueRowEdge: GqlCatalogueRowEdge;
  CatalogueTable: CatalogueTableModel;
  ColumnCondition: GqlColumnCondition;
  ConeInput: GqlConeInput;
  CrossmatchAgainst: GqlCrossmatchAgainst;
  CrossmatchConnection: Omit<GqlCrossmatchConnection, 'edges'> & { edges: Array<GqlResolversParentTypes['CrossmatchEdge']> };
  CrossmatchEdge: Omit<GqlCrossmatchEdge, 'record'> & { record?: Maybe<GqlResolversParentTypes['Record']> };
  DatabaseStatement: GqlDatabaseStatement;
  File: FileModel;
  FileConnection: FileConnectionModel;
  FileEdge: Omit<GqlFileEdge, 'node'> & { node: GqlResolversParentTypes['File'] };
  Float: Scalars['Float']['output'];
  FloatRange: GqlFloatRange;
  Hdu: HduModel;
  HeaderCard: GqlHeaderCard;
  ID: Scalars['ID']['output'];
  IngestReleaseInput: GqlIngestReleaseInput;
  IngestionRun: RunModel;
  Int: Scalars['Int']['output'];
  JSON: Scalars['JSON']['output'];
  JobActivity: GqlJobActivity;
  Mutation: Record<PropertyKey, never>;
  NewToken: GqlNewToken;
  PageInfo: GqlPageInfo;
  PointInput: GqlPointInput;
  Profile: GqlProfile;
  ProfileFunction: GqlProfileFunction;
  Query: Record<PropertyKey, never>;
  Record: RecordModel;
  RecordConnection: Omit<GqlRecordConnection, 'edges'> & { edges: Array<GqlResolversParentTypes['RecordEdge']> };
  RecordEdge: Omit<GqlRecordEdge, 'node'> & { node: GqlResolversParentTypes['Record'] };
  RecordFilter: GqlRecordFilter;
  Release: ReleaseModel;
  RunIssue: GqlRunIssue;
  SkyPosition: GqlSkyPosition;
  SlowFile: GqlSlowFile;
  Source: SourceModel;
  SourceConnection: Omit<GqlSourceConnection, 'edges'> & { edges: Array<GqlResolversParentTypes['SourceEdge']> };
  SourceEdge: Omit<GqlSourceEdge, 'node'> & { node: GqlResolversParentTypes['Source'] };
  SourceFilter: GqlSourceFilter;
  SpectralRange: GqlSpectralRange;
  SpectrumData: GqlSpectrumData;
  StageTiming: GqlStageTiming;
  String: Scalars['String']['output'];
  Survey: SurveyModel;
  ThroughputPoint: GqlThroughputPoint;
  Token: GqlToken;
  TopStatement: GqlTopStatement;
  TopStatements: GqlTopStatements;
  ValidationIssue: IssueModel;
  Viewer: GqlViewer;
}>;

export type GqlArchiveProcessResolvers<ContextType = GraphQLContext, ParentType extends GqlResolversParentTypes['ArchiveProcess'] = GqlResolversParentTypes['ArchiveProcess']> = ResolversObject<{
  host?: Resolver<GqlResolversTypes['String'], ParentType, ContextType>;
  id?: Resolver<GqlResolversTypes['String'], ParentType, ContextType>;
  lastSeenAt?: Resolver<GqlResolversTypes['String'], ParentType, ContextType>;
  pid?: Resolver<GqlResolversTypes['Int'], ParentType, ContextType>;
  role?: Resolver<GqlResolversTypes['String'], ParentType, ContextType>;
  startedAt?: Resolver<GqlResolversTypes['String'], ParentType, ContextType>;
}>;

export type GqlCatalogueResolvers<ContextType = GraphQLContext, ParentType extends GqlResolversParentTypes['Catalogue'] = GqlResolversParentTypes['Catalogue']> = ResolversObject<{
  columns?: Resolver<Array<GqlResolversTypes['CatalogueColumn']>, ParentType, ContextType>;
  rowCount?: Resolver<GqlResolversTypes['Float'], ParentType, ContextType>;
  tables?: Resolver<Array<GqlResolversTypes['CatalogueTable']>, ParentType, ContextType>;
}>;

export type GqlCatalogueColumnResolvers<ContextType = GraphQLContext, ParentType extends GqlResolversParentTypes['CatalogueColumn'] = GqlResolversParentTypes['CatalogueColumn']> = ResolversObject<{
  description?: Resolver<Maybe<GqlResolversTypes['String']>, ParentType, ContextType>;
  max?: Resolver<Maybe<GqlResolversTypes['JSON']>, ParentType, ContextType>;
  min?: Resolver<Maybe<GqlResolversTypes['JSON']>, ParentType, ContextType>;
  name?: Resolver<GqlResolversTypes['String'], ParentType, ContextType>;
  nullCount?: Resolver<GqlResolversTypes['Float'], ParentType, ContextType>;
  type?: Resolver<GqlResolversTypes['String'], ParentType, ContextType>;
  ucd?: Resolver<Maybe<GqlResolversTypes['String']>, ParentType, ContextType>;
  unit?: Resolver<Maybe<GqlResolversTypes['String']>, ParentType, ContextType>;
}>;

export type GqlCatalogueRowConnectionResolvers<ContextType = GraphQLContext, ParentType extends GqlResolversParentTypes['CatalogueRowConnection'] = GqlResolversParentTypes['CatalogueRowConnection']> = ResolversObject<{
  edges?: Resolver<Array<GqlResolversTypes['CatalogueRowEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<GqlResolversTypes['PageInfo'], ParentType, ContextType>;
}>;

export type GqlCatalogueRowEdgeResolvers<ContextType = GraphQLContext, ParentType extends GqlResolversParentTypes['CatalogueRowEdge'] = GqlResolversParentTypes['CatalogueRowEdge']> = ResolversObject<{
  cursor?: Resolver<GqlResolversTypes['String'], ParentType, ContextType>;
  distance?: Resolver<Maybe<GqlResolversTypes['Float']>, ParentType, ContextType>;
  row?: Resolver<GqlResolversTypes['JSON'], ParentType, ContextType>;
}>;

export type GqlCatalogueTableResolvers<ContextType = GraphQLContext, ParentType extends GqlResolversParentTypes['CatalogueTable'] = GqlResolversParentTypes['CatalogueTable']> = ResolversObject<{
  columns?: Resolver<Array<GqlResolversTypes['CatalogueColumn']>, ParentType, ContextType>;
  id?: Resolver<GqlResolversTypes['ID'], ParentType, ContextType>;
  qualifiedName?: Resolver<GqlResolversTypes['String'], ParentType, ContextType>;
  record?: Resolver<GqlResolversTypes['Record'], ParentType, ContextType>;
  rowCount?: Resolver<GqlResolversTypes['Float'], ParentType, ContextType>;
  rows?: Resolver<GqlResolversTypes['CatalogueRowConnection'], ParentType, ContextType, Partial<GqlCatalogueTableRowsArgs>>;
}>;

export type GqlCrossmatchConnectionResolvers<ContextType = GraphQLContext, ParentType extends GqlResolversParentTypes['CrossmatchConnection'] = GqlResolversParentTypes['CrossmatchConnection']> = ResolversObject<{
  edges?: Resolver<Array<GqlResolversTypes['CrossmatchEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<GqlResolversTypes['PageInfo'], ParentType, ContextType>;
}>;

export type GqlCrossmatchEdgeResolvers<ContextType = GraphQLContext, ParentType extends GqlResolversParentTypes['CrossmatchEdge'] = GqlResolversParentTypes['CrossmatchEdge']> = ResolversObject<{
  cursor?: Resolver<GqlResolversTypes['String'], ParentType, ContextType>;
  dec?: Resolver<GqlResolversTypes['Float'], ParentType, ContextType>;
  distance?: Resolver<GqlResolversTypes['Float'], ParentType, ContextType>;
  matchDec?: Resolver<GqlResolversTypes['Float'], ParentType, ContextType>;
  matchRa?: Resolver<GqlResolversTypes['Float'], ParentType, ContextType>;
  matchRow?: Resolver<Maybe<GqlResolversTypes['Float']>, ParentType, ContextType>;
  ra?: Resolver<GqlResolversTypes['Float'], ParentType, ContextType>;
  record?: Resolver<Maybe<GqlResolversTypes['Record']>, ParentType, ContextType>;
  row?: Resolver<GqlResolversTypes['Float'], ParentType, ContextType>;
}>;

export type GqlDatabaseStatementResolvers<ContextType = GraphQLContext, ParentType extends GqlResolversParentTypes['DatabaseStatement'] = GqlResolversParentTypes['DatabaseStatement']> = ResolversObject<{
  ageSeconds?: Resolver<GqlResolversTypes['Float'], ParentType, ContextType>;
  applicationName?: Resolver<Maybe<GqlResolversTypes['String']>, ParentType, ContextType>;
  backendType?: Resolver<Maybe<GqlResolversTypes['String']>, ParentType, ContextType>;
  blockedBy?: Resolver<Array<GqlResolversTypes['Int']>, ParentType, ContextType>;
  pid?: Resolver<GqlResolversTypes['Int'], ParentType, ContextType>;
  query?: Resolver<GqlResolversTypes['String'], ParentType, ContextType>;
  state?: Resolver<GqlResolversTypes['String'], ParentType, ContextType>;
  waitEvent?: Resolver<Maybe<GqlResolversTypes['String']>, ParentType, ContextType>;
  waitEventType?: Resolver<Maybe<GqlResolversTypes['String']>, ParentType, ContextType>;
}>;

export type GqlFileResolvers<ContextType = GraphQLContext, ParentType extends GqlResolversParentTypes['File'] = GqlResolversParentTypes['File']> = ResolversObject<{
  checksum?: Resolver<Maybe<GqlResolversTypes['String']>, ParentType, ContextType>;
  downloadUrl?: Resolver<GqlResolversTypes['String'], ParentType, ContextType>;
  hdus?: Resolver<Array<GqlResolversTypes['Hdu']>, ParentType, ContextType, Partial<GqlFileHdusArgs>>;
  id?: Resolver<GqlResolversTypes['ID'], ParentType, ContextType>;
  issues?: Resolver<Array<GqlResolversTypes['ValidationIssue']>, ParentType, ContextType>;
  kind?: Resolver<GqlResolversTypes['FileKind'], ParentType, ContextType>;
  missing?: Resolver<GqlResolversTypes['Boolean'], ParentType, ContextType>;
  path?: Resolver<GqlResolversTypes['String'], ParentType, ContextType>;
  record?: Resolver<Maybe<GqlResolversTypes['Record']>, ParentType, ContextType>;
  release?: Resolver<GqlResolversTypes['Release'], ParentType, ContextType>;
  signedDownloadUrl?: Resolver<GqlResolversTypes['String'], ParentType, ContextType, RequireFields<GqlFileSignedDownloadUrlArgs, 'expiresInSeconds'>>;
  sizeBytes?: Resolver<GqlResolversTypes['Float'], ParentType, ContextType>;
  status?: Resolver<GqlResolversTypes['FileStatus'], ParentType, ContextType>;
}>;

export type GqlFileConnectionResolvers<ContextType = GraphQLContext, ParentType extends GqlResolversParentTypes['FileConnection'] = GqlResolversParentTypes['FileConnection']> = ResolversObject<{
  edges?: Resolver<Array<GqlResolversTypes['FileEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<GqlResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<GqlResolversTypes['Int'], ParentType, ContextType>;
}>;

export type GqlFileEdgeResolvers<ContextType = GraphQLContext, ParentType extends GqlResolversParentTypes['FileEdge'] = GqlResolversParentTypes['FileEdge']> = ResolversObject<{
  cursor?: Resolver<GqlResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<GqlResolversTypes['File'], ParentType, ContextType>;
}>;

export type GqlHduResolvers<ContextType = GraphQLContext, ParentType extends GqlResolversParentTypes['Hdu'] = GqlResolversParentTypes['Hdu']> = ResolversObject<{
  bitpix?: Resolver<Maybe<GqlResolversTypes['Int']>, ParentType, ContextType>;
  cardCount?: Resolver<GqlResolversTypes['Int'], ParentType, ContextType>;
  header?: Resolver<Array<GqlResolversTypes['HeaderCard']>, ParentType, ContextType, Partial<GqlHduHeaderArgs>>;
  imageShape?: Resolver<Maybe<Array<GqlResolversTypes['Int']>>, ParentType, ContextType>;
  index?: Resolver<GqlResolversTypes['Int'], ParentType, ContextType>;
  naxis?: Resolver<Array<GqlResolversTypes['Int']>, ParentType, ContextType>;
  type?: Resolver<GqlResolversTypes['String'], ParentType, ContextType>;
}>;

export type GqlHeaderCardResolvers<ContextType = GraphQLContext, ParentType extends GqlResolversParentTypes['HeaderCard'] = GqlResolversParentTypes['HeaderCard']> = ResolversObject<{
  comment?: Resolver<Maybe<GqlResolversTypes['String']>, ParentType, ContextType>;
  keyword?: Resolver<GqlResolversTypes['String'], ParentType, ContextType>;
  value?: Resolver<Maybe<GqlResolversTypes['JSON']>, ParentType, ContextType>;
}>;

export type GqlIngestionRunResolvers<ContextType = GraphQLContext, ParentType extends GqlResolversParentTypes['IngestionRun'] = GqlResolversParentTypes['IngestionRun']> = ResolversObject<{
  catalogueLoadsPending?: Resolver<GqlResolversTypes['Int'], ParentType, ContextType>;
  error?: Resolver<Maybe<GqlResolversTypes['String']>, ParentType, ContextType>;
  failedFiles?: Resolver<GqlResolversTypes['Int'], ParentType, ContextType>;
  filesPerSecond?: Resolver<Maybe<GqlResolversTypes['Float']>, ParentType, ContextType>;
  finishedAt?: Resolver<Maybe<GqlResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<GqlResolversTypes['ID'], ParentType, ContextType>;
  ingestedFiles?: Resolver<GqlResolversTypes['Int'], ParentType, ContextType>;
  invalidFiles?: Resolver<GqlResolversTypes['Int'], ParentType, ContextType>;
  issues?: Resolver<Array<GqlResolversTypes['RunIssue']>, ParentType, ContextType, RequireFields<GqlIngestionRunIssuesArgs, 'first'>>;
  missingFiles?: Resolver<GqlResolversTypes['Int'], ParentType, ContextType>;
  processedFiles?: Resolver<GqlResolversTypes['Int'], ParentType, ContextType>;
  queries?: Resolver<GqlResolversTypes['Float'], ParentType, ContextType>;
  queriesPerFile?: Resolver<Maybe<GqlResolversTypes['Float']>, ParentType, ContextType>;
  release?: Resolver<GqlResolversTypes['Release'], ParentType, ContextType>;
  scanDone?: Resolver<GqlResolversTypes['Boolean'], ParentType, ContextType>;
  skippedEntries?: Resolver<GqlResolversTypes['Int'], ParentType, ContextType>;
  skippedFiles?: Resolver<GqlResolversTypes['Int'], ParentType, ContextType>;
  slowestFiles?: Resolver<Array<GqlResolversTypes['SlowFile']>, ParentType, ContextType, RequireFields<GqlIngestionRunSlowestFilesArgs, 'limit'>>;
  stages?: Resolver<Array<GqlResolversTypes['StageTiming']>, ParentType, ContextType>;
  startedAt?: Resolver<Maybe<GqlResolversTypes['String']>, ParentType, ContextType>;
  status?: Resolver<GqlResolversTypes['RunStatus'], ParentType, ContextType>;
  throughput?: Resolver<Array<GqlResolversTypes['ThroughputPoint']>, ParentType, ContextType, RequireFields<GqlIngestionRunThroughputArgs, 'points'>>;
  totalFiles?: Resolver<GqlResolversTypes['Int'], ParentType, ContextType>;
}>;

export interface GqlJsonScalarConfig extends GraphQLScalarTypeConfig<GqlResolversTypes['JSON'], any> {
  name: 'JSON';
}

export type GqlJobActivityResolvers<ContextType = GraphQLContext, ParentType extends GqlResolversParentTypes['JobActivity'] = GqlResolversParentTypes['JobActivity']> = ResolversObject<{
  currentFile?: Resolver<Maybe<GqlResolversTypes['String']>, ParentType, ContextType>;
  elapsedSeconds?: Resolver<GqlResolversTypes['Float'], ParentType, ContextType>;
  jobId?: Resolver<GqlResolversTypes['String'], ParentType, ContextType>;
  processId?: Resolver<GqlResolversTypes['String'], ParentType, ContextType>;
  runId?: Resolver<Maybe<GqlResolversTypes['ID']>, ParentType, ContextType>;
  stage?: Resolver<Maybe<GqlResolversTypes['String']>, ParentType, ContextType>;
  task?: Resolver<GqlResolversTypes['String'], ParentType, ContextType>;
}>;

export type GqlMutationResolvers<ContextType = GraphQLContext, ParentType extends GqlResolversParentTypes['Mutation'] = GqlResolversParentTypes['Mutation']> = ResolversObject<{
  captureProfile?: Resolver<GqlResolversTypes['Profile'], ParentType, ContextType, RequireFields<GqlMutationCaptureProfileArgs, 'kind' | 'seconds'>>;
  createToken?: Resolver<GqlResolversTypes['NewToken'], ParentType, ContextType, RequireFields<GqlMutationCreateTokenArgs, 'name' | 'role'>>;
  ingestRelease?: Resolver<GqlResolversTypes['IngestionRun'], ParentType, ContextType, RequireFields<GqlMutationIngestReleaseArgs, 'input'>>;
  publishRelease?: Resolver<GqlResolversTypes['Release'], ParentType, ContextType, RequireFields<GqlMutationPublishReleaseArgs, 'id'>>;
  retryFailed?: Resolver<GqlResolversTypes['IngestionRun'], ParentType, ContextType, RequireFields<GqlMutationRetryFailedArgs, 'runId'>>;
  revokeToken?: Resolver<GqlResolversTypes['Token'], ParentType, ContextType, RequireFields<GqlMutationRevokeTokenArgs, 'id'>>;
}>;

export type GqlNewTokenResolvers<ContextType = GraphQLContext, ParentType extends GqlResolversParentTypes['NewToken'] = GqlResolversParentTypes['NewToken']> = ResolversObject<{
  expiresAt?: Resolver<Maybe<GqlResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<GqlResolversTypes['ID'], ParentType, ContextType>;
  name?: Resolver<GqlResolversTypes['String'], ParentType, ContextType>;
  role?: Resolver<GqlResolversTypes['TokenRole'], ParentType, ContextType>;
  token?: Resolver<GqlResolversTypes['String'], ParentType, ContextType>;
}>;

export type GqlPageInfoResolvers<ContextType = GraphQLContext, ParentType extends GqlResolversParentTypes['PageInfo'] = GqlResolversParentTypes['PageInfo']> = ResolversObject<{
  endCursor?: Resolver<Maybe<GqlResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<GqlResolversTypes['Boolean'], ParentType, ContextType>;
}>;

export type GqlProfileResolvers<ContextType = GraphQLContext, ParentType extends GqlResolversParentTypes['Profile'] = GqlResolversParentTypes['Profile']> = ResolversObject<{
  createdAt?: Resolver<GqlResolversTypes['String'], ParentType, ContextType>;
  error?: Resolver<Maybe<GqlResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<GqlResolversTypes['ID'], ParentType, ContextType>;
  kind?: Resolver<GqlResolversTypes['ProfileKind'], ParentType, ContextType>;
  processId?: Resolver<GqlResolversTypes['String'], ParentType, ContextType>;
  sampleCount?: Resolver<GqlResolversTypes['Int'], ParentType, ContextType>;
  seconds?: Resolver<GqlResolversTypes['Float'], ParentType, ContextType>;
  status?: Resolver<GqlResolversTypes['String'], ParentType, ContextType>;
  topFunctions?: Resolver<Array<GqlResolversTypes['ProfileFunction']>, ParentType, ContextType>;
  url?: Resolver<GqlResolversTypes['String'], ParentType, ContextType>;
}>;

export type GqlProfileFunctionResolvers<ContextType = GraphQLContext, ParentType extends GqlResolversParentTypes['ProfileFunction'] = GqlResolversParentTypes['ProfileFunction']> = ResolversObject<{
  file?: Resolver<Maybe<GqlResolversTypes['String']>, ParentType, ContextType>;
  line?: Resolver<Maybe<GqlResolversTypes['Int']>, ParentType, ContextType>;
  name?: Resolver<GqlResolversTypes['String'], ParentType, ContextType>;
  selfPercent?: Resolver<GqlResolversTypes['Float'], ParentType, ContextType>;
  totalPercent?: Resolver<Maybe<GqlResolversTypes['Float']>, ParentType, ContextType>;
}>;

export type GqlQueryResolvers<ContextType = GraphQLContext, ParentType extends GqlResolversParentTypes['Query'] = GqlResolversParentTypes['Query']> = ResolversObject<{
  activity?: Resolver<Array<GqlResolversTypes['JobActivity']>, ParentType, ContextType>;
  catalogueTable?: Resolver<Maybe<GqlResolversTypes['CatalogueTable']>, ParentType, ContextType, RequireFields<GqlQueryCatalogueTableArgs, 'id'>>;
  crossmatch?: Resolver<Maybe<GqlResolversTypes['CrossmatchConnection']>, ParentType, ContextType, RequireFields<GqlQueryCrossmatchArgs, 'against' | 'first' | 'mode' | 'radius' | 'table'>>;
  databaseActivity?: Resolver<Array<GqlResolversTypes['DatabaseStatement']>, ParentType, ContextType>;
  file?: Resolver<Maybe<GqlResolversTypes['File']>, ParentType, ContextType, RequireFields<GqlQueryFileArgs, 'id'>>;
  ingestionRun?: Resolver<Maybe<GqlResolversTypes['IngestionRun']>, ParentType, ContextType, RequireFields<GqlQueryIngestionRunArgs, 'id'>>;
  ingestionRuns?: Resolver<Array<GqlResolversTypes['IngestionRun']>, ParentType, ContextType, RequireFields<GqlQueryIngestionRunsArgs, 'first'>>;
  processes?: Resolver<Array<GqlResolversTypes['ArchiveProcess']>, ParentType, ContextType>;
  profile?: Resolver<Maybe<GqlResolversTypes['Profile']>, ParentType, ContextType, RequireFields<GqlQueryProfileArgs, 'id'>>;
  profiles?: Resolver<Array<GqlResolversTypes['Profile']>, ParentType, ContextType, RequireFields<GqlQueryProfilesArgs, 'first'>>;
  record?: Resolver<Maybe<GqlResolversTypes['Record']>, ParentType, ContextType, RequireFields<GqlQueryRecordArgs, 'id'>>;
  records?: Resolver<GqlResolversTypes['RecordConnection'], ParentType, ContextType, RequireFields<GqlQueryRecordsArgs, 'orderBy'>>;
  release?: Resolver<Maybe<GqlResolversTypes['Release']>, ParentType, ContextType, RequireFields<GqlQueryReleaseArgs, 'id'>>;
  releases?: Resolver<Array<GqlResolversTypes['Release']>, ParentType, ContextType, Partial<GqlQueryReleasesArgs>>;
  source?: Resolver<Maybe<GqlResolversTypes['Source']>, ParentType, ContextType, RequireFields<GqlQuerySourceArgs, 'id'>>;
  sources?: Resolver<GqlResolversTypes['SourceConnection'], ParentType, ContextType, Partial<GqlQuerySourcesArgs>>;
  surveys?: Resolver<Array<GqlResolversTypes['Survey']>, ParentType, ContextType>;
  tokens?: Resolver<Array<GqlResolversTypes['Token']>, ParentType, ContextType>;
  topStatements?: Resolver<GqlResolversTypes['TopStatements'], ParentType, ContextType, RequireFields<GqlQueryTopStatementsArgs, 'first'>>;
  viewer?: Resolver<Maybe<GqlResolversTypes['Viewer']>, ParentType, ContextType>;
}>;

export type GqlRecordResolvers<ContextType = GraphQLContext, ParentType extends GqlResolversParentTypes['Record'] = GqlResolversParentTypes['Record']> = ResolversObject<{
  accessEstsize?: Resolver<GqlResolversTypes['Float'], ParentType, ContextType>;
  accessFormat?: Resolver<GqlResolversTypes['String'], ParentType, ContextType>;
  accessUrl?: Resolver<GqlResolversTypes['String'], ParentType, ContextType>;
  calibLevel?: Resolver<Maybe<GqlResolversTypes['Int']>, ParentType, ContextType>;
  catalogue?: Resolver<Maybe<GqlResolversTypes['Catalogue']>, ParentType, ContextType>;
  center?: Resolver<Maybe<GqlResolversTypes['SkyPosition']>, ParentType, ContextType>;
  dataproductType?: Resolver<GqlResolversTypes['String'], ParentType, ContextType>;
  emMax?: Resolver<Maybe<GqlResolversTypes['Float']>, ParentType, ContextType>;
  emMin?: Resolver<Maybe<GqlResolversTypes['Float']>, ParentType, ContextType>;
  facilityName?: Resolver<Maybe<GqlResolversTypes['String']>, ParentType, ContextType>;
  file?: Resolver<GqlResolversTypes['File'], ParentType, ContextType>;
  footprint?: Resolver<Maybe<Array<GqlResolversTypes['SkyPosition']>>, ParentType, ContextType>;
  fov?: Resolver<Maybe<GqlResolversTypes['Float']>, ParentType, ContextType>;
  id?: Resolver<GqlResolversTypes['ID'], ParentType, ContextType>;
  instrumentName?: Resolver<Maybe<GqlResolversTypes['String']>, ParentType, ContextType>;
  obsId?: Resolver<GqlResolversTypes['String'], ParentType, ContextType>;
  productType?: Resolver<GqlResolversTypes['String'], ParentType, ContextType>;
  release?: Resolver<GqlResolversTypes['Release'], ParentType, ContextType>;
  source?: Resolver<Maybe<GqlResolversTypes['Source']>, ParentType, ContextType>;
  spectralRange?: Resolver<Maybe<GqlResolversTypes['SpectralRange']>, ParentType, ContextType>;
  spectrum?: Resolver<Maybe<GqlResolversTypes['SpectrumData']>, ParentType, ContextType, RequireFields<GqlRecordSpectrumArgs, 'maxPoints'>>;
  tExptime?: Resolver<Maybe<GqlResolversTypes['Float']>, ParentType, ContextType>;
  tMax?: Resolver<Maybe<GqlResolversTypes['Float']>, ParentType, ContextType>;
  tMin?: Resolver<Maybe<GqlResolversTypes['Float']>, ParentType, ContextType>;
  targetName?: Resolver<Maybe<GqlResolversTypes['String']>, ParentType, ContextType>;
}>;

export type GqlRecordConnectionResolvers<ContextType = GraphQLContext, ParentType extends GqlResolversParentTypes['RecordConnection'] = GqlResolversParentTypes['RecordConnection']> = ResolversObject<{
  edges?: Resolver<Array<GqlResolversTypes['RecordEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<GqlResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<Maybe<GqlResolversTypes['Int']>, ParentType, ContextType>;
}>;

export type GqlRecordEdgeResolvers<ContextType = GraphQLContext, ParentType extends GqlResolversParentTypes['RecordEdge'] = GqlResolversParentTypes['RecordEdge']> = ResolversObject<{
  cursor?: Resolver<GqlResolversTypes['String'], ParentType, ContextType>;
  distance?: Resolver<Maybe<GqlResolversTypes['Float']>, ParentType, ContextType>;
  node?: Resolver<GqlResolversTypes['Record'], ParentType, ContextType>;
}>;

export type GqlReleaseResolvers<ContextType = GraphQLContext, ParentType extends GqlResolversParentTypes['Release'] = GqlResolversParentTypes['Release']> = ResolversObject<{
  archiveUrl?: Resolver<GqlResolversTypes['String'], ParentType, ContextType>;
  fileCount?: Resolver<GqlResolversTypes['Int'], ParentType, ContextType>;
  files?: Resolver<GqlResolversTypes['FileConnection'], ParentType, ContextType, RequireFields<GqlReleaseFilesArgs, 'orderBy'>>;
  id?: Resolver<GqlResolversTypes['ID'], ParentType, ContextType>;
  name?: Resolver<GqlResolversTypes['String'], ParentType, ContextType>;
  published?: Resolver<GqlResolversTypes['Boolean'], ParentType, ContextType>;
  runs?: Resolver<Array<GqlResolversTypes['IngestionRun']>, ParentType, ContextType>;
  signedArchiveUrl?: Resolver<GqlResolversTypes['String'], ParentType, ContextType, RequireFields<GqlReleaseSignedArchiveUrlArgs, 'expiresInSeconds'>>;
  status?: Resolver<GqlResolversTypes['String'], ParentType, ContextType>;
  survey?: Resolver<GqlResolversTypes['Survey'], ParentType, ContextType>;
}>;

export type GqlRunIssueResolvers<ContextType = GraphQLContext, ParentType extends GqlResolversParentTypes['RunIssue'] = GqlResolversParentTypes['RunIssue']> = ResolversObject<{
  code?: Resolver<GqlResolversTypes['String'], ParentType, ContextType>;
  message?: Resolver<GqlResolversTypes['String'], ParentType, ContextType>;
  path?: Resolver<GqlResolversTypes['String'], ParentType, ContextType>;
}>;

export type GqlSkyPositionResolvers<ContextType = GraphQLContext, ParentType extends GqlResolversParentTypes['SkyPosition'] = GqlResolversParentTypes['SkyPosition']> = ResolversObject<{
  dec?: Resolver<GqlResolversTypes['Float'], ParentType, ContextType>;
  ra?: Resolver<GqlResolversTypes['Float'], ParentType, ContextType>;
}>;

export type GqlSlowFileResolvers<ContextType = GraphQLContext, ParentType extends GqlResolversParentTypes['SlowFile'] = GqlResolversParentTypes['SlowFile']> = ResolversObject<{
  path?: Resolver<GqlResolversTypes['String'], ParentType, ContextType>;
  seconds?: Resolver<GqlResolversTypes['Float'], ParentType, ContextType>;
  stage?: Resolver<GqlResolversTypes['String'], ParentType, ContextType>;
}>;

export type GqlSourceResolvers<ContextType = GraphQLContext, ParentType extends GqlResolversParentTypes['Source'] = GqlResolversParentTypes['Source']> = ResolversObject<{
  dec?: Resolver<Maybe<GqlResolversTypes['Float']>, ParentType, ContextType>;
  id?: Resolver<GqlResolversTypes['ID'], ParentType, ContextType>;
  name?: Resolver<GqlResolversTypes['String'], ParentType, ContextType>;
  ra?: Resolver<Maybe<GqlResolversTypes['Float']>, ParentType, ContextType>;
  records?: Resolver<Array<GqlResolversTypes['Record']>, ParentType, ContextType>;
}>;

export type GqlSourceConnectionResolvers<ContextType = GraphQLContext, ParentType extends GqlResolversParentTypes['SourceConnection'] = GqlResolversParentTypes['SourceConnection']> = ResolversObject<{
  edges?: Resolver<Array<GqlResolversTypes['SourceEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<GqlResolversTypes['PageInfo'], ParentType, ContextType>;
}>;

export type GqlSourceEdgeResolvers<ContextType = GraphQLContext, ParentType extends GqlResolversParentTypes['SourceEdge'] = GqlResolversParentTypes['SourceEdge']> = ResolversObject<{
  cursor?: Resolver<GqlResolversTypes['String'], ParentType, ContextType>;
  distance?: Resolver<Maybe<GqlResolversTypes['Float']>, ParentType, ContextType>;
  node?: Resolver<GqlResolversTypes['Source'], ParentType, ContextType>;
}>;

export type GqlSpectralRangeResolvers<ContextType = GraphQLContext, ParentType extends GqlResolversParentTypes['SpectralRange'] = GqlResolversParentTypes['SpectralRange']> = ResolversObject<{
  max?: Resolver<GqlResolversTypes['Float'], ParentType, ContextType>;
  min?: Resolver<GqlResolversTypes['Float'], ParentType, ContextType>;
  unit?: Resolver<GqlResolversTypes['String'], ParentType, ContextType>;
}>;

export type GqlSpectrumDataResolvers<ContextType = GraphQLContext, ParentType extends GqlResolversParentTypes['SpectrumData'] = GqlResolversParentTypes['SpectrumData']> = ResolversObject<{
  decimated?: Resolver<GqlResolversTypes['Boolean'], ParentType, ContextType>;
  flux?: Resolver<Array<Maybe<GqlResolversTypes['Float']>>, ParentType, ContextType>;
  fluxUnit?: Resolver<Maybe<GqlResolversTypes['String']>, ParentType, ContextType>;
  points?: Resolver<GqlResolversTypes['Int'], ParentType, ContextType>;
  unit?: Resolver<Maybe<GqlResolversTypes['String']>, ParentType, ContextType>;
  wavelength?: Resolver<Array<GqlResolversTypes['Float']>, ParentType, ContextType>;
}>;

export type GqlStageTimingResolvers<ContextType = GraphQLContext, ParentType extends GqlResolversParentTypes['StageTiming'] = GqlResolversParentTypes['StageTiming']> = ResolversObject<{
  name?: Resolver<GqlResolversTypes['String'], ParentType, ContextType>;
  seconds?: Resolver<GqlResolversTypes['Float'], ParentType, ContextType>;
}>;

export type GqlSurveyResolvers<ContextType = GraphQLContext, ParentType extends GqlResolversParentTypes['Survey'] = GqlResolversParentTypes['Survey']> = ResolversObject<{
  id?: Resolver<GqlResolversTypes['ID'], ParentType, ContextType>;
  name?: Resolver<GqlResolversTypes['String'], ParentType, ContextType>;
  releases?: Resolver<Array<GqlResolversTypes['Release']>, ParentType, ContextType>;
}>;

export type GqlThroughputPointResolvers<ContextType = GraphQLContext, ParentType extends GqlResolversParentTypes['ThroughputPoint'] = GqlResolversParentTypes['ThroughputPoint']> = ResolversObject<{
  filesPerSecond?: Resolver<GqlResolversTypes['Float'], ParentType, ContextType>;
  processedFiles?: Resolver<GqlResolversTypes['Int'], ParentType, ContextType>;
  seconds?: Resolver<GqlResolversTypes['Float'], ParentType, ContextType>;
}>;

export type GqlTokenResolvers<ContextType = GraphQLContext, ParentType extends GqlResolversParentTypes['Token'] = GqlResolversParentTypes['Token']> = ResolversObject<{
  createdAt?: Resolver<GqlResolversTypes['String'], ParentType, ContextType>;
  expiresAt?: Resolver<Maybe<GqlResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<GqlResolversTypes['ID'], ParentType, ContextType>;
  lastUsedAt?: Resolver<Maybe<GqlResolversTypes['String']>, ParentType, ContextType>;
  name?: Resolver<GqlResolversTypes['String'], ParentType, ContextType>;
  revokedAt?: Resolver<Maybe<GqlResolversTypes['String']>, ParentType, ContextType>;
  role?: Resolver<GqlResolversTypes['TokenRole'], ParentType, ContextType>;
}>;

export type GqlTopStatementResolvers<ContextType = GraphQLContext, ParentType extends GqlResolversParentTypes['TopStatement'] = GqlResolversParentTypes['TopStatement']> = ResolversObject<{
  calls?: Resolver<GqlResolversTypes['Float'], ParentType, ContextType>;
  meanMs?: Resolver<GqlResolversTypes['Float'], ParentType, ContextType>;
  query?: Resolver<GqlResolversTypes['String'], ParentType, ContextType>;
  rows?: Resolver<GqlResolversTypes['Float'], ParentType, ContextType>;
  totalSeconds?: Resolver<GqlResolversTypes['Float'], ParentType, ContextType>;
}>;

export type GqlTopStatementsResolvers<ContextType = GraphQLContext, ParentType extends GqlResolversParentTypes['TopStatements'] = GqlResolversParentTypes['TopStatements']> = ResolversObject<{
  available?: Resolver<GqlResolversTypes['Boolean'], ParentType, ContextType>;
  reason?: Resolver<Maybe<GqlResolversTypes['String']>, ParentType, ContextType>;
  statements?: Resolver<Array<GqlResolversTypes['TopStatement']>, ParentType, ContextType>;
}>;

export type GqlValidationIssueResolvers<ContextType = GraphQLContext, ParentType extends GqlResolversParentTypes['ValidationIssue'] = GqlResolversParentTypes['ValidationIssue']> = ResolversObject<{
  code?: Resolver<GqlResolversTypes['String'], ParentType, ContextType>;
  hdu?: Resolver<Maybe<GqlResolversTypes['Int']>, ParentType, ContextType>;
  keyword?: Resolver<Maybe<GqlResolversTypes['String']>, ParentType, ContextType>;
  message?: Resolver<GqlResolversTypes['String'], ParentType, ContextType>;
  severity?: Resolver<GqlResolversTypes['Severity'], ParentType, ContextType>;
}>;

export type GqlViewerResolvers<ContextType = GraphQLContext, ParentType extends GqlResolversParentTypes['Viewer'] = GqlResolversParentTypes['Viewer']> = ResolversObject<{
  role?: Resolver<GqlResolversTypes['TokenRole'], ParentType, ContextType>;
  tokenName?: Resolver<GqlResolversTypes['String'], ParentType, ContextType>;
}>;

export type GqlResolvers<ContextType = GraphQLContext> = ResolversObject<{
  ArchiveProcess?: GqlArchiveProcessResolvers<ContextType>;
  Catalogue?: GqlCatalogueResolvers<ContextType>;
  CatalogueColumn?: GqlCatalogueColumnResolvers<ContextType>;
  CatalogueRowConnection?: GqlCatalogueRowConnectionResolvers<ContextType>;
  CatalogueRowEdge?: GqlCatalogueRowEdgeResolvers<ContextType>;
  CatalogueTable?: GqlCatalogueTableResolvers<ContextType>;
  CrossmatchConnection?: GqlCrossmatchConnectionResolvers<ContextType>;
  CrossmatchEdge?: GqlCrossmatchEdgeResolvers<ContextType>;
  DatabaseStatement?: GqlDatabaseStatementResolvers<ContextType>;
  File?: GqlFileResolvers<ContextType>;
  FileConnection?: GqlFileConnectionResolvers<ContextType>;
  FileEdge?: GqlFileEdgeResolvers<ContextType>;
  Hdu?: GqlHduResolvers<ContextType>;
  HeaderCard?: GqlHeaderCardResolvers<ContextType>;
  IngestionRun?: GqlIngestionRunResolvers<ContextType>;
  JSON?: GraphQLScalarType;
  JobActivity?: GqlJobActivityResolvers<ContextType>;
  Mutation?: GqlMutationResolvers<ContextType>;
  NewToken?: GqlNewTokenResolvers<ContextType>;
  PageInfo?: GqlPageInfoResolvers<ContextType>;
  Profile?: GqlProfileResolvers<ContextType>;
  ProfileFunction?: GqlProfileFunctionResolvers<ContextType>;
  Query?: GqlQueryResolvers<ContextType>;
  Record?: GqlRecordResolvers<ContextType>;
  RecordConnection?: GqlRecordConnectionResolvers<ContextType>;
  RecordEdge?: GqlRecordEdgeResolvers<ContextType>;
  Release?: GqlReleaseResolvers<ContextType>;
  RunIssue?: GqlRunIssueResolvers<ContextType>;
  SkyPosition?: GqlSkyPositionResolvers<ContextType>;
  SlowFile?: GqlSlowFileResolvers<ContextType>;
  Source?: GqlSourceResolvers<ContextType>;
  SourceConnection?: GqlSourceConnectionResolvers<ContextType>;
  SourceEdge?: GqlSourceEdgeResolvers<ContextType>;
  SpectralRange?: GqlSpectralRangeResolvers<ContextType>;
  SpectrumData?: GqlSpectrumDataResolvers<ContextType>;
  StageTiming?: GqlStageTimingResolvers<ContextType>;
  Survey?: GqlSurveyResolvers<ContextType>;
  ThroughputPoint?: GqlThroughputPointResolvers<ContextType>;
  Token?: GqlTokenResolvers<ContextType>;
  TopStatement?: GqlTopStatementResolvers<ContextType>;
  TopStatements?: GqlTopStatementsResolvers<ContextType>;
  ValidationIssue?: GqlValidationIssueResolvers<ContextType>;
  Viewer?: GqlViewerResolvers<ContextType>;
}>;

