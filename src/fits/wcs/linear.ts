/**
 * The linear part of the transformation: pixel offsets from CRPIX to intermediate world
 * coordinates, x = M (p - r). M is built the way wcslib (and therefore astropy) chooses between
 * the three header conventions when several are present:
 *   PCi_j (with CDELTi) if any PC card exists, else CDi_j (CDELT ignored), else legacy CROTA.
 */

export type Matrix = number[][];

export function identity(n: number): Matrix {
  // Plain loops: Array.from with a callback was ~10% of a spectrum's WCS set-up.
  const m: Matrix = [];
  for (let i = 0; i < n; i++) {
    const row: number[] = [];
    for (let j = 0; j < n; j++) row.push(i === j ? 1 : 0);
    m.push(row);
  }
  return m;
}

/** diag(cdelt) * pc. */
export function scaleRows(pc: Matrix, cdelt: number[]): Matrix {
  return pc.map((row, i) => row.map((v) => v * cdelt[i]));
}

/**
 * PC matrix equivalent to the AIPS convention CROTA on the celestial pair (lng, lat): a rotation
 * by rho of the sky relative to the pixel grid, with the CDELT ratio folded in (as wcslib does).
 */
export function crotaMatrix(n: number, lng: number, lat: number, rho: number, cdelt: number[]): Matrix {
  const m = identity(n);
  const c = Math.cos((rho * Math.PI) / 180);
  const s = Math.sin((rho * Math.PI) / 180);
  m[lng][lng] = c;
  m[lng][lat] = (-s * cdelt[lat]) / cdelt[lng];
  m[lat][lng] = (s * cdelt[lng]) / cdelt[lat];
  m[lat][lat] = c;
  return m;
}

/** Determinant by LU decomposition with partial pivoting (0 for singular matrices). */
export function determinant(a: Matrix): number {
  const n = a.length;
  const m = a.map((r) => r.slice());
  let det = 1;
  for (let k = 0; k < n; k++) {
    let p = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(m[i][k]) > Math.abs(m[p][k])) p = i;
    if (m[p][k] === 0) return 0;
    if (p !== k) {
      [m[p], m[k]] = [m[k], m[p]];
      det = -det;
    }
    det *= m[k][k];
    for (let i = k + 1; i < n; i++) {
      const f = m[i][k] / m[k][k];
      for (let j = k; j < n; j++) m[i][j] -= f * m[k][j];
    }
  }
  return det;
}

export function apply(m: Matrix, v: number[]): number[] {
  return m.map((row) => row.reduce((s, mij, j) => s + mij * v[j], 0));
}
