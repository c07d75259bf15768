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

type Card = ReturnType<typeof headerCards>[number];

/** The value as the record page shows it (T/F, (re, im)), so a search finds what one reads there. */
export function cardText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'boolean') return v ? 'T' : 'F';
  if (typeof v === 'object' && 're' in v && 'im' in v) return `(${(v as { re: number }).re}, ${(v as { im: number }).im})`;
  return String(v);
}

function cardMatcher(match: string): (c: Card) => boolean {
  const f = match.trim().toLowerCase();
  return (c) => !f || c.keyword.toLowerCase().includes(f) || cardText(c.value).toLowerCase().includes(f) || (c.comment ?? '').toLowerCase().includes(f);
}

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
    // index: one HDU, so the record page asks for a section's cards only when it is opened.
    hdus: async (file, { index }, ctx) => {
      const hdus = await ctx.loaders.hdusByFileId.get(file.id);
      return index === null || index === undefined ? hdus : hdus.filter((h) => h.index === index);
    },
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
    header: (hdu, { match }) => {
      const cards = headerCards(hdu.header);
      return match ? cards.filter(cardMatcher(match)) : cards;
    },
    cardCount: (hdu) => headerCards(hdu.header).length,
    // From the stored header's structural keywords (ZIMAGE, ZNAXISn, GROUPS), not from the
    // naxis column: that column is NAXISn as written (a tile-compressed image's table).
    imageShape: (hdu) => {
      const text = unpackHeader(hdu.header);
      return imageShapeOf(hdu.type, hdu.naxis, structuralKeywords(text, Math.floor(text.length / CARD_LENGTH)));
    },
  },
};
