/** Files, their HDUs (headers parsed on read) and validation issues. */
import type { GqlResolvers as Resolvers } from '../../__generated__/resolvers-types.js';
import { parseHeader } from '../../fits/header.js';
import { unpackHeader } from '../../fits/header-text.js';
import { parseId } from '../ids.js';
import { ifVisible } from '../visibility.js';

export const fileResolvers: Resolvers = {
  Query: {
    file: async (_root, { id }, ctx) => ifVisible(ctx, await ctx.loaders.fileById.load(parseId(id, 'id'))),
  },
  File: {
    release: async (file, _args, ctx) => (await ctx.loaders.releaseById.load(file.releaseId))!,
    issues: (file, _args, ctx) => ctx.loaders.issuesByFileId.load(file.id),
    hdus: (file, _args, ctx) => ctx.loaders.hdusByFileId.load(file.id),
    record: (file, _args, ctx) => ctx.loaders.recordByFileId.load(file.id),
  },
  Hdu: {
    // The stored text is the header as written (packed: see fits/header-text.ts); the FITS
    // layer's parser (the same one ingest used) turns it into cards, so the API never
    // disagrees with what ingest validated.
    header: (hdu) => parseHeader(unpackHeader(hdu.header)).cards,
  },
};
