/**
 * Root finding for projections whose radius is an increasing function of the zenith distance
 * with no closed-form inverse (ZPN, AIR): bisection brackets the root robustly, a few Newton
 * steps then polish it to full double precision.
 */
export function invertIncreasing(
  f: (z: number) => number,
  df: (z: number) => number,
  target: number,
  lo: number,
  hi: number,
): number {
  let a = lo;
  let b = hi;
  for (let it = 0; it < 200 && b - a > 1e-16; it++) {
    const mid = (a + b) / 2;
    if (f(mid) < target) a = mid;
    else b = mid;
  }
  let z = (a + b) / 2;
  for (let it = 0; it < 3; it++) {
    const d = df(z);
    if (!(d > 0)) break;
    const next = z - (f(z) - target) / d;
    if (!(next >= a && next <= b)) break;
    z = next;
  }
  return z;
}
