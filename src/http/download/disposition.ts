/**
 * `Content-Disposition: attachment` for any file name (RFC 6266, RFC 8187): `filename=` with
 * an ASCII stand-in (quotes, backslashes, control characters and non-ASCII replaced by `_`),
 * plus `filename*=UTF-8''...` (percent-encoded) when the name is not plain ASCII, which every
 * current browser and curl's `-J` prefer. Line breaks can never reach the header: they are
 * replaced before either form is written (a CR/LF in a header would be a response-splitting
 * hole; Node would refuse the header anyway, as a 500).
 */
export function attachment(fileName: string): string {
  // The basename only, and never empty or a dot-name that tools treat specially.
  let name = fileName.slice(fileName.lastIndexOf('/') + 1).replace(/[\u0000-\u001f\u007f]/g, '_');
  if (name === '' || name === '.' || name === '..') name = 'download';
  const ascii = name.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  if (ascii === name) return `attachment; filename="${ascii}"`;
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeRfc8187(name)}`;
}

/** RFC 8187's attr-char stays as is; everything else percent-encoded as UTF-8. */
function encodeRfc8187(s: string): string {
  return encodeURIComponent(s).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
