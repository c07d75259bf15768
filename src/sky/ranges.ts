/**
 * Pixel ranges: [start, end) of nested ids at the storage order, kept sorted, disjoint and
 * non-adjacent. A cone or footprint becomes a handful of them so that SQL can say
 * `hpx >= a AND hpx < b` OR'ed (a BitmapOr over one btree) or store an int8multirange.
 */

/** [start, end) of nested pixel ids at the storage order. */
export type PixelRange = [start: number, end: number];

/**
 * Appends [start, end) to a flat, ascending list [s0, e0, s1, e1, ...], joining it to the last
 * range when they touch (the coverage searches emit pixels in ascending order).
 */
export function appendRange(flat: number[], start: number, end: number): void {
  const n = flat.length;
  if (n > 0 && flat[n - 1] >= start) {
    if (end > flat[n - 1]) flat[n - 1] = end;
    return;
  }
  flat.push(start, end);
}

/**
 * Fills the smallest gaps until at most `maxRanges` ranges remain. Only ever adds pixels, so a
 * covering stays a covering; a query with 1000 OR'ed ranges would cost the planner more than
 * the few extra rows the exact test then drops.
 */
export function capRanges(flat: number[], maxRanges: number): number[] {
  const count = flat.length / 2;
  if (count <= maxRanges) return flat;
  const keep = Math.max(1, Math.floor(maxRanges));
  // gap g lies between range g and g + 1; keep the (keep - 1) widest gaps open.
  const gaps: number[] = [];
  for (let g = 0; g < count - 1; g++) gaps.push(g);
  gaps.sort((a, b) => flat[2 * b + 2] - flat[2 * b + 1] - (flat[2 * a + 2] - flat[2 * a + 1]) || a - b);
  const open = new Uint8Array(count - 1);
  for (let i = 0; i < keep - 1; i++) open[gaps[i]] = 1;
  const out: number[] = [flat[0]];
  for (let g = 0; g < count - 1; g++) {
    if (open[g]) out.push(flat[2 * g + 1], flat[2 * g + 2]);
  }
  out.push(flat[flat.length - 1]);
  return out;
}

/** The flat list as pairs. */
export function toPairs(flat: number[]): PixelRange[] {
  const out: PixelRange[] = [];
  for (let i = 0; i < flat.length; i += 2) out.push([flat[i], flat[i + 1]]);
  return out;
}

/** Whether the nested id `pix` lies in one of the sorted ranges (binary search). */
export function rangesContain(ranges: readonly PixelRange[], pix: number): boolean {
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const r = ranges[mid];
    if (pix < r[0]) hi = mid - 1;
    else if (pix >= r[1]) lo = mid + 1;
    else return true;
  }
  return false;
}

/** Number of storage-order pixels covered. */
export function rangesPixelCount(ranges: readonly PixelRange[]): number {
  let n = 0;
  for (const [s, e] of ranges) n += e - s;
  return n;
}
