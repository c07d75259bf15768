/** Releases and their paginated files. */
import type { GqlResolvers as Resolvers } from '../../__generated__/resolvers-types.js';
import { canSeeDrafts, canSeeRelease, requireRole } from '../../auth/access.js';
import { releases } from '../../db/schema.js';
import { badInput, notFound } from '../../errors.js';
import { selectList } from '../../loaders/columns.js';
import type { ReleaseModel } from '../models.js';
import { decodeCursor, decodePathCursor, encodeCursor, encodePathCursor, parseId } from '../ids.js';
import { publishRelease } from '../publish.js';
import { loadAheadFrom } from '../lookahead.js';
import { visibleRelease } from '../visibility.js';
import { releaseArchiveUrl, signedReleaseArchiveUrl } from '../../http/download/links.js';

export const DEFAULT_PAGE = 50;
export const MAX_PAGE = 1000;

const fileCursor = (conn: { byPath: boolean }, file: { id: number; path: string }) => (conn.byPath ? encodePathCursor(file.path) : encodeCursor(file.id));

export const releaseResolvers: Resolvers = {
  Query: {
    release: (_root, { id }, ctx) => visibleRelease(ctx, parseId(id, 'id')),
    releases: async (_root, { survey }, ctx) => {
      const { rows } = await ctx.database.pool.query<ReleaseModel>(
        `SELECT ${selectList(releases, 'r')} FROM releases r JOIN surveys s ON s.id = r.survey_id
          WHERE ($1::text IS NULL OR s.name = $1) AND ($2 OR r.status = 'published')
          ORDER BY s.name, r.name`,
        [survey ?? null, canSeeDrafts(ctx.viewer)],
      );
      for (const r of rows) ctx.loaders.releaseById.prime(r.id, r);
      return rows;
    },
  },
  Mutation: {
    publishRelease: async (_root, { id }, ctx) => {
      requireRole(ctx.viewer, 'publishRelease');
      return publishRelease(ctx.database, parseId(id, 'id'));
    },
  },
  Release: {
    survey: async (release, _args, ctx) => (await ctx.loaders.surveyById.load(release.surveyId))!,
    published: (release) => release.status === 'published',
    fileCount: (release, _args, ctx) => ctx.loaders.fileCount.load({ releaseId: release.id, kind: null, status: null }),
    runs: (release, _args, ctx) => ctx.loaders.runsByReleaseId.load(release.id),
    archiveUrl: (release, _args, ctx) => releaseArchiveUrl(ctx.publicBase, release.id),
    // Every path to a Release checks that the caller may see it (visibleRelease, the draft
    // filters of releases and Survey.releases); checked again here, as a link outlives the
    // request: only a caller who may read the release can hand a browser a link to it.
    signedArchiveUrl: (release, { expiresInSeconds }, ctx) => {
      if (!canSeeRelease(ctx.viewer, release)) throw notFound('no such release');
      return signedReleaseArchiveUrl(ctx.publicBase, ctx.config.home, release.id, expiresInSeconds ?? 300);
    },
    files: async (release, args, ctx, info) => {
      const first = args.first ?? DEFAULT_PAGE;
      if (first < 0) throw badInput('first must be 0 or more', 'first');
      if (first > MAX_PAGE) throw badInput(`first may be at most ${MAX_PAGE}; page with after: pageInfo.endCursor`, 'first');
      const byPath = args.orderBy === 'PATH';
      const after = args.after == null || byPath ? 0 : decodeCursor(args.after, 'after');
      const afterPath = args.after == null || !byPath ? null : decodePathCursor(args.after, 'after');
      const kind = args.kind ?? null;
      const status = args.status ?? null;
      // One row more than asked tells whether another page exists, without a count.
      const rows = await ctx.loaders.filePage.load({ releaseId: release.id, kind, status, after, afterPath: byPath ? (afterPath ?? '') : null, limit: first + 1 });
      for (const f of rows) ctx.loaders.fileById.prime(f.id, f);
      const page = rows.slice(0, first);
      // The nodes' relations, one batch per level, before graphql-js walks them (./lookahead.ts).
      await loadAheadFrom(ctx, info, ['edges', 'node'], 'File', page);
      return { releaseId: release.id, byPath, kind, status, rows: page, hasNextPage: rows.length > first };
    },
  },
  FileConnection: {
    totalCount: (conn, _args, ctx) => ctx.loaders.fileCount.load({ releaseId: conn.releaseId, kind: conn.kind, status: conn.status }),
    edges: (conn) => conn.rows.map((node) => ({ cursor: fileCursor(conn, node), node })),
    pageInfo: (conn) => ({
      hasNextPage: conn.hasNextPage,
      endCursor: conn.rows.length ? fileCursor(conn, conn.rows[conn.rows.length - 1]) : null,
    }),
  },
};
