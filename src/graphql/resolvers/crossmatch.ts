/**
 * `crossmatch(table, against, radius, mode, first, after)`: a catalogue table's rows matched
 * against the records or another table, a page of rows at a time (db/queries/crossmatch-table.ts:
 * two statements a page, plus one for the matched records). Both tables must be visible to the
 * caller (drafts' tables are not, to anonymous callers), and records are matched as the
 * caller may see them: published releases only for anonymous callers, never INVALID files.
 */
import type { GqlResolvers as Resolvers } from '../../__generated__/resolvers-types.js';
import { canSeeDrafts } from '../../auth/access.js';
import { catalogueTablesById } from '../../db/queries/catalogue-tables.js';
import { crossmatchTablePage } from '../../db/queries/crossmatch-table.js';
import type { CrossmatchTable } from '../../db/queries/crossmatch.js';
import { badInput } from '../../errors.js';
import { decodeCursor, encodeCursor, parseId } from '../ids.js';
import type { GraphQLContext } from '../context.js';
import { ifVisible } from '../visibility.js';
import type { CatalogueTableModel } from './catalogue-model.js';
import { MAX_ROW_PAGE } from './catalogue.js';

/** Larger discs make ALL pages unbounded in practice; the CLI goes up to 1 deg. */
export const MAX_GRAPHQL_CROSSMATCH_RADIUS_ARCSEC = 60;

/** The table `id` as a cross-match side: visible, with positions; else null (unknown/hidden) or an error. */
async function side(ctx: GraphQLContext, id: string, arg: string): Promise<CrossmatchTable | null> {
  const [model] = await catalogueTablesById(ctx.database.pool, [parseId(id, arg)]);
  const table: CatalogueTableModel | null = await ifVisible(ctx, model);
  if (!table) return null;
  if (table.raColumn === null || table.decColumn === null) {
    throw badInput(`${arg}: table ${table.schemaName}.${table.tableName} has no RA/Dec columns (name them with the product rule's "raColumn" and "decColumn")`, arg);
  }
  return { schema: table.schemaName, table: table.tableName, raColumn: table.raColumn, decColumn: table.decColumn };
}

export const crossmatchResolvers: Resolvers = {
  Query: {
    crossmatch: async (_root, args, ctx) => {
      const first = args.first ?? 100;
      if (!(first >= 0 && first <= MAX_ROW_PAGE)) throw badInput(`first must be in 0-${MAX_ROW_PAGE}; page with after: pageInfo.endCursor`, 'first');
      if (!(args.radius > 0 && args.radius <= MAX_GRAPHQL_CROSSMATCH_RADIUS_ARCSEC)) {
        throw badInput(`radius must be in (0, ${MAX_GRAPHQL_CROSSMATCH_RADIUS_ARCSEC}] arcseconds, got ${args.radius}`, 'radius');
      }
      const { records, table: otherId } = args.against;
      if ((records === true) === (otherId != null)) throw badInput('against: give exactly one of records: true or table: <id>', 'against');
      const after = args.after ? decodeCursor(args.after) : 0;
      const source = await side(ctx, args.table, 'table');
      if (!source) return null;
      let other: CrossmatchTable | undefined;
      if (otherId != null) {
        other = (await side(ctx, otherId, 'against.table')) ?? undefined;
        if (!other) throw badInput(`against.table: no table ${otherId} (or not visible to the caller)`, 'against.table');
      }
      const page = await crossmatchTablePage(ctx.database.pool, source, after, first, {
        table: other,
        radiusArcsec: args.radius,
        all: args.mode === 'ALL',
        includeDrafts: canSeeDrafts(ctx.viewer),
      });
      // The matched records, one statement for the page (the loader batches the loads).
      const recordsById = other ? [] : await Promise.all(page.pairs.map((p) => ctx.loaders.recordById.load(p.matchId)));
      const edges = page.pairs.map((p, i) => ({
        cursor: encodeCursor(p.row),
        row: p.row,
        ra: p.ra,
        dec: p.dec,
        record: other ? null : (recordsById[i] ?? null),
        matchRow: other ? p.matchId : null,
        matchRa: p.matchRa,
        matchDec: p.matchDec,
        distance: p.distanceArcsec,
      }));
      return { edges, pageInfo: { hasNextPage: page.hasMore, endCursor: page.lastRow === null ? (args.after ?? null) : encodeCursor(page.lastRow) } };
    },
  },
};
