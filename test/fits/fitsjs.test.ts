/**
 * Should fitsjs (the npm package the design named) read our headers? This loads it in Node with
 * the minimal browser shims (here only, never in src/) and compares it, case by case, with
 * astropy's reading (the committed JSON) and with our parser. The decision is recorded in
 * src/fits/README.md: fitsjs is used nowhere in production.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { bufferSource, readStructure } from '../../src/fits/index.js';
import { loadFixture, toCardValue, type ExpectedHdu } from './fixtures.js';

// ---- minimal shims: fitsjs reads Blobs through FileReader (browser API, absent in Node)
let pendingError: ((e: unknown) => void) | null = null;
class FileReaderShim {
  result: ArrayBuffer | null = null;
  onloadend: ((e: { target: FileReaderShim }) => void) | null = null;
  readAsArrayBuffer(blob: Blob): void {
    blob.arrayBuffer().then((buf) => {
      this.result = buf;
      try {
        this.onloadend?.({ target: this });
      } catch (e) {
        pendingError?.(e);
      }
    }, (e) => pendingError?.(e));
  }
}
(globalThis as Record<string, unknown>).FileReader = FileReaderShim;
const fitsjs = createRequire(import.meta.url)('fitsjs') as { astro: { FITS: new (arg: unknown, cb: (f: FitsjsFile) => void) => unknown } };
// fitsjs refers to a global `astro` when it creates data units.
(globalThis as Record<string, unknown>).astro = fitsjs.astro;

interface FitsjsHeader { get(key: string): unknown; contains(key: string): boolean }
interface FitsjsFile { hdus: { header: FitsjsHeader; data?: { getFrame: (f: number, cb: (a: unknown) => void) => void } }[] }

function openWithFitsjs(bytes: Uint8Array): Promise<FitsjsFile> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('fitsjs never called back')), 3000);
    pendingError = (e) => { clearTimeout(timer); reject(e); };
    try {
      new fitsjs.astro.FITS(new Blob([bytes]), (f) => { clearTimeout(timer); resolve(f); });
    } catch (e) {
      clearTimeout(timer);
      reject(e);
    }
  });
}

function astropyKeywords(name: string, hdu = 0): Map<string, unknown> {
  const fx = loadFixture(name);
  const m = new Map<string, unknown>();
  for (const c of (fx.astropy as { hdus: ExpectedHdu[] }).hdus[hdu].cards) {
    if (c.value !== null && !m.has(c.keyword)) m.set(c.keyword, toCardValue(c.value));
  }
  return m;
}

function ours(name: string, hdu = 0): ReadonlyMap<string, unknown> {
  return readStructure(bufferSource(loadFixture(name).bytes)).hdus[hdu].keywords;
}

/** fitsjs returns logicals as the strings 'T'/'F' for non-mandatory keywords; map them. */
function norm(v: unknown): unknown {
  return v === 'T' ? true : v === 'F' ? false : v;
}

describe('fitsjs in Node', () => {
  it('loads only with a FileReader shim and a global `astro`, and parses a simple image', async () => {
    const f = await openWithFitsjs(loadFixture('valid_image').bytes);
    expect(f.hdus).toHaveLength(1);
  });

  it('agrees with astropy on plain fixed-format cards (valid_image)', async () => {
    const f = await openWithFitsjs(loadFixture('valid_image').bytes);
    const want = astropyKeywords('valid_image');
    const disagree = [...want].filter(([k, v]) => norm(f.hdus[0].header.get(k)) !== v).map(([k]) => k);
    expect(disagree).toEqual([]);
    // and so do we
    expect([...want].filter(([k, v]) => ours('valid_image').get(k) !== v)).toEqual([]);
  });

  describe('hand-written cards (handmade_values): fitsjs wrong, ours = astropy', () => {
    const cases: [string, string][] = [
      ['QUOTE', "'' escape: fitsjs keeps both quotes"],
      ['SLASH', "string containing ' /': fitsjs splits the value at ' /'"],
      ['DEXP', 'D exponent: parseFloat stops at D'],
      ['DEXPNEG', 'negative D exponent'],
      ['CPLXINT', 'complex value: parseFloat("(3") gives NaN'],
      ['BIGINT', 'integer beyond 2^53: parseFloat loses digits (we return a bigint)'],
      ['ESO DET DIT', 'HIERARCH: fitsjs knows no HIERARCH keywords'],
      ['LONGSTR', 'CONTINUE long string: fitsjs keeps only the first card, with the &'],
    ];
    const fxName = 'handmade_values';
    const want = astropyKeywords(fxName);
    for (const [keyword, why] of cases) {
      it(`${keyword}: ${why}`, async () => {
        const f = await openWithFitsjs(loadFixture(fxName).bytes);
        expect(want.has(keyword)).toBe(true);
        expect(ours(fxName).get(keyword)).toEqual(want.get(keyword));
        expect(norm(f.hdus[0].header.get(keyword))).not.toEqual(want.get(keyword));
      });
    }
    it('where fitsjs is right on the same file: plain strings, fixed and free integers and reals', async () => {
      const f = await openWithFitsjs(loadFixture(fxName).bytes);
      for (const k of ['FREEINT', 'FREESTR', 'EEXP', 'PLUSINT', 'LEADING', 'DOTLEAD', 'SMALLF']) {
        expect(norm(f.hdus[0].header.get(k)), k).toEqual(k === 'LEADING' ? 'lead and trail' : want.get(k));
      }
    });
  });

  it('stops after 600 cards of a header: LATEKEY (card 657) is lost', async () => {
    const f = await openWithFitsjs(loadFixture('long_header').bytes);
    expect(astropyKeywords('long_header').get('LATEKEY')).toBe('after 650 cards');
    expect(ours('long_header').get('LATEKEY')).toBe('after 650 cards');
    expect(f.hdus[0].header.get('LATEKEY')).toBeNull();
  });

  it('refuses BITPIX 64 outright: the whole file fails to open', async () => {
    await expect(openWithFitsjs(loadFixture('bitpix_all').bytes)).rejects.toThrow(/BITPIX value 64 is not permitted/);
    expect(readStructure(bufferSource(loadFixture('bitpix_all').bytes)).hdus.map((h) => h.bitpix)).toEqual([8, 8, 16, 32, 64, -32, -64]);
  });

  it('cannot give pixels in Node (so neither BZERO scaling nor -64 can be compared)', async () => {
    const f = await openWithFitsjs(loadFixture('bzero_scaled').bytes);
    expect(f.hdus).toHaveLength(5);
    // getFrame hands the bytes to a Web Worker built from a Blob URL: no such thing in Node.
    const image = f.hdus[1].data!;
    await expect(
      new Promise((resolve, reject) => {
        pendingError = reject;
        try {
          image.getFrame(0, resolve);
        } catch (e) {
          reject(e);
        }
        setTimeout(() => reject(new Error('no callback')), 2000);
      }),
    ).rejects.toThrow(/Worker|URL|createObjectURL|not defined|not a function/);
  });
});
