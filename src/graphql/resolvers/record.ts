/** Records (one per file with science content) and the sources they observe. */
import type { GqlResolvers as Resolvers } from '../../__generated__/resolvers-types.js';
import type { CatalogueModel } from './catalogue-model.js';
import { parseId } from '../ids.js';
import type { FileModel, ReleaseModel } from '../models.js';
import { ifSourceVisible, ifVisible, positionOfSource, recordsOfSource } from '../visibility.js';
import { fileContentUrl } from '../../http/download/links.js';
import { recordContentType } from '../../http/download/content-type.js';
import { fileSize } from './file-size.js';

export const recordResolvers: Resolvers = {
  Query: {
    record: async (_root, { id }, ctx) => ifVisible(ctx, await ctx.loaders.recordById.load(parseId(id, 'id'))),
    source: (_root, { id }, ctx) => ifSourceVisible(ctx, parseId(id, 'id')),
  },
  Record: {
    // Loader.get: a value when a look-ahead loaded it already (src/graphql/lookahead.ts).
    file: (record, _args, ctx) => ctx.loaders.fileById.get(record.fileId) as FileModel | Promise<FileModel>,
    release: (record, _args, ctx) => ctx.loaders.releaseById.get(record.releaseId) as ReleaseModel | Promise<ReleaseModel>,
    // The record is visible, so its source is (src/graphql/visibility.ts).
    source: (record, _args, ctx) => (record.sourceId === null ? null : ctx.loaders.sourceById.get(record.sourceId)),
    center: (record) => (record.centerRa === null || record.centerDec === null ? null : { ra: record.centerRa, dec: record.centerDec }),
    footprint: (record) => (Array.isArray(record.footprint) ? (record.footprint as [number, number][]).map(([ra, dec]) => ({ ra, dec })) : null),
    spectralRange: (record) =>
      record.spectralMin === null || record.spectralMax === null
        ? null
        : { min: record.spectralMin, max: record.spectralMax, unit: record.spectralUnit ?? '' },
    // Stored as { rowCount, columns: [...] } (src/db/schema.ts), which is the GraphQL shape;
    // the record's id rides along for Catalogue.tables.
    catalogue: (record) => (record.catalogue ? { ...(record.catalogue as Omit<CatalogueModel, 'recordId'>), recordId: record.id } : null),
    // ObsCore fields are columns of the row (default resolvers), except the target: its source's name.
    targetName: async (record, _args, ctx) => (record.sourceId === null ? null : ((await ctx.loaders.sourceById.get(record.sourceId))?.name ?? null)),
    // ObsCore access_*: the download route, its Content-Type (from the record's own columns) and the file's size.
    accessUrl: (record, _args, ctx) => fileContentUrl(ctx.publicBase, record.fileId),
    accessFormat: (record) => recordContentType(record.obsId, record.dataproductType),
    accessEstsize: (record, _args, ctx) => fileSize(ctx, record),
  },
  Source: {
    records: (source, _args, ctx) => recordsOfSource(ctx).get(source.id),
    // Both fields load the same key: one statement for a page of sources.
    ra: async (source, _args, ctx) => (await positionOfSource(ctx).get(source.id))?.ra ?? null,
    dec: async (source, _args, ctx) => (await positionOfSource(ctx).get(source.id))?.dec ?? null,
  },
};
