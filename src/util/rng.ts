/**
 * mulberry32: a small, seedable generator, good enough to spread synthetic positions and
 * fuzz mutations. Seeded so that a benchmark's data and a test's cases are the same every run.
 */
export function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
