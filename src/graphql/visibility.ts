/**
 * Draft releases are invisible to anonymous callers on every read path. Entry points that
 * reach a release's data by id (release, record, ingestionRun) go through `visibleRelease`,
 * a file by id through `visibleFile` (the check in its statement); lists that can mix
 * releases filter: Source.records in its statement (a
 * join on releases for anonymous callers, `recordsOfSource`), never with a load per record.
 * Nested fields below a visible release need no check: they belong to it.
 *
 * Sources belong to no release: a source is visible only through a record the caller can see
 * (`ifSourceVisible` for entry points by id; Record.source needs no check, since the record it
 * hangs from is visible). A draft's source names are not published until the draft is.
 */
import { canSeeDrafts, canSeeRelease } from '../auth/access.js';
import type { GraphQLContext } from './context.js';
import type { Loader } from '../loaders/loader.js';
import type { SourcePosition } from '../loaders/index.js';
import type { FileModel, RecordModel, ReleaseModel, SourceModel } from './models.js';

export async function visibleRelease(ctx: GraphQLContext, releaseId: number): Promise<ReleaseModel | null> {
  const release = await ctx.loaders.releaseById.load(releaseId);
  return release && canSeeRelease(ctx.viewer, release) ? release : null;
}

/** `row` when the caller may see its release, else null (an unknown id and a hidden one look alike). */
export async function ifVisible<T extends { releaseId: number }>(ctx: GraphQLContext, row: T | null): Promise<T | null> {
  return row && (await visibleRelease(ctx, row.releaseId)) ? row : null;
}

/** File `id` when the caller may see its release: for anonymous callers, one statement (a join), no release load. */
export async function visibleFile(ctx: GraphQLContext, id: number): Promise<FileModel | null> {
  return canSeeDrafts(ctx.viewer) ? ctx.loaders.fileById.load(id) : ctx.loaders.publishedFileById.load(id);
}

/** The loader of a source's records this caller may see: all of them, or those of published releases. */
export function recordsOfSource(ctx: GraphQLContext): Loader<RecordModel[]> {
  return canSeeDrafts(ctx.viewer) ? ctx.loaders.recordsBySourceId : ctx.loaders.publishedRecordsBySourceId;
}

/** The loader of sources' mean positions over the records this caller may see. */
export function positionOfSource(ctx: GraphQLContext): Loader<SourcePosition | null> {
  return canSeeDrafts(ctx.viewer) ? ctx.loaders.sourcePositionById : ctx.loaders.publishedSourcePositionById;
}

/** Source `sourceId` when the caller can see one of its records (anonymous: one in a published release), else null. */
export async function ifSourceVisible(ctx: GraphQLContext, sourceId: number): Promise<SourceModel | null> {
  // Both loads in the same tick: two statements, sent together.
  const [source, visibility] = await Promise.all([ctx.loaders.sourceById.load(sourceId), ctx.loaders.sourceVisibility.load(sourceId)]);
  return source && (canSeeDrafts(ctx.viewer) ? visibility.recorded : visibility.published) ? source : null;
}
