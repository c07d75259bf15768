/** Every card of every fixture astropy can read, compared with astropy's own reading. */
import { describe, expect, it } from 'vitest';
import { bufferSource, parseCardString, parseHeader, parseHeaderValues, readStructure, verifyFits } from '../../src/fits/index.js';
import { ALL_FIXTURES, toCardValue } from './fixtures.js';

const readable = ALL_FIXTURES.filter((f) => 'hdus' in f.astropy);

/**
 * Deliberate differences (src/fits/README.md): astropy hands back the raw text of a value it
 * cannot parse (with a warning); we give null and report FITS_BAD_CARD for that keyword.
 */
const UNPARSEABLE: Record<string, string[]> = { bad_card: ['BADNUM', 'UNTERM', 'TWOVAL'] };

describe('cards agree with astropy', () => {
  it('has fixtures astropy could read, including the hand-written ones', () => {
    expect(readable.map((f) => f.name)).toEqual(expect.arrayContaining(['handmade_values', 'long_header', 'valid_image']));
  });

  for (const fx of readable) {
    it(fx.name, () => {
      const want = (fx.astropy as { hdus: { cards: { keyword: string; value: unknown; comment: string | null }[] }[] }).hdus;
      const { hdus, issues } = verifyFits(bufferSource(fx.bytes));
      expect(hdus.length).toBe(want.length);
      const unparseable = UNPARSEABLE[fx.name] ?? [];
      hdus.forEach((hdu, i) => {
        const got = hdu.cards.map((c) => ({ keyword: c.keyword, value: c.value, comment: c.comment }));
        const expected = want[i].cards.map((c) => ({
          keyword: c.keyword,
          value: unparseable.includes(c.keyword) ? null : toCardValue(c.value),
          comment: c.comment,
        }));
        expect(got).toEqual(expected);
      });
      for (const k of unparseable) {
        expect(issues.some((x) => x.code === 'FITS_BAD_CARD' && x.keyword === k)).toBe(true);
      }
    });
  }
});

describe('value typing contract (hand-written cards in handmade_values.fits)', () => {
  const fx = readable.find((f) => f.name === 'handmade_values')!;
  const { hdus } = readStructure(bufferSource(fx.bytes));
  const kw = hdus[0].keywords;

  it('types each kind of value as the contract says', () => {
    expect(kw.get('QUOTE')).toBe("O'HARA");
    expect(kw.get('SLASH')).toBe('a / b');
    expect(kw.get('LEADING')).toBe('   lead and trail');
    expect(kw.get('DEXP')).toBe(1234.5);
    expect(kw.get('FREEINT')).toBe(42);
    expect(kw.get('CPLXINT')).toEqual({ re: 3, im: -4 });
    expect(kw.get('UNDEFVAL')).toBeNull();
    expect(kw.get('BIGINT')).toBe(12345678901234567890n);
    expect(kw.get('EDGEINT')).toBe(9007199254740991);
    expect(kw.get('EDGEINT2')).toBe(9007199254740992n);
    expect(kw.get('ESO DET DIT')).toBe(1.5);
    expect(kw.get('LONGSTR')).toBe(
      'This is a long string value that is continued over more than one card, with the ampersand dropped as astropy does and a last piece.',
    );
  });

  it('keeps commentary cards out of the keyword map but in the card list', () => {
    expect(kw.has('COMMENT')).toBe(false);
    expect(kw.has('NOVALUE')).toBe(false);
    expect(kw.has('UNDEFNC')).toBe(true);
    expect(hdus[0].cards.filter((c) => c.keyword === 'COMMENT').map((c) => c.comment)).toEqual(['  a comment card,  with   spacing', '']);
  });

  it('rawHeader is the header as written, up to END', () => {
    const raw = hdus[0].rawHeader;
    expect(raw.length % 80).toBe(0);
    expect(raw.slice(-80).trimEnd()).toBe('END');
    expect(raw).toContain("CONTINUE  ' and a last piece.'");
  });
});

describe('single cards', () => {
  it('reports problems without throwing and still returns a card', () => {
    const problems: string[] = [];
    const card = parseCardString("BAD     = 'unterminated", (m) => problems.push(m));
    expect(card).toEqual({ keyword: 'BAD', value: null, comment: null });
    expect(problems).toHaveLength(1);
  });
  it('refuses what Number() would accept but FITS does not', () => {
    for (const v of ['0x10', 'Infinity', 'NaN', '1e', '--1', '1.2.3']) {
      const problems: string[] = [];
      expect(parseCardString(`X       = ${v}`, (m) => problems.push(m)).value).toBeNull();
      expect(problems.length).toBe(1);
    }
  });
});

describe('values-only parse (what the ingest checks read)', () => {
  const headers = ALL_FIXTURES.flatMap((fx) => readStructure(bufferSource(fx.bytes)).hdus.map((h) => ({ name: `${fx.name} HDU ${h.index}`, text: h.rawHeader })));

  it('gives the keywords, values and problems of parseHeader, with null comments', () => {
    expect(headers.length).toBeGreaterThan(40);
    for (const { name, text } of headers) {
      const fullProblems: string[] = [];
      const valueProblems: string[] = [];
      const full = parseHeader(text, (n, m) => fullProblems.push(`${n}: ${m}`));
      const values = parseHeaderValues(text, (n, m) => valueProblems.push(`${n}: ${m}`));
      expect([...values.keywords], name).toEqual([...full.keywords]);
      expect(values.cards.map((c) => [c.keyword, c.value]), name).toEqual(full.cards.map((c) => [c.keyword, c.value]));
      expect(values.cards.every((c) => c.comment === null), name).toBe(true);
      expect(valueProblems, name).toEqual(fullProblems);
      expect([values.rawHeader, values.endCard]).toEqual([full.rawHeader, full.endCard]);
    }
  });

  it('a walked HDU reports each card problem once, whichever of keywords and cards is read first', () => {
    const bytes = ALL_FIXTURES.find((f) => f.name === 'bad_card')!.bytes;
    const keywordsFirst = readStructure(bufferSource(bytes)).hdus[0];
    void keywordsFirst.keywords;
    const cardsFirst = readStructure(bufferSource(bytes)).hdus[0];
    void cardsFirst.cards;
    expect(keywordsFirst.cardProblems!.length).toBeGreaterThan(0);
    expect(keywordsFirst.cards).toEqual(cardsFirst.cards);
    expect([...keywordsFirst.keywords]).toEqual([...cardsFirst.keywords]);
    expect(keywordsFirst.cardProblems).toEqual(cardsFirst.cardProblems);
  });
});
