import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileRules, loadRules, parseRules } from '../../src/ingest/rules.js';
import { compileGlob } from '../../src/ingest/glob.js';
import { positionFromKeywords } from '../../src/ingest/analyze/position.js';
import { submitIngest } from '../../src/ingest/submit.js';
import { spectrumFits } from '../../src/bench/products.js';
import type { Database } from '../../src/db/client.js';
import type { RunningWorker } from '../../src/worker/runner.js';
import { createTestDatabase } from '../helpers/db.js';
import { startTestWorker, tempDir, waitForRun } from '../helpers/ingest.js';

describe('globs', () => {
  it.each([
    ['spectra/**/*.fits', 'spectra/a/b/x.fits', true],
    ['spectra/**/*.fits', 'spectra/x.fits', true],
    ['spectra/**/*.fits', 'cubes/x.fits', false],
    ['*.log', 'deep/down/run.log', true],
    ['*.log', 'run.logs', false],
    ['cat/{a,b}_?.csv', 'cat/b_1.csv', true],
    ['cat/{a,b}_?.csv', 'cat/c_1.csv', false],
    ['img/[!x]*.fits', 'img/y1.fits', true],
    ['img/[!x]*.fits', 'img/x1.fits', false],
  ])('%s ~ %s -> %s', (glob, p, expected) => {
    expect(compileGlob(glob).test(p)).toBe(expected);
  });
});

describe('product rules', () => {
  it('reports every problem of a rules file, naming the JSON path', () => {
    const bad = JSON.stringify({ products: [{ match: 'a/{b', kind: 'SPECTRA', extra: 1 }, { kind: 'IMAGE' }], ignore: 'x', other: true });
    let message = '';
    try {
      parseRules(bad);
    } catch (err) {
      message = (err as Error).message;
      expect((err as { code?: string }).code).toBe('BAD_USER_INPUT');
    }
    for (const part of ['unknown key "other"', 'products[0]: unknown key "extra"', 'products[0].match: unclosed "{"', 'products[0].kind must be one of', 'products[1].match must be', '"ignore" must be an array']) {
      expect(message).toContain(part);
    }
    expect(() => parseRules('{ not json')).toThrow(/not valid JSON/);
  });

  it('takes an ObsCore calibLevel from 0 to 4 per rule (none: the default per kind)', () => {
    const rules = compileRules(parseRules(JSON.stringify({ products: [{ match: 'raw/*.fits', calibLevel: 0 }, { match: '*.fits' }] })));
    expect(rules.ruleFor('raw/a.fits').calibLevel).toBe(0);
    expect(rules.ruleFor('b.fits').calibLevel).toBeNull();
    for (const bad of [5, -1, 2.5, '2']) {
      expect(() => parseRules(JSON.stringify({ products: [{ match: '*.fits', calibLevel: bad }] }))).toThrow(/products\[0\]\.calibLevel must be an integer from 0/);
    }
  });

  it('applies the first matching rule, with defaults otherwise', () => {
    const rules = compileRules(parseRules(JSON.stringify({
      products: [
        { match: 'spectra/**/*.fits', kind: 'SPECTRUM', productType: 'galah-spectrum', requiredKeywords: ['object', 'DATE-OBS'], positionKeywords: { ra: 'ra_obj', dec: 'dec_obj' } },
        { match: '*.fits', productType: 'other' },
      ],
      ignore: ['*.tmp'],
    })));
    expect(rules.ruleFor('spectra/0/a.fits')).toMatchObject({ kind: 'SPECTRUM', productType: 'galah-spectrum', requiredKeywords: ['OBJECT', 'DATE-OBS'], positionKeywords: { ra: 'RA_OBJ', dec: 'DEC_OBJ' } });
    expect(rules.ruleFor('x/b.fits')).toMatchObject({ kind: null, productType: 'other', sourceKeyword: 'OBJECT', positionKeywords: { ra: 'RA', dec: 'DEC' } });
    expect(rules.ignored('a/b.tmp')).toBe(true);
    expect(rules.ignored('astroarchive.json')).toBe(true);
    expect(rules.ignored('a/b.fits')).toBe(false);
  });

  it('does not follow a symlinked rules file', async () => {
    const dir = tempDir();
    try {
      fs.writeFileSync(path.join(dir, 'outside.txt'), 'secret text');
      fs.mkdirSync(path.join(dir, 'rel'));
      fs.symlinkSync(path.join(dir, 'outside.txt'), path.join(dir, 'rel', 'astroarchive.json'));
      await expect(loadRules(path.join(dir, 'rel'))).rejects.toThrow(/regular file/);
      await expect(loadRules(dir)).resolves.toEqual({ products: [], ignore: [] });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('positions from keywords', () => {
  it('reads degrees and sexagesimal strings (RA in hours)', () => {
    const kw = (ra: unknown, dec: unknown) => new Map<string, any>([['RA', ra], ['DEC', dec]]);
    expect(positionFromKeywords(kw(150.5, -2.25), { ra: 'RA', dec: 'DEC' })).toEqual({ ra: 150.5, dec: -2.25 });
    const p = positionFromKeywords(kw('10:02:00', '-02:15:00'), { ra: 'RA', dec: 'DEC' })!;
    expect(p.ra).toBeCloseTo(150.5, 10);
    expect(p.dec).toBeCloseTo(-2.25, 10);
    expect(positionFromKeywords(kw('garbage', 1), { ra: 'RA', dec: 'DEC' })).toBeNull();
    expect(positionFromKeywords(kw(10, 95), { ra: 'RA', dec: 'DEC' })).toBeNull();
  });
});

describe('rules in a real ingest', () => {
  let database: Database;
  let worker: RunningWorker;
  let root: string;
  beforeAll(async () => {
    database = await createTestDatabase();
    worker = await startTestWorker(database);
    root = tempDir();
    const rel = path.join(root, 'dr2');
    fs.mkdirSync(path.join(rel, 'spectra'), { recursive: true });
    fs.writeFileSync(path.join(rel, 'spectra', 'a.fits'), spectrumFits({ object: 'A', ra: 10, dec: 20 }));
    fs.writeFileSync(path.join(rel, 'scratch.tmp'), 'ignored');
    fs.writeFileSync(path.join(rel, 'astroarchive.json'), JSON.stringify({
      products: [{ match: 'spectra/*.fits', productType: 'galah-spectrum', requiredKeywords: ['OBJECT', 'MJD-OBS'] }],
      ignore: ['*.tmp'],
    }));
  });
  afterAll(async () => {
    await worker?.stop();
    await database?.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('uses the product type, reports a missing required keyword, and leaves ignored files out', async () => {
    const run = await submitIngest(database, root, { survey: 'GALAH', release: 'DR2', path: 'dr2' });
    const done = await waitForRun(database, run.id);
    expect(done.total_files).toBe(1);
    const { rows } = await database.pool.query(
      `SELECT f.status, r.product_type, i.code, i.keyword, i.severity FROM files f JOIN records r ON r.file_id = f.id
       JOIN validation_issues i ON i.file_id = f.id WHERE f.path = 'spectra/a.fits'`,
    );
    expect(rows).toEqual([{ status: 'INVALID', product_type: 'galah-spectrum', code: 'RULE_MISSING_KEYWORD', keyword: 'MJD-OBS', severity: 'ERROR' }]);
  });
});
