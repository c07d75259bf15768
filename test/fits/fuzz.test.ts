/**
 * Seeded mutations of valid fixtures (byte flips, truncations, card rewrites): the structure
 * walk and every check must never throw, must finish quickly, and must either parse the file
 * or say why not with an ERROR.
 */
import { describe, expect, it } from 'vitest';
import { bufferSource, checkHdus, readStructure } from '../../src/fits/index.js';
import { ALL_FIXTURES } from './fixtures.js';
import { rng } from '../../src/util/rng.js';


const CARD_MUTATIONS = [
  'NAXIS   =                  999', 'NAXIS1  =          -2147483648', 'BITPIX  =                   13',
  'END', "XTENSION= 'BINTABLE'", 'PCOUNT  = 99999999999999999999', 'GCOUNT  =                    0',
  'ZIMAGE  =                    T', 'ZNAXIS  =                  500', "CONTINUE  '&'", "TFORM1  = '1PE(2)'",
  'HIERARCH = = =', "X       = '", 'NAXIS2  = (1, 2)', 'SIMPLE  =                    F',
];

function mutate(bytes: Uint8Array, r: () => number): Uint8Array {
  const out = new Uint8Array(bytes);
  const kind = Math.floor(r() * 4);
  if (kind === 0) {
    for (let i = 0, n = 1 + Math.floor(r() * 16); i < n; i++) out[Math.floor(r() * out.length)] = Math.floor(r() * 256);
    return out;
  }
  if (kind === 1) return out.subarray(0, Math.floor(r() * out.length));
  // Rewrite a card in the first header block(s) with a hostile one.
  const cards = Math.min(72, Math.floor(out.length / 80));
  const at = Math.floor(r() * cards) * 80;
  const text = CARD_MUTATIONS[Math.floor(r() * CARD_MUTATIONS.length)].padEnd(80);
  for (let i = 0; i < 80; i++) out[at + i] = text.charCodeAt(i);
  if (kind === 3) out[Math.floor(r() * out.length)] = 0;
  return out;
}

describe('fuzz', () => {
  const sources = ALL_FIXTURES.filter((f) => f.expectCodes.length === 0 && f.bytes.length <= 40_000);
  const r = rng(20240611);
  const PER_FILE = 60;

  it(`${sources.length} valid fixtures x ${PER_FILE} mutations never throw and always explain`, () => {
    expect(sources.length).toBeGreaterThanOrEqual(8);
    let slowest = 0;
    let withErrors = 0;
    for (const fx of sources) {
      for (let k = 0; k < PER_FILE; k++) {
        const bytes = mutate(fx.bytes, r);
        const t = performance.now();
        const src = bufferSource(bytes);
        const structure = readStructure(src);
        const issues = [...structure.issues, ...checkHdus(src, structure)];
        // Touch every lazily parsed header too.
        for (const h of structure.hdus) void h.cards.length;
        slowest = Math.max(slowest, performance.now() - t);
        const parsed = structure.hdus.length > 0;
        const hasError = issues.some((i) => i.severity === 'ERROR');
        if (hasError) withErrors++;
        // Either something was parsed, or an ERROR says why not (empty input has nothing to say).
        expect(parsed || hasError || bytes.length === 0, `${fx.name} mutation ${k}`).toBe(true);
        for (const i of issues) expect(typeof i.message).toBe('string');
      }
    }
    // A guard against pathological inputs, not a speed test: generous for a busy machine.
    expect(slowest).toBeLessThan(10_000);
    expect(withErrors).toBeGreaterThan(0); // the mutations do break files
  });
});
