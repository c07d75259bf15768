/**
 * The `Range` header (RFC 9110 section 14): `bytes=0-99`, `bytes=100-`, `bytes=-500`, and
 * lists of them. Pure: a header and a size in, what to send out.
 *
 * - A unit other than `bytes` is ignored (the whole representation, 200), as the RFC says.
 * - A `bytes=` value that does not parse is refused (416): a client that sent it gets an
 *   answer that says so rather than a whole file it did not ask for.
 * - Ranges past the end are dropped; none left is 416 (`Content-Range: bytes * /size`).
 * - Overlapping or adjacent ranges are merged (the RFC allows it), so no byte is sent twice
 *   and a hostile list of tiny overlapping ranges cannot multiply the bytes sent; more than
 *   MAX_RANGES ranges is refused outright.
 */
export interface ByteRange {
  /** First byte, inclusive. */
  start: number;
  /** Last byte, inclusive. */
  end: number;
}

export type RangeAnswer =
  | { kind: 'whole' }
  | { kind: 'malformed' }
  | { kind: 'unsatisfiable' }
  | { kind: 'partial'; ranges: ByteRange[] };

export const MAX_RANGES = 100;

const SPEC = /^(?:(\d{1,16})-(\d{0,16})|-(\d{1,16}))$/;

export function parseRange(header: string | undefined, size: number): RangeAnswer {
  if (header === undefined) return { kind: 'whole' };
  const eq = header.indexOf('=');
  if (eq < 0) return { kind: 'malformed' };
  if (header.slice(0, eq).trim().toLowerCase() !== 'bytes') return { kind: 'whole' };
  const specs = header.slice(eq + 1).split(',').map((s) => s.trim());
  // RFC 9110's list syntax allows empty elements (`bytes=0-1,,5-6`); a list of nothing is malformed.
  const wanted = specs.filter((s) => s !== '');
  if (wanted.length === 0 || wanted.length > MAX_RANGES) return { kind: 'malformed' };
  const ranges: ByteRange[] = [];
  for (const spec of wanted) {
    const m = SPEC.exec(spec);
    if (!m) return { kind: 'malformed' };
    if (m[3] !== undefined) {
      // Suffix: the last N bytes (all of them when N >= size); N = 0 selects nothing.
      const n = Number(m[3]);
      if (n > 0 && size > 0) ranges.push({ start: Math.max(0, size - n), end: size - 1 });
      continue;
    }
    const start = Number(m[1]);
    const end = m[2] === '' ? Infinity : Number(m[2]);
    if (end < start) return { kind: 'malformed' };
    if (start < size) ranges.push({ start, end: Math.min(end, size - 1) });
  }
  if (ranges.length === 0) return { kind: 'unsatisfiable' };
  return { kind: 'partial', ranges: coalesce(ranges) };
}

/** Ranges in the order asked, with any that overlap or touch merged (then in order of position). */
function coalesce(ranges: ByteRange[]): ByteRange[] {
  if (ranges.length === 1) return ranges;
  const sorted = [...ranges].sort((a, b) => a.start - b.start);
  let overlaps = false;
  for (let i = 1; i < sorted.length; i++) if (sorted[i].start <= sorted[i - 1].end + 1) overlaps = true;
  if (!overlaps) return ranges;
  const merged: ByteRange[] = [{ ...sorted[0] }];
  for (const r of sorted.slice(1)) {
    const last = merged[merged.length - 1];
    if (r.start <= last.end + 1) last.end = Math.max(last.end, r.end);
    else merged.push({ ...r });
  }
  return merged;
}
