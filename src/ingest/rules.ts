/**
 * Product rules: an optional `astroarchive.json` at a release's root tells the archive what
 * its files are. Checked when the ingest is submitted, so a typo is a clear BAD_USER_INPUT
 * naming the file and the JSON path, never a half-ingested release.
 *
 * {
 *   "products": [
 *     { "match": "spectra/**\/*.fits", "kind": "SPECTRUM", "productType": "galah-spectrum",
 *       "requiredKeywords": ["OBJECT", "DATE-OBS"], "sourceKeyword": "OBJECT",
 *       "positionKeywords": { "ra": "RA_OBJ", "dec": "DEC_OBJ" } }
 *   ],
 *   "ignore": ["**\/*.tmp"]
 * }
 *
 * The first matching product rule applies; without a match, defaults apply (kind from the
 * data, source from OBJECT, position from RA/DEC).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { FileKind } from '../fits/types.js';
import { ArchiveError, badInput } from '../errors.js';
import { compileGlob } from './glob.js';
import { errnoText } from './errno-text.js';

export const RULES_FILE = 'astroarchive.json';

export interface ProductRule {
  match: string;
  kind?: FileKind;
  productType?: string;
  requiredKeywords?: string[];
  sourceKeyword?: string;
  positionKeywords?: { ra: string; dec: string };
  /** ObsCore calib_level (0 raw .. 4 analysis products) of the matched files, over the default per kind. */
  calibLevel?: number;
  /** Catalogues: the loaded table's name, and the columns holding RA/Dec (degrees) and the source name. */
  table?: string;
  raColumn?: string;
  decColumn?: string;
  idColumn?: string;
}

export interface ProductRules {
  products: ProductRule[];
  ignore: string[];
}

export interface EffectiveRule {
  kind: FileKind | null;
  productType: string | null;
  requiredKeywords: string[];
  sourceKeyword: string;
  positionKeywords: { ra: string; dec: string };
  calibLevel: number | null;
  /** Catalogue rules (src/catalogue/plan.ts); empty when the rule names none. */
  catalogue: { table?: string; raColumn?: string; decColumn?: string; idColumn?: string };
}

export const DEFAULT_RULES: ProductRules = { products: [], ignore: [] };

const KINDS: FileKind[] = ['SPECTRUM', 'IFS_CUBE', 'IMAGE', 'CATALOGUE', 'BLOB'];
const RULE_KEYS = new Set(['match', 'kind', 'productType', 'requiredKeywords', 'sourceKeyword', 'positionKeywords', 'calibLevel', 'table', 'raColumn', 'decColumn', 'idColumn']);

/** Read and check the rules file of a release root; defaults when there is none. */
export async function loadRules(root: string): Promise<ProductRules> {
  let text: string;
  try {
    // Not followed if it is a symlink: it could point outside ARCHIVE_DATA_ROOT, and a JSON
    // error message would then echo a piece of that file back to the caller.
    const stat = await fs.lstat(path.join(root, RULES_FILE));
    if (!stat.isFile()) throw badInput(`${RULES_FILE} at the release root must be a regular file (symlinks are not followed)`, 'input.path');
    text = await fs.readFile(path.join(root, RULES_FILE), 'utf8');
  } catch (err) {
    if (err instanceof ArchiveError) throw err;
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return DEFAULT_RULES;
    throw badInput(`${RULES_FILE} at the release root cannot be read: ${errnoText(err)}`, 'input.path');
  }
  return parseRules(text);
}

export function parseRules(text: string): ProductRules {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw badInput(`${RULES_FILE} is not valid JSON: ${(err as Error).message}`, 'input.path');
  }
  const problems: string[] = [];
  const rules: ProductRules = { products: [], ignore: [] };
  if (!isObject(json)) problems.push('the top level must be an object with "products" and/or "ignore"');
  else {
    for (const key of Object.keys(json)) if (key !== 'products' && key !== 'ignore') problems.push(`unknown key "${key}" (expected "products", "ignore")`);
    const products = json.products ?? [];
    if (!Array.isArray(products)) problems.push('"products" must be an array');
    else products.forEach((p, i) => {
      const rule = checkRule(p, `products[${i}]`, problems);
      if (rule) rules.products.push(rule);
    });
    const ignore = json.ignore ?? [];
    if (!Array.isArray(ignore) || ignore.some((g) => typeof g !== 'string')) problems.push('"ignore" must be an array of glob strings');
    else ignore.forEach((g: string, i) => checkGlob(g, `ignore[${i}]`, problems) && rules.ignore.push(g));
  }
  if (problems.length) throw badInput(`${RULES_FILE} has ${problems.length} problem(s): ${problems.join('; ')}`, 'input.path');
  return rules;
}

function checkRule(p: unknown, where: string, problems: string[]): ProductRule | undefined {
  if (!isObject(p)) {
    problems.push(`${where} must be an object`);
    return undefined;
  }
  const before = problems.length;
  for (const key of Object.keys(p)) if (!RULE_KEYS.has(key)) problems.push(`${where}: unknown key "${key}"`);
  if (typeof p.match !== 'string' || !p.match) problems.push(`${where}.match must be a non-empty glob string`);
  else checkGlob(p.match, `${where}.match`, problems);
  if (p.kind !== undefined && !KINDS.includes(p.kind as FileKind)) problems.push(`${where}.kind must be one of ${KINDS.join(', ')}`);
  if (p.productType !== undefined && (typeof p.productType !== 'string' || !p.productType)) problems.push(`${where}.productType must be a non-empty string`);
  if (p.requiredKeywords !== undefined && (!Array.isArray(p.requiredKeywords) || p.requiredKeywords.some((k) => typeof k !== 'string' || !k)))
    problems.push(`${where}.requiredKeywords must be an array of keyword names`);
  if (p.sourceKeyword !== undefined && (typeof p.sourceKeyword !== 'string' || !p.sourceKeyword)) problems.push(`${where}.sourceKeyword must be a keyword name`);
  const pos = p.positionKeywords;
  if (pos !== undefined && (!isObject(pos) || typeof pos.ra !== 'string' || typeof pos.dec !== 'string'))
    problems.push(`${where}.positionKeywords must be {"ra": "KEYWORD", "dec": "KEYWORD"}`);
  if (p.calibLevel !== undefined && !(Number.isInteger(p.calibLevel) && (p.calibLevel as number) >= 0 && (p.calibLevel as number) <= 4))
    problems.push(`${where}.calibLevel must be an integer from 0 (raw) to 4 (analysis products)`);
  for (const key of CATALOGUE_KEYS) {
    if (p[key] !== undefined && (typeof p[key] !== 'string' || !(p[key] as string).trim())) problems.push(`${where}.${key} must be a non-empty string`);
  }
  if (problems.length > before) return undefined;
  return {
    match: p.match as string,
    kind: p.kind as FileKind | undefined,
    productType: p.productType as string | undefined,
    requiredKeywords: (p.requiredKeywords as string[] | undefined)?.map((k) => k.toUpperCase()),
    sourceKeyword: (p.sourceKeyword as string | undefined)?.toUpperCase(),
    positionKeywords: pos ? { ra: (pos as any).ra.toUpperCase(), dec: (pos as any).dec.toUpperCase() } : undefined,
    calibLevel: p.calibLevel as number | undefined,
    ...Object.fromEntries(CATALOGUE_KEYS.filter((k) => p[k] !== undefined).map((k) => [k, p[k] as string])),
  };
}

const CATALOGUE_KEYS = ['table', 'raColumn', 'decColumn', 'idColumn'] as const;

function checkGlob(g: string, where: string, problems: string[]): boolean {
  try {
    compileGlob(g);
    return true;
  } catch (err) {
    problems.push(`${where}: ${(err as Error).message}`);
    return false;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Rules compiled once per batch: which rule applies to a path, and is the path ignored. */
export function compileRules(rules: ProductRules): { ruleFor(path: string): EffectiveRule; ignored(path: string): boolean } {
  const products = rules.products.map((r) => ({ re: compileGlob(r.match), r }));
  const ignore = rules.ignore.map((g) => compileGlob(g));
  return {
    ruleFor(p) {
      const hit = products.find((x) => x.re.test(p))?.r;
      return {
        kind: hit?.kind ?? null,
        productType: hit?.productType ?? null,
        requiredKeywords: hit?.requiredKeywords ?? [],
        sourceKeyword: hit?.sourceKeyword ?? 'OBJECT',
        positionKeywords: hit?.positionKeywords ?? { ra: 'RA', dec: 'DEC' },
        calibLevel: hit?.calibLevel ?? null,
        catalogue: { table: hit?.table, raColumn: hit?.raColumn, decColumn: hit?.decColumn, idColumn: hit?.idColumn },
      };
    },
    ignored: (p) => p === RULES_FILE || ignore.some((re) => re.test(p)),
  };
}
