/**
 * The projection registry: three-letter code -> factory. Also applies wcslib's strict bounds
 * check (prjbchk): a deprojected native longitude outside [-180, 180] or latitude outside
 * [-90, 90] (beyond a rounding tolerance) means the pixel is outside the projection's domain —
 * this is how the pseudocylindrical ovals, conic sectors and cube layouts reject points.
 */
import { TOL } from '../angles.js';
import { COD, COE, COO, COP } from './conic.js';
import { AIT, MOL, PAR, SFL } from './pseudocylindrical.js';
import { CAR, CEA, CYP, MER } from './cylindrical.js';
import { BON, PCO } from './polyconic.js';
import { CSC, QSC, TSC } from './quadcube.js';
import { HPX } from './healpix.js';
import { AIR, ARC, AZP, SIN, STG, SZP, TAN, ZEA, ZPN } from './zenithal.js';
import type { Projection, ProjectionFactory, ProjectionParams } from './types.js';

export type { Projection, ProjectionParams } from './types.js';

const FACTORIES: Record<string, ProjectionFactory> = {
  AZP, SZP, TAN, STG, SIN, ARC, ZPN, ZEA, AIR,
  CYP, CEA, CAR, MER,
  SFL, PAR, MOL, AIT,
  COP, COE, COD, COO,
  BON, PCO,
  TSC, CSC, QSC,
  HPX,
};

export const PROJECTION_CODES: readonly string[] = Object.keys(FACTORIES);

export function isProjectionCode(code: string): boolean {
  return Object.hasOwn(FACTORIES, code);
}

function clampBounds(p: [number, number] | null): [number, number] | null {
  if (p === null) return null;
  let [phi, theta] = p;
  if (!Number.isFinite(phi) || !Number.isFinite(theta)) return null;
  if (Math.abs(phi) > 180) {
    if (Math.abs(phi) - 180 > TOL) return null;
    phi = Math.sign(phi) * 180;
  }
  if (Math.abs(theta) > 90) {
    if (Math.abs(theta) - 90 > TOL) return null;
    theta = Math.sign(theta) * 90;
  }
  return [phi, theta];
}

/** The projection for a code with its parameters, a reason string when unusable, or undefined for an unknown code. */
export function makeProjection(code: string, pv: ProjectionParams): Projection | string | undefined {
  const factory = FACTORIES[code];
  if (factory === undefined || !Object.hasOwn(FACTORIES, code)) return undefined;
  const prj = factory(pv);
  if (typeof prj === 'string') return prj;
  return { code: prj.code, phi0: prj.phi0, theta0: prj.theta0, x2s: (x, y) => clampBounds(prj.x2s(x, y)) };
}
