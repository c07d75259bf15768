/**
 * What a projection is to the rest of the WCS code: its native reference point (phi0, theta0)
 * and the deprojection from intermediate world coordinates (x, y), in degrees, to native
 * spherical coordinates (phi, theta), in degrees. Only pixel -> world is needed by the archive.
 */

export interface Projection {
  readonly code: string;
  /** Native longitude/latitude of the fiducial point, degrees (C&G 2002, Table 13). */
  readonly phi0: number;
  readonly theta0: number;
  /** Native (phi, theta) in degrees, or null when (x, y) lies outside the projection's domain. */
  x2s(x: number, y: number): [number, number] | null;
}

/**
 * PVi_m of the latitude axis, by m. `get` returns the header value or the projection's default.
 * Factories return a string (the reason) when the parameters are unusable.
 */
export interface ProjectionParams {
  get(m: number, dflt: number): number;
  has(m: number): boolean;
  /** Highest m present (for ZPN), -1 when none. */
  readonly maxM: number;
}

export type ProjectionFactory = (pv: ProjectionParams) => Projection | string;

/** Radius of the generating sphere: with r0 = 180/pi, x and y come out in degrees. */
export const R0 = 180 / Math.PI;
