/** Files, their HDUs (headers parsed on read) and validation issues. */
import type { GqlResolvers as Resolvers } from '../../__generated__/resolvers-types.js';
import { CARD_LENGTH } from '../../fits/card.js';
import { parseHeader, structuralKeywords } from '../../fits/header.js';
import { unpackHeader } from '../../fits/header-text.js';
import { imageShapeOf } from '../../fits/image-shape.js';
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
    // From the stored header's structural keywords (ZIMAGE, ZNAXISn, GROUPS), not from the
    // naxis column: that column is NAXISn as written (a tile-compressed image's table).
    imageShape: (hdu) => {
      const text = unpackHeader(hdu.header);
      return imageShapeOf(hdu.type, hdu.naxis, structuralKeywords(text, Math.floor(text.length / CARD_LENGTH)));
    },
  },
};
