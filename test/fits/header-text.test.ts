/** The stored (packed) form of a header gives back every byte of the header as read. */
import { describe, expect, it } from 'vitest';
import { bufferSource, readStructure } from '../../src/fits/index.js';
import { packHeader, unpackHeader } from '../../src/fits/header-text.js';
import { ALL_FIXTURES } from './fixtures.js';

const card = (s: string) => s.padEnd(80, ' ');

describe('packHeader / unpackHeader', () => {
  it('drops the blank padding of each card, one card a line', () => {
    const raw = card("SIMPLE  =                    T / conforms") + card('') + card('END');
    expect(packHeader(raw)).toBe("SIMPLE  =                    T / conforms\n\nEND");
    expect(unpackHeader(packHeader(raw))).toBe(raw);
  });

  it('keeps blanks that are not trailing, and cards that use all 80 columns', () => {
    const full = "COMMENT " + 'x'.repeat(71) + ' '.repeat(0) + 'y';
    const raw = card("OBJECT  = 'NGC 1   '   /  name  ") + full + card('END');
    expect(full.length).toBe(80);
    expect(unpackHeader(packHeader(raw))).toBe(raw);
  });

  it('escapes line breaks and backslashes inside cards (illegal, but a broken file has them)', () => {
    const raw = card("UNIT    = '\\AA'") + card('HISTORY a\nb\rc \\n') + card('END');
    const packed = packHeader(raw);
    expect(packed.split('\n')).toHaveLength(3);
    expect(unpackHeader(packed)).toBe(raw);
  });

  it('tells one blank card from no cards', () => {
    expect(unpackHeader(packHeader(card('')))).toBe(card(''));
    expect(unpackHeader(packHeader(''))).toBe('');
  });

  it('round-trips every header of every fixture, and the fixtures shrink', () => {
    let raw = 0;
    let packed = 0;
    for (const fx of ALL_FIXTURES) {
      for (const hdu of readStructure(bufferSource(fx.bytes)).hdus) {
        const p = packHeader(hdu.rawHeader);
        expect(unpackHeader(p), `${fx.name} HDU ${hdu.index}`).toBe(hdu.rawHeader);
        raw += hdu.rawHeader.length;
        packed += p.length;
      }
    }
    expect(packed).toBeLessThan(raw * 0.7);
  });

  it('round-trips random cards of printable, control and latin-1 characters', () => {
    let seed = 12345;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const alphabet = ' ABCxyz=/\'\\\n\r\t\x00\xe9 ';
    for (let n = 0; n < 500; n++) {
      let raw = '';
      const cards = 1 + Math.floor(rand() * 5);
      for (let c = 0; c < cards; c++) {
        const len = Math.floor(rand() * 81);
        let s = '';
        for (let i = 0; i < len; i++) s += alphabet[Math.floor(rand() * alphabet.length)];
        raw += card(s);
      }
      expect(unpackHeader(packHeader(raw))).toBe(raw);
    }
  });
});
