/**
 * A SHA256SUMS line as GNU sha256sum writes (and `sha256sum -c` reads) it: a name with a
 * backslash or line break is written escaped, the line then starting with a backslash. Its own
 * module so that the archive's reader thread (./reader-thread.ts), which writes the lines of
 * the members it builds, does not load the route's modules.
 */
export function sumLine(hex: string, name: string): string {
  if (!/[\\\n\r]/.test(name)) return `${hex}  ${name}\n`;
  return `\\${hex}  ${name.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\r/g, '\\r')}\n`;
}
