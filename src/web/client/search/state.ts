/**
 * The search as it lives in the URL (`/?q=...&kind=SPECTRUM,IMAGE&...`), and the GraphQL
 * RecordFilter it asks for. Reading the URL is the only way the page learns what to show, so a
 * reload or a shared link shows the same results. Pure.
 */
import { dateToMjd, parseQuery, type ParsedQuery } from './query.js';

export const KINDS = ['SPECTRUM', 'IFS_CUBE', 'IMAGE', 'CATALOGUE', 'BLOB'] as const;
export type Kind = (typeof KINDS)[number];
export const KIND_LABELS: Record<Kind, string> = {
  SPECTRUM: 'Spectra',
  IFS_CUBE: 'Cubes',
  IMAGE: 'Images',
  CATALOGUE: 'Catalogues',
  BLOB: 'Other files',
};
export const PAGE_SIZE = 25;

export interface SearchState {
  q: string;
  survey: string;
  release: string;
  kinds: Kind[];
  product: string;
  /** Wavelength range, nanometres, as typed. */
  wmin: string;
  wmax: string;
  /** Observation dates, YYYY-MM-DD. */
  from: string;
  to: string;
  /** The sky plot's view; '' lets the page choose (a close-up for a cone, else Aitoff). */
  projection: '' | 'aitoff' | 'mollweide' | 'field';
  /** Cursor of the page shown (after it); empty: the first page. */
  after: string;
}

export function readSearch(params: URLSearchParams): SearchState {
  const kinds = (params.get('kind') ?? '').split(',').filter((k): k is Kind => (KINDS as readonly string[]).includes(k));
  return {
    q: params.get('q') ?? '',
    survey: params.get('survey') ?? '',
    release: /^\d+$/.test(params.get('release') ?? '') ? params.get('release')! : '',
    kinds,
    product: params.get('product') ?? '',
    wmin: params.get('wmin') ?? '',
    wmax: params.get('wmax') ?? '',
    from: params.get('from') ?? '',
    to: params.get('to') ?? '',
    projection: (['aitoff', 'mollweide', 'field'] as const).find((p) => p === params.get('proj')) ?? '',
    after: params.get('after') ?? '',
  };
}

/** The URL of a search: only what is set, in a fixed order. */
export function searchUrl(s: SearchState): string {
  const p = new URLSearchParams();
  if (s.q.trim()) p.set('q', s.q.trim());
  if (s.survey) p.set('survey', s.survey);
  if (s.release) p.set('release', s.release);
  if (s.kinds.length) p.set('kind', s.kinds.join(','));
  if (s.product.trim()) p.set('product', s.product.trim());
  for (const k of ['wmin', 'wmax', 'from', 'to'] as const) if (s[k].trim()) p.set(k, s[k].trim());
  if (s.projection) p.set('proj', s.projection);
  if (s.after) p.set('after', s.after);
  const text = p.toString();
  return text ? `/?${text}` : '/';
}

export interface SearchRequest {
  query: ParsedQuery;
  filter: Record<string, unknown>;
  orderBy: 'ID' | 'DISTANCE';
  problems: string[];
}

const nm = (text: string, what: string, problems: string[]): number | undefined => {
  if (!text.trim()) return undefined;
  const v = Number(text);
  if (!Number.isFinite(v) || v <= 0) {
    problems.push(`${what} must be a positive number of nanometres`);
    return undefined;
  }
  return v / 1e9; // division, not * 1e-9: 400 nm is exactly the double 4e-7
};

/** The records(filter, orderBy) a search asks for, and what is wrong with it (shown, not sent). */
export function searchRequest(s: SearchState): SearchRequest {
  const query = parseQuery(s.q);
  const problems: string[] = [];
  const filter: Record<string, unknown> = {};
  if (query.kind === 'error') problems.push(query.message);
  if (query.kind === 'name') filter.targetName = query.name;
  if (query.kind === 'cone') filter.cone = { ra: query.ra, dec: query.dec, radius: query.radius };
  if (s.survey) filter.survey = s.survey;
  if (s.release) filter.release = s.release;
  if (s.kinds.length) filter.kind = s.kinds;
  if (s.product.trim()) filter.productType = [s.product.trim()];
  const wmin = nm(s.wmin, 'The shortest wavelength', problems);
  const wmax = nm(s.wmax, 'The longest wavelength', problems);
  if (wmin !== undefined && wmax !== undefined && wmin > wmax) problems.push('the shortest wavelength is above the longest');
  if (wmin !== undefined || wmax !== undefined) filter.wavelength = { min: wmin, max: wmax };
  const from = s.from ? dateToMjd(s.from) : undefined;
  // "to" is a whole day: up to the start of the next one.
  const to = s.to ? dateToMjd(s.to) : undefined;
  if (from === null) problems.push('the start date is not a date (YYYY-MM-DD)');
  if (to === null) problems.push('the end date is not a date (YYYY-MM-DD)');
  if (typeof from === 'number' && typeof to === 'number' && from > to) problems.push('the start date is after the end date');
  if (typeof from === 'number' || typeof to === 'number')
    filter.time = {
      min: from ?? undefined,
      max: typeof to === 'number' ? to + 1 : undefined,
    };
  return {
    query,
    filter,
    orderBy: query.kind === 'cone' ? 'DISTANCE' : 'ID',
    problems,
  };
}
