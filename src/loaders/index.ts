/**
 * One set of DataLoaders per GraphQL request (or per ingest job batch). Every batch function
 * is exactly ONE SQL statement over all its keys (`= ANY($1)`, or `unnest ... LATERAL` when
 * each key carries its own filters), so a nested query costs one statement per level whatever
 * the page size. Loaders cache for their owner's lifetime only: a new request sees new data.
 *
 * Keys are numbers (ids are bigint columns that pg parses as numbers, see src/db/pool.ts);
 * the GraphQL layer parses ID arguments before it calls a loader.
 *
 * What keeps a big answer cheap (README, "API benchmark"):
 * - by-key loaders are `Loader`s, which also keep what they loaded in a plain Map: `get(key)`
 *   returns a loaded value synchronously, so a resolver below a look-ahead
 *   (src/graphql/lookahead.ts) hands graphql-js a value, not a promise to await;
 * - loaders select the columns the API serves, not whole rows (no timestamps parsed into
 *   Dates nobody asked for, no ingest bookkeeping);
 * - a set of loaders is created lazily, loader by loader: a request pays for those it uses.
 */
import DataLoader from 'dataloader';
import { getTableColumns } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { files, hdus, ingestionRuns, records, releases, sources, surveys, validationIssues } from '../db/schema.js';
import type {
  FileModel,
  HduModel,
  IssueModel,
  RecordModel,
  ReleaseModel,
  RunModel,
  SourceModel,
  SurveyModel,
} from '../graphql/models.js';
import { selectList } from './columns.js';
import { Loader } from './loader.js';
import { keyedStatement, loaderStatement } from './prepared.js';
import { columnsFor } from './narrow.js';
import { fileEmbeds, recordEmbeds, type Embeds, type Primers } from './embed.js';
import type { SelectedFields } from '../graphql/selection.js';
import { manyByKey, oneByKey } from './order.js';
import { countBatch, newBatchStats, type BatchStats } from './stats.js';

/** A page of one release's files: keyset on files.id (index files_release_id_idx). */
export interface FilePageKey {
  releaseId: number;
  kind: string | null;
  status: string | null;
  /** Files with id > after; 0 from the start. */
  after: number;
  /** In path order instead: files with path > afterPath ('' from the start); null: id order. */
  afterPath: string | null;
  /** Rows to fetch (callers ask one more than the page size to learn hasNextPage). */
  limit: number;
}

export interface FileCountKey {
  releaseId: number;
  kind: string | null;
  status: string | null;
}

/** Which callers may see a source: it is visible only through a record they can see. */
export interface SourceVisibility {
  /** It has a record in a published release (visible to anonymous callers). */
  published: boolean;
  /** It has a record at all (visible to token holders, who see drafts). */
  recorded: boolean;
}

export interface SourcePosition {
  ra: number;
  dec: number;
}

export interface Loaders {
  stats: BatchStats;
  surveyById: Loader<SurveyModel | null>;
  releaseById: Loader<ReleaseModel | null>;
  releasesBySurveyId: Loader<ReleaseModel[]>;
  fileById: Loader<FileModel | null>;
  /** Files by id whose release is published (what an anonymous caller may see), in one statement. */
  publishedFileById: Loader<FileModel | null>;
  filePage: DataLoader<FilePageKey, FileModel[], string>;
  fileCount: DataLoader<FileCountKey, number, string>;
  recordByFileId: Loader<RecordModel | null>;
  recordById: Loader<RecordModel | null>;
  sourceById: Loader<SourceModel | null>;
  sourceVisibility: Loader<SourceVisibility>;
  /** Mean position of each source's records (all of them / those in published releases), null without one. */
  sourcePositionById: Loader<SourcePosition | null>;
  publishedSourcePositionById: Loader<SourcePosition | null>;
  /**
   * Every record of each source, drafts' included (for callers who see drafts). Records of
   * INVALID files are left out of these lists (and of sources' positions): they stay reachable
   * by id and from their file, for inspection.
   */
  recordsBySourceId: Loader<RecordModel[]>;
  /**
   * The records of each source that are in a published release: the visibility rule for
   * anonymous callers, applied in the statement (a join on releases), not per record.
   */
  publishedRecordsBySourceId: Loader<RecordModel[]>;
  issuesByFileId: Loader<IssueModel[]>;
  hdusByFileId: Loader<HduModel[]>;
  runById: Loader<RunModel | null>;
  runsByReleaseId: Loader<RunModel[]>;
}

/**
 * `selected`: the fields the request's operation selects (src/graphql/selection.ts), read when
 * a File or Record loader is first used (during execution): those loaders then select only
 * the columns those fields need (./narrow.ts). Without it, every served column.
 */
export function createLoaders(database: Database, stats: BatchStats = newBatchStats(), selected: () => SelectedFields | undefined = () => undefined): Loaders {
  const { pool } = database;

  /**
   * Batch function for "rows whose `column` is one of the keys", one row or many per key.
   * `embeds`: relations carried in the same statement (./embed.ts), primed from each row.
   */
  function byColumn<R extends object>(name: string, sql: string, keyProp: keyof R, many: true, embeds?: Embeds): Loader<R[]>;
  function byColumn<R extends object>(name: string, sql: string, keyProp: keyof R, many: false, embeds?: Embeds): Loader<R | null>;
  function byColumn<R extends object>(name: string, sql: string, keyProp: keyof R, many: boolean, embeds?: Embeds) {
    return new Loader<R[] | R | null>(async (keys) => {
      countBatch(stats, name);
      const { rows } = await pool.query<R>(keyedStatement(sql, keys));
      if (embeds?.sql) for (const row of rows) embeds.take(row as Record<string, unknown>);
      const keyOf = (r: R) => r[keyProp] as unknown as number;
      return many ? manyByKey(keys, rows, keyOf) : oneByKey(keys, rows, keyOf);
    });
  }

  let fileProps: readonly string[] | undefined;
  let recordProps: readonly string[] | undefined;
  const FP = () => (fileProps ??= columnsFor('File', FILE_COLUMNS, selected()));
  const RP = () => (recordProps ??= columnsFor('Record', RECORD_COLUMNS, selected()));
  const F = () => selectList(files, 'f', FP());
  // Embedded relations: read on a loader's first use, during execution, like the columns.
  const primers: Primers = {
    record: (fileId, record) => loaders.recordByFileId.prime(fileId, record as RecordModel | null),
    source: (id, source) => loaders.sourceById.prime(id, source as SourceModel | null),
    issues: (fileId, issues) => loaders.issuesByFileId.prime(fileId, issues as IssueModel[]),
    hdus: (fileId, list) => loaders.hdusByFileId.prime(fileId, list as HduModel[]),
    file: (id, file) => loaders.fileById.prime(id, file as FileModel | null),
  };
  let fileEmbed: Embeds | undefined;
  let recordEmbed: Embeds | undefined;
  const FE = () => (fileEmbed ??= fileEmbeds(selected(), RP(), primers));
  const RE = () => (recordEmbed ??= recordEmbeds(selected(), FP(), primers));
  const REC = () => selectList(records, 'rec', RP());

  /**
   * Sums of the unit vectors of each source's record centres, averaged in JavaScript: a mean of
   * RA values would put a source across RA 0 at RA 180. One statement per batch of sources.
   */
  function sourcePositions(publishedOnly: boolean): Loader<SourcePosition | null> {
    const name = publishedOnly ? 'publishedSourcePositionById' : 'sourcePositionById';
    const join = publishedOnly ? `JOIN releases r ON r.id = rec.release_id AND r.status = 'published'` : '';
    return new Loader<SourcePosition | null>(async (keys) => {
      countBatch(stats, name);
      const { rows } = await pool.query<{ id: number; x: number; y: number; z: number }>(
        `SELECT rec.source_id AS id, sum(cos(radians(rec.center_dec)) * cos(radians(rec.center_ra))) AS x,
                sum(cos(radians(rec.center_dec)) * sin(radians(rec.center_ra))) AS y, sum(sin(radians(rec.center_dec))) AS z
           FROM records rec ${join}
          WHERE rec.source_id = ANY($1) AND NOT rec.invalid AND rec.center_ra IS NOT NULL AND rec.center_dec IS NOT NULL
          GROUP BY rec.source_id`,
        [keys],
      );
      return oneByKey(keys, rows, (r) => r.id).map((r) => {
        if (!r || Math.hypot(r.x, r.y, r.z) < 1e-12) return null;
        const ra = (Math.atan2(r.y, r.x) * 180) / Math.PI;
        return { ra: ra < 0 ? ra + 360 : ra, dec: (Math.atan2(r.z, Math.hypot(r.x, r.y)) * 180) / Math.PI };
      });
    });
  }

  const loaders: Loaders = lazily({
    stats: () => stats,
    surveyById: () => byColumn<SurveyModel>('surveyById', `SELECT ${S} FROM surveys s WHERE s.id = ANY($1)`, 'id', false),
    releaseById: () => byColumn<ReleaseModel>('releaseById', `SELECT ${R} FROM releases r WHERE r.id = ANY($1)`, 'id', false),
    releasesBySurveyId: () => byColumn<ReleaseModel>(
      'releasesBySurveyId',
      `SELECT ${R} FROM releases r WHERE r.survey_id = ANY($1) ORDER BY r.name, r.id`,
      'surveyId',
      true,
    ),
    fileById: () => byColumn<FileModel>('fileById', `SELECT ${F()}${FE().sql} FROM files f WHERE f.id = ANY($1)`, 'id', false, FE()),
    publishedFileById: () =>
      byColumn<FileModel>(
        'publishedFileById',
        `SELECT ${F()}${FE().sql} FROM files f JOIN releases r ON r.id = f.release_id AND r.status = 'published' WHERE f.id = ANY($1)`,
        'id',
        false,
        FE(),
      ),
    filePage: () => new DataLoader<FilePageKey, FileModel[], string>(
      async (keys) => {
        countBatch(stats, 'filePage');
        // Each key brings its own release, filters, order, cursor and limit; LATERAL runs one
        // index range scan per key inside a single statement: (release_id, id) in id order,
        // (release_id, path) in path order (the branch of the other order is a one-time filter).
        const { rows } = await pool.query<FileModel & { ord: string }>(
          loaderStatement(
            `SELECT ${F()}${FE().sql}, k.ord
               FROM unnest($1::bigint[], $2::text[], $3::text[], $4::bigint[], $5::int[], $6::text[])
                    WITH ORDINALITY AS k(release_id, kind, status, after_id, lim, after_path, ord)
               CROSS JOIN LATERAL (
                 (SELECT * FROM files f
                   WHERE k.after_path IS NULL AND f.release_id = k.release_id AND f.id > k.after_id
                     AND (k.kind IS NULL OR f.kind = k.kind) AND (k.status IS NULL OR f.status = k.status)
                   ORDER BY f.id LIMIT k.lim)
                 UNION ALL
                 (SELECT * FROM files f
                   WHERE k.after_path IS NOT NULL AND f.release_id = k.release_id AND f.path > k.after_path
                     AND (k.kind IS NULL OR f.kind = k.kind) AND (k.status IS NULL OR f.status = k.status)
                   ORDER BY f.path LIMIT k.lim)) f
              ORDER BY k.ord, CASE WHEN k.after_path IS NOT NULL THEN f.path END, f.id`,
            [
              keys.map((k) => k.releaseId),
              keys.map((k) => k.kind),
              keys.map((k) => k.status),
              keys.map((k) => k.after),
              keys.map((k) => k.limit),
              keys.map((k) => k.afterPath),
            ],
          ),
        );
        if (FE().sql) for (const row of rows) FE().take(row as unknown as Record<string, unknown>);
        const grouped = manyByKey(
          keys.map((_, i) => i + 1),
          rows,
          (r) => Number(r.ord),
        );
        return grouped.map((list) => list.map(({ ord: _ord, ...file }) => file));
      },
      { cacheKeyFn: (k) => `${k.releaseId}|${k.kind}|${k.status}|${k.after}|${k.limit}|${k.afterPath === null ? '' : `p${k.afterPath}`}` },
    ),
    fileCount: () => new DataLoader<FileCountKey, number, string>(
      async (keys) => {
        countBatch(stats, 'fileCount');
        const { rows } = await pool.query<{ ord: string; n: number }>(
          `SELECT k.ord, (SELECT count(*) FROM files f
                           WHERE f.release_id = k.release_id
                             AND (k.kind IS NULL OR f.kind = k.kind)
                             AND (k.status IS NULL OR f.status = k.status)) AS n
             FROM unnest($1::bigint[], $2::text[], $3::text[]) WITH ORDINALITY AS k(release_id, kind, status, ord)`,
          [keys.map((k) => k.releaseId), keys.map((k) => k.kind), keys.map((k) => k.status)],
        );
        return oneByKey(
          keys.map((_, i) => i + 1),
          rows,
          (r) => Number(r.ord),
        ).map((r) => Number(r?.n ?? 0));
      },
      { cacheKeyFn: (k) => `${k.releaseId}|${k.kind}|${k.status}` },
    ),
    recordByFileId: () => byColumn<RecordModel>('recordByFileId', `SELECT ${REC()}${RE().sql} FROM records rec WHERE rec.file_id = ANY($1)`, 'fileId', false, RE()),
    recordById: () => byColumn<RecordModel>('recordById', `SELECT ${REC()}${RE().sql} FROM records rec WHERE rec.id = ANY($1)`, 'id', false, RE()),
    sourceById: () => byColumn<SourceModel>('sourceById', `SELECT ${SRC} FROM sources src WHERE src.id = ANY($1)`, 'id', false),
    sourceVisibility: () => new Loader<SourceVisibility>(async (keys) => {
      countBatch(stats, 'sourceVisibility');
      // EXISTS stops at the first matching record (records_source_idx): a source may have thousands.
      const { rows } = await pool.query<SourceVisibility & { id: number }>(
        `SELECT k.id,
                EXISTS (SELECT 1 FROM records rec JOIN releases r ON r.id = rec.release_id
                         WHERE rec.source_id = k.id AND r.status = 'published') AS published,
                EXISTS (SELECT 1 FROM records rec WHERE rec.source_id = k.id) AS recorded
           FROM unnest($1::bigint[]) AS k(id)`,
        [keys],
      );
      return oneByKey(keys, rows, (r) => r.id).map((r) => ({ published: r?.published ?? false, recorded: r?.recorded ?? false }));
    }),
    sourcePositionById: () => sourcePositions(false),
    publishedSourcePositionById: () => sourcePositions(true),
    recordsBySourceId: () => byColumn<RecordModel>(
      'recordsBySourceId',
      `SELECT ${REC()}${RE().sql} FROM records rec WHERE rec.source_id = ANY($1) AND NOT rec.invalid ORDER BY rec.id`,
      'sourceId',
      true,
      RE(),
    ),
    publishedRecordsBySourceId: () =>
      byColumn<RecordModel>(
        'publishedRecordsBySourceId',
        `SELECT ${REC()}${RE().sql} FROM records rec JOIN releases r ON r.id = rec.release_id AND r.status = 'published'
          WHERE rec.source_id = ANY($1) AND NOT rec.invalid ORDER BY rec.id`,
        'sourceId',
        true,
        RE(),
      ),
    issuesByFileId: () => byColumn<IssueModel>(
      'issuesByFileId',
      `SELECT ${I} FROM validation_issues i WHERE i.file_id = ANY($1) ORDER BY i.id`,
      'fileId',
      true,
    ),
    hdusByFileId: () => byColumn<HduModel>('hdusByFileId', `SELECT ${H} FROM hdus h WHERE h.file_id = ANY($1) ORDER BY h.file_id, h.index`, 'fileId', true),
    runById: () => byColumn<RunModel>('runById', `SELECT ${RUN} FROM ingestion_runs run WHERE run.id = ANY($1)`, 'id', false),
    runsByReleaseId: () => byColumn<RunModel>(
      'runsByReleaseId',
      `SELECT ${RUN} FROM ingestion_runs run WHERE run.release_id = ANY($1) ORDER BY run.id DESC`,
      'releaseId',
      true,
    ),
  });
  return loaders;
}

/** The columns the API serves (src/graphql/models.ts), not ingest's bookkeeping or timestamps. */
const RELEASE_COLUMNS = ['id', 'surveyId', 'name', 'status'] as const;
const FILE_COLUMNS = ['id', 'releaseId', 'path', 'sizeBytes', 'checksum', 'kind', 'status', 'missing'] as const;
const SOURCE_COLUMNS = ['id', 'name'] as const;
/** Not the sky index (hpx, coverage): searches read it in SQL, the API never serves it. */
const RECORD_COLUMNS = Object.keys(getTableColumns(records)).filter((c) => c !== 'hpx' && c !== 'coverage');
/** SELECT lists that never depend on the operation: built once, not per request. */
const S = selectList(surveys, 's');
const R = selectList(releases, 'r', RELEASE_COLUMNS);
const H = selectList(hdus, 'h');
const I = selectList(validationIssues, 'i');
const SRC = selectList(sources, 'src', SOURCE_COLUMNS);
const RUN = selectList(ingestionRuns, 'run');

/**
 * An object whose properties are made by their factory on first read, then kept. The getters
 * live on a class made once per set of names: defining twenty accessors on every request's
 * object (the first version) cost ~45 us a request, a tenth of a small request's CPU.
 */
function lazily<T extends object>(factories: { [K in keyof T]: () => T[K] }): T {
  const names = Object.keys(factories);
  const key = names.join(',');
  let Lazy = lazyClasses.get(key);
  if (!Lazy) lazyClasses.set(key, (Lazy = lazyClass(names)));
  return new Lazy(factories) as T;
}

type LazyClass = new (factories: Record<string, () => unknown>) => object;
const lazyClasses = new Map<string, LazyClass>();

function lazyClass(names: readonly string[]): LazyClass {
  class Lazy {
    readonly made: Record<string, unknown> = {};
    constructor(readonly factories: Record<string, () => unknown>) {}
  }
  for (const name of names) {
    Object.defineProperty(Lazy.prototype, name, {
      enumerable: true,
      get(this: Lazy) {
        let value = this.made[name];
        if (value === undefined) value = this.made[name] = this.factories[name]();
        return value;
      },
    });
  }
  return Lazy;
}

export { Loader } from './loader.js';
export { newBatchStats, type BatchStats } from './stats.js';
