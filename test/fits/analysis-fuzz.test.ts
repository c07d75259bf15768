/**
 * Seeded mutations of astropy's test files and our fixtures through the whole analysis of a
 * file (structure, checks, classification, WCS, table summary), as ingest runs it: no input
 * may make it throw (a FAILED file) or take long. test/fits/fuzz.test.ts covers the walk and
 * checks alone; this one reaches the WCS and table code, where the mutations that once ran a
 * thread out of memory (WCSAXES = 10^20, TFIELDS = 2^31 - 1) or threw (a DATASUM or TZERO that
 * JSON or BigInt refused) were found.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeFile, createScratch } from '../../src/ingest/analyze/analyze-file.js';
import { compileRules, DEFAULT_RULES } from '../../src/ingest/rules.js';
import { FIXTURE_DIR } from './fixtures.js';
import { rng } from '../../src/util/rng.js';


const KEYS = ['NAXIS', 'NAXIS1', 'NAXIS2', 'PCOUNT', 'GCOUNT', 'THEAP', 'TFIELDS', 'TFORM1', 'TFORM2', 'TDIM1', 'TNULL1',
  'TSCAL1', 'TZERO1', 'TBCOL1', 'ZIMAGE', 'ZNAXIS', 'ZNAXIS1', 'BITPIX', 'CTYPE1', 'CTYPE2', 'CRPIX1', 'CDELT1', 'PC1_1',
  'WCSAXES', 'BLANK', 'BSCALE', 'BZERO', 'GROUPS', 'DATASUM', 'PV2_1'];
const VALUES = ['0', '-1', '3', '999', '2147483647', '99999999999999999999', '1.5', 'T', "'1PE(2)'", "'0J'", "'1QD(3)'",
  "'(2,2)'", "'E12.5'", "'100X'", "'RA---TAN'", "'WAVE'", "'DEC--TAN'", '1E300', "''", "'1000000J'", "'1PJ(99999999999)'"];

function mutate(bytes: Uint8Array, r: () => number): Uint8Array {
  const out = new Uint8Array(bytes);
  const text = Buffer.from(out).toString('latin1');
  for (let m = 0, n = 1 + Math.floor(r() * 3); m < n; m++) {
    if (r() < 0.2) {
      out[Math.floor(r() * out.length)] = Math.floor(r() * 256);
      continue;
    }
    const key = KEYS[Math.floor(r() * KEYS.length)];
    const card = `${key.padEnd(8)}= ${VALUES[Math.floor(r() * VALUES.length)].padStart(20)}`.padEnd(80).slice(0, 80);
    // Rewrite that keyword where it is, else a card just before some END.
    let at = text.indexOf(key.padEnd(8));
    if (at < 0 || at % 80 !== 0) {
      const end = text.indexOf('END     ', Math.floor(r() * text.length));
      if (end < 80 || end % 80 !== 0) continue;
      at = end - 80 * (1 + Math.floor(r() * 3));
    }
    for (let i = 0; i < 80; i++) out[at + i] = card.charCodeAt(i);
  }
  return r() < 0.1 ? out.subarray(0, Math.floor(r() * out.length)) : out;
}

const dir = mkdtempSync(join(tmpdir(), 'aa-fits-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('analysis fuzz', () => {
  const sources = [FIXTURE_DIR + 'astropy/', FIXTURE_DIR].flatMap((d) =>
    readdirSync(d).filter((f) => f.endsWith('.fits')).map((f) => new Uint8Array(readFileSync(d + f))),
  );
  const MUTATIONS = 600;

  it(`${MUTATIONS} mutations of ${sources.length} files: never FAILED, never slow`, () => {
    const r = rng(20261130);
    const rules = compileRules(DEFAULT_RULES);
    const scratch = createScratch(1024 * 1024);
    const path = join(dir, 'm.fits');
    let slowest = 0;
    let invalid = 0;
    for (let k = 0; k < MUTATIONS; k++) {
      writeFileSync(path, mutate(sources[Math.floor(r() * sources.length)], r));
      const t = performance.now();
      const a = analyzeFile({ id: k, path: 'm.fits', absPath: path }, rules.ruleFor('m.fits'), scratch);
      slowest = Math.max(slowest, performance.now() - t);
      expect(a.outcome, `mutation ${k}: ${a.issues[0]?.message.slice(0, 300)}`).not.toBe('FAILED');
      if (a.outcome === 'INVALID') invalid++;
    }
    // A guard against pathological inputs (the ones found took minutes or ran out of memory),
    // not a speed test: generous enough for a busy 2-core machine (speed is the bench's job).
    expect(slowest).toBeLessThan(10_000);
    expect(invalid).toBeGreaterThan(MUTATIONS / 10); // the mutations do break files
  });
});
