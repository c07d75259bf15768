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
