/**
 * The WCS check codes and a small collector, so that every module reports findings the same way
 * (stable code, severity, a message that names HDU and keyword).
 */
import type { FitsIssue, Severity } from '../types.js';

export const WCS_CODES = {
  WCS_SINGULAR_MATRIX: 'ERROR',
  WCS_CD_WITH_PC: 'WARNING',
  WCS_UNKNOWN_PROJECTION: 'ERROR',
  WCS_UNPAIRED_CELESTIAL: 'ERROR',
  WCS_CELESTIAL_UNIT: 'WARNING',
  WCS_TOO_MANY_AXES: 'WARNING',
  WCS_2D_ON_SPECTRUM: 'WARNING',
  WCS_RADESYS_EQUINOX: 'WARNING',
  WCS_OUTSIDE_VALID_REGION: 'WARNING',
  WCS_SPECTRAL_UNSUPPORTED: 'WARNING',
  WCS_BAD_VALUE: 'ERROR',
  /** Projection parameters (PVi_m) missing or out of range, e.g. COP without PV2_1. */
  WCS_PROJECTION_PARAMETERS: 'ERROR',
} as const satisfies Record<string, Severity>;

export type WcsCode = keyof typeof WCS_CODES;

export class IssueList {
  readonly issues: FitsIssue[] = [];
  constructor(readonly hdu: number) {}

  add(code: WcsCode, keyword: string | null, text: string): void {
    const where = keyword === null ? `HDU ${this.hdu}` : `HDU ${this.hdu}, ${keyword}`;
    this.issues.push({ severity: WCS_CODES[code], code, message: `${where}: ${text}`, hdu: this.hdu, keyword });
  }

  has(code: WcsCode): boolean {
    return this.issues.some((i) => i.code === code);
  }
}
