/** File kinds: the fixtures' hand-written expectations plus synthetic headers. */
import { describe, expect, it } from 'vitest';
import { bufferSource, classifyHdus, ctypeFamily, readStructure, type HduInfo } from '../../src/fits/index.js';
import { ALL_FIXTURES } from './fixtures.js';

describe('fixtures', () => {
  for (const fx of ALL_FIXTURES.filter((f) => f.classify)) {
    it(`${fx.name} is ${fx.classify!.kind}`, () => {
      expect(classifyHdus(readStructure(bufferSource(fx.bytes)).hdus)).toEqual(fx.classify);
    });
  }
});

function hdu(type: string, naxis: number[], kw: Record<string, string | number | boolean>, index = 0): HduInfo {
  return {
    index, type, headerStart: 0, dataStart: 2880, dataSize: naxis.reduce((a, b) => a * b, naxis.length ? 4 : 0),
    cards: [], keywords: new Map(Object.entries(kw)), rawHeader: '', bitpix: -32, naxis,
  };
}

describe('synthetic', () => {
  it('CTYPE families', () => {
    expect(['RA---TAN', 'DEC--SIN', 'GLON-CAR', 'ELAT', 'HPLN-TAN', 'PLLT-SIN'].map(ctypeFamily)).toEqual(Array(6).fill('celestial'));
    expect(['WAVE', 'AWAV-TAB', 'FREQ', 'VRAD', 'VOPT-F2W', 'ZOPT', 'ENER', 'WAVN', 'VELO', 'BETA'].map(ctypeFamily)).toEqual(Array(10).fill('spectral'));
    expect(['LINEAR', 'TIME', 'STOKES', ''].map(ctypeFamily)).toEqual(Array(4).fill('other'));
  });
  it('3-D with a spectral third axis but no celestial ones is still a cube; without one, a blob', () => {
    expect(classifyHdus([hdu('PRIMARY', [5, 5, 20], { CTYPE3: 'FREQ' })]).kind).toBe('IFS_CUBE');
    expect(classifyHdus([hdu('PRIMARY', [5, 5, 20], { CTYPE3: 'TIME' })]).kind).toBe('BLOB');
  });
  it('degenerate axes do not count: 1 x 500 x 1 is a spectrum, 1 x 30 x 40 an image', () => {
    expect(classifyHdus([hdu('PRIMARY', [1, 500, 1], {})]).kind).toBe('SPECTRUM');
    expect(classifyHdus([hdu('PRIMARY', [1, 30, 40], {})]).kind).toBe('IMAGE');
  });
  it('a table with LOGLAM and FLUX columns is a spectrum; without a flux column a catalogue', () => {
    expect(classifyHdus([hdu('PRIMARY', [], {}), hdu('BINTABLE', [16, 10], { TFIELDS: 2, TTYPE1: 'loglam', TTYPE2: 'flux' }, 1)])).toEqual({ kind: 'SPECTRUM', hdu: 1 });
    expect(classifyHdus([hdu('PRIMARY', [], {}), hdu('BINTABLE', [16, 10], { TFIELDS: 2, TTYPE1: 'LOGLAM', TTYPE2: 'IVAR' }, 1)])).toEqual({ kind: 'CATALOGUE', hdu: 1 });
  });
  it('a catalogue beside an image: the image wins; empty file: BLOB', () => {
    expect(classifyHdus([hdu('PRIMARY', [], {}), hdu('BINTABLE', [8, 3], { TFIELDS: 1, TTYPE1: 'RA' }, 1), hdu('IMAGE', [10, 10], {}, 2)])).toEqual({ kind: 'IMAGE', hdu: 2 });
    expect(classifyHdus([hdu('PRIMARY', [], {})])).toEqual({ kind: 'BLOB', hdu: null });
  });
});
