/**
 * What a file's bytes are, for `Content-Type` (and `Record.accessFormat`, which must say the
 * same): compressed files by their compression (the bytes on the wire are gzip, whatever is
 * inside: calling a .fits.gz `application/fits` would make a browser store it decompressed
 * or not at all); FITS by name, or by the kind the ingest found in the data; CSV; a few
 * common extensions; else `application/octet-stream`. Never `text/html` or another type a
 * browser would render as a page: files are downloads (and the route also sends
 * `X-Content-Type-Options: nosniff` and a sandboxing CSP).
 */
const FITS = 'application/fits';

export const BY_EXTENSION: Readonly<Record<string, string>> = {
  fits: FITS,
  fit: FITS,
  fts: FITS,
  // fpack's tile-compressed FITS is still FITS (a BINTABLE holding the image).
  fz: FITS,
  csv: 'text/csv',
  gz: 'application/gzip',
  tgz: 'application/gzip',
  bz2: 'application/x-bzip2',
  xz: 'application/x-xz',
  zip: 'application/zip',
  tar: 'application/x-tar',
  txt: 'text/plain; charset=utf-8',
  log: 'text/plain; charset=utf-8',
  md: 'text/plain; charset=utf-8',
  json: 'application/json',
  xml: 'application/xml',
  vot: 'application/x-votable+xml',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  pdf: 'application/pdf',
  // Rendered by browsers as documents: sent as plain text, never as markup or script.
  svg: 'text/plain; charset=utf-8',
  html: 'text/plain; charset=utf-8',
  htm: 'text/plain; charset=utf-8',
  js: 'text/plain; charset=utf-8',
};

/** Kinds the ingest gives to FITS data it classified (a CATALOGUE may also be a CSV). */
const FITS_KINDS = new Set(['SPECTRUM', 'IFS_CUBE', 'IMAGE', 'CATALOGUE']);

/** `path`'s MIME type given the file's kind (FileKind). */
export function contentTypeOf(path: string, kind: string): string {
  const base = path.slice(path.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  const ext = dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
  const known = BY_EXTENSION[ext];
  if (known) return known;
  return FITS_KINDS.has(kind) ? FITS : 'application/octet-stream';
}

/** ObsCore's dataproduct_type back to the kind it was derived from (records do not store the kind). */
const KIND_OF_PRODUCT: Readonly<Record<string, string>> = { spectrum: 'SPECTRUM', cube: 'IFS_CUBE', image: 'IMAGE', measurements: 'CATALOGUE' };

/** A record's access format: the same answer as its file's Content-Type, from the record's own columns. */
export function recordContentType(obsId: string, dataproductType: string): string {
  return contentTypeOf(obsId, KIND_OF_PRODUCT[dataproductType] ?? 'BLOB');
}
