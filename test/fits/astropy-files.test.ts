/**
 * astropy's own FITS test files (copied to test/fixtures/fits, see astropy/LICENSE) through the
 * whole analysis of one file, as ingest runs it: none may make it throw (a FAILED file), and
 * each is INVALID exactly when fitsverify finds errors in it, except where the fixture index
 * records why the archive differs (stricter on checksums; fitsverify contradicting the standard).
 */
import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeFile, createScratch } from '../../src/ingest/analyze/analyze-file.js';
import { compileRules, DEFAULT_RULES } from '../../src/ingest/rules.js';
import { bufferSource, readStructure } from '../../src/fits/index.js';
import { iterateRows, summarizeTable } from '../../src/fits/table/index.js';
import { FIXTURE_DIR, loadFixture } from './fixtures.js';

interface CorpusEntry {
  path: string;
  fitsverify: { errors: number | null; warnings: number | null; messages: string[] };
  expectInvalid: boolean;
  fitsverifyWrong?: string;
  note?: string;
}

const CORPUS_DIR = FIXTURE_DIR + 'astropy/';
const CORPUS: CorpusEntry[] = JSON.parse(readFileSync(CORPUS_DIR + 'index.json', 'utf8'));
const rules = compileRules(DEFAULT_RULES);
const scratch = createScratch(1024 * 1024);

function analyse(file: string, id = 1) {
  const absPath = resolve(file);
  const path = basename(absPath);
  return analyzeFile({ id, path, absPath }, rules.ruleFor(path), scratch);
}

describe('every astropy test file is analysed without throwing and its issues match fitsverify (errors vs none)', () => {
  it('the corpus is all of astropy test data (30 files)', () => {
    expect(CORPUS.length).toBe(30);
  });
  for (const entry of CORPUS) {
    const why = entry.fitsverifyWrong ? ' (fitsverify errs here)' : entry.note ? ` (${entry.note})` : '';
    it(`${entry.path}: ${entry.expectInvalid ? 'INVALID' : 'INGESTED'}${why}`, () => {
      const r = analyse(CORPUS_DIR + entry.path);
      expect(r.error).toBeUndefined();
      expect(r.issues.filter((i) => i.code === 'ANALYSIS_ERROR')).toEqual([]);
      expect(r.outcome).toBe(entry.expectInvalid ? 'INVALID' : 'INGESTED');
      // Every issue points somewhere: an HDU of the file (or the file), never a phantom one.
      for (const i of r.issues) expect(i.hdu === null || (i.hdu >= 0 && i.hdu < Math.max(1, r.hdus.length))).toBe(true);
    });
  }
});

describe('the defects these files exposed', () => {
  it('compressed_float_bzero: a 1-D tile-compressed image is analysed (its 8-byte table row is not read as 3 bytes)', () => {
    const r = analyse(FIXTURE_DIR + 'compressed_float_bzero.fits');
    expect(r.outcome).toBe('INGESTED');
    expect(r.issues).toEqual([]);
    expect(r.hdus[1]).toMatchObject({ type: 'BINTABLE', naxis: [8, 1] });
    expect(r.kind).toBe('SPECTRUM');
  });

  it('theap-gap: valid FITS (PCOUNT counts the gap before THEAP); every heap array decodes as astropy reads it', () => {
    const r = analyse(FIXTURE_DIR + 'theap-gap.fits');
    expect(r.outcome).toBe('INGESTED');
    expect(r.issues).toEqual([]);
    const fx = loadFixture('theap-gap');
    const src = bufferSource(fx.bytes);
    const hdu = readStructure(src).hdus[1];
    expect(hdu.dataStart + hdu.dataSize).toBeLessThanOrEqual(fx.bytes.length);
    const rows = [...iterateRows(src, hdu)];
    expect(rows).toHaveLength(500);
    // astropy's test_vla_with_gap
    expect(rows[497]).toEqual([497, [0, 1, 2, 3, 4]]);
    expect(summarizeTable(src, hdu).issues).toEqual([]);
  });

  it('truncated_declared_data: a header declaring 8e15 bytes in a 2880-byte file is INVALID (FITS_TRUNCATED_DATA), not "all NaN"', () => {
    const r = analyse(FIXTURE_DIR + 'truncated_declared_data.fits');
    expect(r.outcome).toBe('INVALID');
    expect(r.issues.map((i) => [i.severity, i.code, i.hdu])).toEqual([['ERROR', 'FITS_TRUNCATED_DATA', 0]]);
  });
});
