/**
 * Typed access to header cards for the WCS parser. Numbers may arrive as number or bigint
 * (integers beyond 2^53); anything else where a number is required is a WCS_BAD_VALUE, and the
 * reader remembers that so the caller can refuse to compute coordinates from a broken header
 * rather than silently substituting a default.
 */
import type { CardValue } from '../types.js';
import type { IssueList } from './issues.js';

export class CardReader {
  /** Set when any keyword that the transformation needs had a non-numeric value. */
  bad = false;

  constructor(
    private readonly keywords: ReadonlyMap<string, CardValue>,
    private readonly issues: IssueList,
  ) {}

  has(key: string): boolean {
    const v = this.keywords.get(key);
    return v !== undefined && v !== null;
  }

  /** A numeric card, undefined when absent; WCS_BAD_VALUE (and `bad`) when not a finite number. */
  num(key: string, essential = true): number | undefined {
    const v = this.keywords.get(key);
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'number' && Number.isFinite(v)) return v;
    if (typeof v === 'bigint') return Number(v);
    // A quoted number ('2000.0') is a string card: wcslib does not read it as a number either.
    this.issues.add('WCS_BAD_VALUE', key, `expected a number, found ${JSON.stringify(String(v))}`);
    if (essential) this.bad = true;
    return undefined;
  }

  /** A numeric card whose value is out of range: WCS_BAD_VALUE, and no coordinates from it. */
  reject(key: string, why: string): void {
    this.issues.add('WCS_BAD_VALUE', key, why);
    this.bad = true;
  }

  str(key: string): string | undefined {
    const v = this.keywords.get(key);
    if (v === undefined || v === null) return undefined;
    return typeof v === 'string' ? v : String(v);
  }

  /** Keywords matching a pattern, for finding the highest axis number in use. */
  keys(): IterableIterator<string> {
    return this.keywords.keys();
  }
}
