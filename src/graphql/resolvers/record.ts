/** Records (one per file with science content) and the sources they observe. */
import type { GqlResolvers as Resolvers } from '../../__generated__/resolvers-types.js';
import type { GqlCatalogue as Catalogue } from '../../__generated__/resolvers-types.js';
import { parseId } from '../ids.js';
import { filterVisible, ifSourceVisible, ifVisible } from '../visibility.js';

export const recordResolvers: Resolvers = {
  Query: {
    record: async (_root, { id }, ctx) => ifVisible(ctx, await ctx.loaders.recordById.load(parseId(id, 'id'))),
    source: (_root, { id }, ctx) => ifSourceVisible(ctx, parseId(id, 'id')),
  },
  Record: {
    file: async (record, _args, ctx) => (await ctx.loaders.fileById.load(record.fileId))!,
    release: async (record, _args, ctx) => (await ctx.loaders.releaseById.load(record.releaseId))!,
    // The record is visible, so its source is (src/graphql/visibility.ts).
    source: (record, _args, ctx) => (record.sourceId === null ? null : ctx.loaders.sourceById.load(record.sourceId)),
    center: (record) => (record.centerRa === null || record.centerDec === null ? null : { ra: record.centerRa, dec: record.centerDec }),
    footprint: (record) => (Array.isArray(record.footprint) ? (record.footprint as [number, number][]).map(([ra, dec]) => ({ ra, dec })) : null),
    spectralRange: (record) =>
      record.spectralMin === null || record.spectralMax === null
        ? null
        : { min: record.spectralMin, max: record.spectralMax, unit: record.spectralUnit ?? '' },
    // Stored as { rowCount, columns: [...] } (src/db/schema.ts), which is the GraphQL shape.
    catalogue: (record) => (record.catalogue ?? null) as Catalogue | null,
  },
  Source: {
    records: async (source, _args, ctx) => filterVisible(ctx, await ctx.loaders.recordsBySourceId.load(source.id)),
  },
};
