/** Loads the committed fixtures (test/fixtures/fits) and converts astropy's JSON values. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CardValue } from '../../src/fits/index.js';

export const FIXTURE_DIR = fileURLToPath(new URL('../fixtures/fits/', import.meta.url));

export interface ExpectedCard {
  keyword: string;
  value: unknown;
  comment: string | null;
}
export interface ExpectedHdu {
  type: string;
  bitpix: number;
  /** NAXISn as written (a tile-compressed image: its table's). */
  naxis: number[];
  compressedImage: boolean;
  /** astropy's image shape, for a tile-compressed image only. */
  imageShape?: number[];
  cards: ExpectedCard[];
}
export interface Fixture {
  name: string;
  bytes: Uint8Array;
  description: string;
  expectCodes: string[];
  astropy: { hdus: ExpectedHdu[] } | { error: string };
  fitsverify: { errors: number | null; warnings: number | null; messages: string[] };
  classify?: { kind: string; hdu: number | null };
  /** Why fitsverify's verdict is not the standard's, for the files where it errs. */
  fitsverifyWrong?: string;
  pixels?: Record<string, (number | null)[]>;
}

export const FIXTURE_NAMES: string[] = JSON.parse(readFileSync(FIXTURE_DIR + 'index.json', 'utf8'));

export function loadFixture(name: string): Fixture {
  const json = JSON.parse(readFileSync(FIXTURE_DIR + name + '.json', 'utf8'));
  return { name, bytes: new Uint8Array(readFileSync(FIXTURE_DIR + name + '.fits')), ...json };
}

export const ALL_FIXTURES: Fixture[] = FIXTURE_NAMES.map(loadFixture);

/** astropy's JSON value -> our CardValue ({"bigint": "..."} and {"float": "nan"} decoded). */
export function toCardValue(v: unknown): CardValue | { astropyError: string } {
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if ('bigint' in o) return BigInt(o.bigint as string);
    if ('float' in o) return Number(o.float);
    if ('re' in o) return { re: o.re as number, im: o.im as number };
    if ('astropyError' in o) return o as { astropyError: string };
  }
  return v as CardValue;
}
