/**
 * Text into XML 1.0. Besides & < > (and " in attributes), XML 1.0 cannot carry most C0 control
 * characters, U+FFFE/U+FFFF or unpaired surrogates at all, not even as character references:
 * they become U+FFFD (a TABLEDATA cell that had one differs from the database value; BINARY2
 * carries them untouched). CR is written as &#13; because parsers turn a literal CR into LF.
 */
// eslint-disable-next-line no-control-regex
const NEEDS_WORK = /[&<>"\r\u0000-\u0008\u000b\u000c\u000e-\u001f\ud800-\udfff\ufffe\uffff]/;
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\r': '&#13;' };

/** For element content and attribute values alike (escapes " too: cheap and always valid). */
export function escapeXml(s: string): string {
  if (!NEEDS_WORK.test(s)) return s;
  return s.replace(FORBIDDEN, '\ufffd').replace(/[&<>"\r]/g, (c) => ENTITY[c]!);
}
