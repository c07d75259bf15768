/**
 * Draft releases are invisible to anonymous callers on every read path. Entry points that
 * reach a release's data by id (release, file, record, ingestionRun) go through
 * `visibleRelease`; lists that can mix releases (Survey.releases, Source.records) filter.
 * Nested fields below a visible release need no check: they belong to it.
 */
import { canSeeRelease } from '../auth/access.js';
import type { GraphQLContext } from './context.js';
import type { ReleaseModel } from './models.js';

export async function visibleRelease(ctx: GraphQLContext, releaseId: number): Promise<ReleaseModel | null> {
  const release = await ctx.loaders.releaseById.load(releaseId);
  return release && canSeeRelease(ctx.viewer, release) ? release : null;
}

/** `row` when the caller may see its release, else null (an unknown id and a hidden one look alike). */
export async function ifVisible<T extends { releaseId: number }>(ctx: GraphQLContext, row: T | null): Promise<T | null> {
  return row && (await visibleRelease(ctx, row.releaseId)) ? row : null;
}

/** `items` whose release the caller may see, in order; one loader batch for all of them. */
export async function filterVisible<T extends { releaseId: number }>(ctx: GraphQLContext, items: T[]): Promise<T[]> {
  if (ctx.viewer) return items; // token holders see drafts: skip the release lookups
  const releases = await Promise.all(items.map((i) => ctx.loaders.releaseById.load(i.releaseId)));
  return items.filter((_, n) => releases[n] !== null && canSeeRelease(ctx.viewer, releases[n]!));
}
