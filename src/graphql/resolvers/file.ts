/** Files, their HDUs (headers parsed on read) and validation issues. */
import type { GqlResolvers as Resolvers } from '../../__generated__/resolvers-types.js';
import { CARD_LENGTH } from '../../fits/card.js';
import { structuralKeywords } from '../../fits/header.js';
import { unpackHeader } from '../../fits/header-text.js';
import { imageShapeOf } from '../../fits/image-shape.js';
import { headerCards } from '../header-cache.js';
import { parseId } from '../ids.js';
import type { ReleaseModel } from '../models.js';
import { loadAheadFrom } from '../lookahead.js';
import { visibleFile } from '../visibility.js';
import { fileContentUrl, signedFileContentUrl } from '../../http/download/links.js';

export const fileResolvers: Resolvers = {
  Query: {
    file: async (_root, { id }, ctx, info) => {
      const file = await visibleFile(ctx, parseId(id, 'id'));
      if (file) await loadAheadFrom(ctx, info, [], 'File', [file]);
      return file;
    },
  },
  // Loader.get: a value when a look-ahead loaded it already (src/graphql/lookahead.ts).
  File: {
    release: (file, _args, ctx) => ctx.loaders.releaseById.get(file.releaseId) as ReleaseModel | Promise<ReleaseModel>,
    issues: (file, _args, ctx) => ctx.loaders.issuesByFileId.get(file.id),
    hdus: (file, _args, ctx) => ctx.loaders.hdusByFileId.get(file.id),
    record: (file, _args, ctx) => ctx.loaders.recordByFileId.get(file.id),
    downloadUrl: (file, _args, ctx) => fileContentUrl(ctx.publicBase, file.id),
    // The file is visible to this caller (it was reached through a visible release), so the
    // caller may hand a browser a short-lived link to it.
    signedDownloadUrl: (file, { expiresInSeconds }, ctx) => signedFileContentUrl(ctx.publicBase, ctx.config.home, file.id, expiresInSeconds ?? 300),
  },
  Hdu: {
    // The stored text is the header as written (packed: see fits/header-text.ts); the FITS
    // layer's parser (the same one ingest used) turns it into cards, so the API never
    // disagrees with what ingest validated.
    // Remembered by text (../header-cache.ts): a popular file's headers are parsed once.
    header: (hdu) => headerCards(hdu.header),
    // From the stored header's structural keywords (ZIMAGE, ZNAXISn, GROUPS), not from the
    // naxis column: that column is NAXISn as written (a tile-compressed image's table).
    imageShape: (hdu) => {
      const text = unpackHeader(hdu.header);
      return imageShapeOf(hdu.type, hdu.naxis, structuralKeywords(text, Math.floor(text.length / CARD_LENGTH)));
    },
  },
};
