/**
 * The fields the load copies without decoding (scalar I, J, K, E, D with no TNULL or scaling):
 * every value's COPY bytes are the FITS bytes, whatever the value (-0, infinities, subnormals,
 * the extremes, 64-bit integers past 2^53), a NaN of any payload or sign is NULL, and the
 * statistics gathered on the way see the same values.
 */
import { describe, expect, it } from 'vitest';
import { encodeTable, planFile } from '../../src/catalogue/read-table.js';
import { bufferSource } from '../../src/fits/source.js';
import { buildHdu } from '../../src/bench/fits-writer.js';

const COLUMNS = [
  { name: 'D', form: 'D', width: 8 },
  { name: 'E', form: 'E', width: 4 },
  { name: 'I', form: 'I', width: 2 },
  { name: 'J', form: 'J', width: 4 },
  { name: 'K', form: 'K', width: 8 },
] as const;

/** Big-endian bytes of each row's cells, as hex (NaNs with their payloads, so not via numbers). */
const ROWS: string[][] = [
  ['0000000000000000', '00000000', '0000', '00000000', '0000000000000000'],
  ['8000000000000000', '80000000', 'ffff', 'ffffffff', 'ffffffffffffffff'], // -0, -0, -1, -1, -1
  ['7ff0000000000000', '7f800000', '7fff', '7fffffff', '7fffffffffffffff'], // +inf, max ints
  ['fff0000000000000', 'ff800000', '8000', '80000000', '8000000000000000'], // -inf, min ints
  ['0000000000000001', '00000001', '0001', '00000001', '0020000000000001'], // subnormals; 2^53 + 1
  ['7fefffffffffffff', '7f7fffff', '1234', '12345678', 'ffdfffffffffffff'], // largest finite; -(2^53) - 1
  ['7ff8000000000000', '7fc00000', '0002', '00000002', '0000000000000002'], // quiet NaNs
  ['fff0000000000001', 'ff800001', '0003', '00000003', '0000000000000003'], // NaNs with sign and payload
  ['7ff7ffffffffffff', '7fbfffff', '0004', '00000004', '0000000000000004'], // signalling NaNs
];

function fitsFile(): Buffer {
  const rowBytes = COLUMNS.reduce((n, c) => n + c.width, 0);
  const cards: Array<[string, string | number | boolean]> = [
    ['XTENSION', 'BINTABLE'], ['BITPIX', 8], ['NAXIS', 2], ['NAXIS1', rowBytes], ['NAXIS2', ROWS.length], ['PCOUNT', 0], ['GCOUNT', 1], ['TFIELDS', COLUMNS.length],
  ];
  COLUMNS.forEach((c, i) => cards.push([`TTYPE${i + 1}`, c.name], [`TFORM${i + 1}`, c.form]));
  const data = Buffer.from(ROWS.map((r) => r.join('')).join(''), 'hex');
  return Buffer.concat([buildHdu([['SIMPLE', true], ['BITPIX', 8], ['NAXIS', 0], ['EXTEND', true]], null), buildHdu(cards, data)]);
}

const isNaN = (hex: string) => Number.isNaN(hex.length === 16 ? Buffer.from(hex, 'hex').readDoubleBE(0) : Buffer.from(hex, 'hex').readFloatBE(0));

describe('raw-copied FITS fields', () => {
  it('are their FITS bytes in the COPY stream, NaNs NULL, and counted in the statistics', () => {
    const src = bufferSource(fitsFile());
    const [plan] = planFile(src, 'raw.fits', {});
    expect(plan.columns.map((c) => c.type)).toEqual(['double precision', 'real', 'smallint', 'integer', 'bigint']);
    const gen = encodeTable(src, plan);
    const chunks: Uint8Array[] = [];
    let step = gen.next();
    while (!step.done) {
      chunks.push(step.value);
      step = gen.next();
    }
    const copy = Buffer.concat(chunks);
    let p = 19; // signature, flags, header extension length
    ROWS.forEach((row, r) => {
      expect(copy.readInt16BE(p)).toBe(1 + COLUMNS.length);
      p += 2;
      expect([copy.readInt32BE(p), copy.readBigInt64BE(p + 4)]).toEqual([8, BigInt(r + 1)]); // _row
      p += 12;
      row.forEach((hex, c) => {
        const len = copy.readInt32BE(p);
        p += 4;
        if (COLUMNS[c].form === 'D' || COLUMNS[c].form === 'E' ? isNaN(hex) : false) {
          expect(len, `row ${r + 1} ${COLUMNS[c].name}`).toBe(-1);
          return;
        }
        expect(len).toBe(COLUMNS[c].width);
        expect(copy.subarray(p, p + len).toString('hex'), `row ${r + 1} ${COLUMNS[c].name}`).toBe(hex);
        p += len;
      });
    });
    expect(copy.readInt16BE(p)).toBe(-1);
    expect(p + 2).toBe(copy.length);
    expect(step.value.rows).toBe(ROWS.length);
    expect(step.value.stats).toEqual([
      { nullCount: 3, min: -Infinity, max: Infinity },
      { nullCount: 3, min: -Infinity, max: Infinity },
      { nullCount: 0, min: -32768, max: 32767 },
      { nullCount: 0, min: -2147483648, max: 2147483647 },
      { nullCount: 0, min: '-9223372036854775808', max: '9223372036854775807' },
    ]);
  });
});
