/**
 * POSIX tar (ustar + pax) headers, written here rather than through tar-stream's pack: a
 * release archive of 20,000 small files spent most of its time in the per-entry stream
 * machinery (three pushes and a callback per member), while a header is 512 bytes of fixed
 * fields. A name that does not fit ustar's 100 (+155 prefix) bytes, or is not ASCII, or a size
 * of 8 GiB or more, gets a pax extended header first (`path=`, `size=`), as GNU tar and
 * bsdtar read it. Members are regular files only.
 */
const BLOCK = 512;
const MAX_OCTAL_SIZE = 0o77777777777;

/** The header block(s) of a regular file member. */
export function fileHeader(name: string, size: number, mtimeSeconds: number, mode = 0o644): Buffer {
  const split = ustarName(name);
  const bigSize = size > MAX_OCTAL_SIZE;
  if (split && !bigSize) return block(split.name, split.prefix, size, mtimeSeconds, mode, '0');
  const records = (split ? '' : paxRecord('path', name)) + (bigSize ? paxRecord('size', String(size)) : '');
  const data = Buffer.from(records, 'utf8');
  const paxName = `PaxHeader/${asciiTail(name, 80)}`;
  const header = block(paxName, '', data.length, mtimeSeconds, 0o644, 'x');
  const fallback = split ?? { name: asciiTail(name, 100), prefix: '' };
  return Buffer.concat([header, data, Buffer.alloc(padding(data.length)), block(fallback.name, fallback.prefix, bigSize ? 0 : size, mtimeSeconds, mode, '0')]);
}

/**
 * fileHeader written straight into `out` at `offset` (the archive's chunk buffer on the reader
 * thread): the same bytes, without a 512-byte buffer, string padding and a 512-byte checksum
 * loop per member. The common case (an ASCII name that fits ustar, a size under 8 GiB) copies
 * a template block and writes only name, prefix, size and mtime, summing just those bytes for
 * the checksum; any other member goes through fileHeader. Returns the bytes written, or -1
 * (nothing written) when the headers would take more than `room` bytes.
 */
export function writeFileHeader(out: Buffer, offset: number, name: string, size: number, mtimeSeconds: number, room = Infinity): number {
  const mtime = Math.max(0, Math.floor(mtimeSeconds));
  const split = size <= MAX_OCTAL_SIZE && mtime <= MAX_OCTAL_SIZE ? ustarName(name) : null;
  if (!split) {
    const header = fileHeader(name, size, mtimeSeconds);
    if (header.length > room) return -1;
    header.copy(out, offset);
    return header.length;
  }
  TEMPLATE.copy(out, offset);
  let sum = TEMPLATE_SUM;
  sum += asciiInto(out, offset, split.name);
  sum += asciiInto(out, offset + 345, split.prefix);
  sum += octalInto(out, offset + 124, 12, size);
  sum += octalInto(out, offset + 136, 12, mtime);
  // As block(): six octal digits, NUL, space.
  const c = offset + 148;
  for (let i = 5; i >= 0; i--, sum >>>= 3) out[c + i] = 0x30 + (sum & 7);
  out[c + 6] = 0;
  out[c + 7] = 0x20;
  return BLOCK;
}

/** Zero bytes after a member's data, up to the next block. */
export function padding(size: number): number {
  return (BLOCK - (size % BLOCK)) % BLOCK;
}

/** Two zero blocks end an archive. */
export const END_OF_ARCHIVE = Buffer.alloc(2 * BLOCK);

/** name/prefix for ustar when the name is ASCII and fits (split at a slash), else null. */
function ustarName(name: string): { name: string; prefix: string } | null {
  if (!/^[\x20-\x7e]*$/.test(name)) return null;
  if (name.length <= 100) return { name, prefix: '' };
  for (let i = name.indexOf('/'); i >= 0; i = name.indexOf('/', i + 1)) {
    if (i <= 155 && name.length - i - 1 <= 100 && name.length - i - 1 > 0) return { name: name.slice(i + 1), prefix: name.slice(0, i) };
  }
  return null;
}

/** `"<len> key=value\n"`, where len counts the whole record in bytes, its own digits included. */
function paxRecord(key: string, value: string): string {
  const body = Buffer.byteLength(` ${key}=${value}\n`);
  let len = body + 1;
  for (let next = body + String(len).length; next !== len; next = body + String(len).length) len = next;
  return `${len} ${key}=${value}\n`;
}

function asciiTail(name: string, max: number): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_');
  return ascii.length <= max ? ascii : ascii.slice(ascii.length - max);
}

function block(name: string, prefix: string, size: number, mtime: number, mode: number, type: string): Buffer {
  const b = Buffer.alloc(BLOCK);
  b.write(name, 0, 100, 'utf8');
  octal(b, 100, 8, mode);
  octal(b, 108, 8, 0); // uid
  octal(b, 116, 8, 0); // gid
  octal(b, 124, 12, size);
  octal(b, 136, 12, Math.max(0, Math.floor(mtime)));
  b.fill(0x20, 148, 156); // checksum field counts as spaces
  b.write(type, 156, 1, 'latin1');
  b.write('ustar\u000000', 257, 8, 'latin1');
  b.write(prefix, 345, 155, 'utf8');
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += b[i];
  b.write(sum.toString(8).padStart(6, '0') + '\u0000 ', 148, 8, 'latin1');
  return b;
}

/** `width - 1` octal digits and a NUL. */
function octal(b: Buffer, offset: number, width: number, value: number): void {
  b.write(value.toString(8).padStart(width - 1, '0') + '\u0000', offset, width, 'latin1');
}

/** A regular file's block with empty name, prefix, size and mtime (zeros), and its byte sum (checksum field as spaces). */
const TEMPLATE = (() => {
  const b = block('', '', 0, 0, 0o644, '0');
  b.fill(0, 124, 136 + 12);
  return b;
})();
const TEMPLATE_SUM = (() => {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : TEMPLATE[i];
  return sum;
})();

/** Writes printable ASCII `text` at `at` (the caller checked it is ASCII); returns the sum of its bytes. */
function asciiInto(out: Buffer, at: number, text: string): number {
  let sum = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    out[at + i] = code;
    sum += code;
  }
  return sum;
}

/** As octal(): `width - 1` octal digits and a NUL; returns the sum of the digits' bytes. */
function octalInto(out: Buffer, at: number, width: number, value: number): number {
  let sum = 0;
  for (let i = width - 2; i >= 0; i--) {
    const digit = 0x30 + (value % 8);
    out[at + i] = digit;
    sum += digit;
    value = Math.floor(value / 8);
  }
  out[at + width - 1] = 0;
  return sum;
}
