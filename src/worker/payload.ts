/** Job payload checks: a malformed payload is a bug somewhere upstream, so fail loudly. */
export function positiveInt(v: unknown, name: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v <= 0) throw new Error(`payload.${name} must be a positive integer, got ${JSON.stringify(v)}`);
  return v;
}

export function positiveIntArray(v: unknown, name: string, max: number): number[] {
  if (!Array.isArray(v) || v.length === 0 || v.length > max) throw new Error(`payload.${name} must be an array of 1..${max} ids`);
  return v.map((x, i) => positiveInt(x, `${name}[${i}]`));
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `{ ids, paths, sizes, mtimesMs }`: the files a write-once batch job carries (enqueue-new-files.ts). */
export function newFiles(v: unknown, name: string, max: number): { ids: number[]; paths: string[]; sizes: number[]; mtimesMs: number[] } {
  if (!isRecord(v)) throw new Error(`payload.${name} must be an object { ids, paths, sizes, mtimesMs }`);
  const ids = positiveIntArray(v.ids, `${name}.ids`, max);
  const same = (a: unknown, field: string, ok: (x: unknown) => boolean) => {
    if (!Array.isArray(a) || a.length !== ids.length || !a.every(ok)) throw new Error(`payload.${name}.${field} must be an array of ${ids.length} values, one per id`);
    return a;
  };
  return {
    ids,
    paths: same(v.paths, 'paths', (x) => typeof x === 'string' && x.length > 0) as string[],
    sizes: same(v.sizes, 'sizes', (x) => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0) as number[],
    mtimesMs: same(v.mtimesMs, 'mtimesMs', (x) => typeof x === 'number' && Number.isFinite(x)) as number[],
  };
}
