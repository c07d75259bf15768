import { describe, expect, it } from 'vitest';
import { bufferSource } from '../../src/fits/source.js';
import {
  TABLE_ISSUE,
  columnType,
  iterateRows,
  parseAsciiForm,
  parseBinForm,
  readRows,
  readTableLayout,
  summarizeTable,
} from '../../src/fits/table/index.js';
import type { Row } from '../../src/fits/table/index.js';
import { expected, fixtureBytes, openFixture, syntheticHdu } from '../fixtures/tables/load.js';

const CLEAN = ['bintable_all_types.fits', 'bintable_scaled.fits', 'bintable_vla.fits', 'ascii_table.fits', 'spectrum_table.fits'];
const BROKEN = Object.keys(expected).filter((k) => k.startsWith('broken_'));

function rowsAsObjects(name: string, count: number): Record<string, unknown>[] {
  const { src, hdu } = openFixture(name);
  const { layout } = readTableLayout(hdu);
  const out: Record<string, unknown>[] = [];
  for (const row of iterateRows(src, hdu, { layout })) {
    out.push(Object.fromEntries(layout.columns.map((c, i) => [c.name, row[i]])));
    if (out.length === count) break;
  }
  return out;
}

describe('decoded rows match astropy', () => {
  for (const name of CLEAN) {
    it(name, () => {
      const want = expected[name].rows as Record<string, unknown>[];
      const got = rowsAsObjects(name, want.length);
      const { nullLogicalRow } = expected[name];
      want.forEach((row, r) => {
        // astropy reads L = 0 as False; the standard (and we) read it as undefined.
        const w = r === nullLogicalRow ? { ...row, L1: null } : row;
        expect(got[r], `${name} row ${r}`).toEqual(w);
      });
    });
  }
});

describe('column statistics match numpy', () => {
  for (const name of CLEAN) {
    it(name, () => {
      const { src, hdu } = openFixture(name);
      const s = summarizeTable(src, hdu);
      const want = expected[name];
      expect(s.rowCount).toBe(want.rowCount);
      expect(s.columns.map((c) => c.name)).toEqual(Object.keys(want.columns).sort((a, b) => namesOrder(s, a) - namesOrder(s, b)));
      for (const c of s.columns) {
        expect({ name: c.name, nullCount: c.nullCount, min: c.min, max: c.max }).toEqual({ name: c.name, ...want.columns[c.name] });
      }
      expect(s.issues).toEqual([]);
    });
  }

  function namesOrder(s: { columns: { name: string }[] }, n: string): number {
    return s.columns.findIndex((c) => c.name === n);
  }
});

describe('readable column types and units', () => {
  it('every BINTABLE code', () => {
    const { src, hdu } = openFixture('bintable_all_types.fits');
    const s = summarizeTable(src, hdu);
    const types = Object.fromEntries(s.columns.map((c) => [c.name, c.type]));
    expect(types).toEqual({
      L1: 'bool', L3: 'array<bool>', X1: 'bits', X11: 'bits', B1: 'uint8', B4: 'array<uint8>', I1: 'int16',
      J1: 'int32', K1: 'int64', K2: 'array<int64>', A10: 'string', E1: 'float32', E3: 'array<float32>',
      D1: 'float64', C1: 'complex64', C2: 'array<complex64>', M1: 'complex128', E6: 'array<float32>', S12: 'array<string>',
    });
    const e6 = s.columns.find((c) => c.name === 'E6');
    expect(e6?.dims).toEqual([3, 2]);
    expect(s.columns.find((c) => c.name === 'E1')?.unit).toBe('mag');
    expect(s.columns.find((c) => c.name === 'D1')?.unit).toBe('deg');
  });

  it('unsigned and scaled integers', () => {
    const { src, hdu } = openFixture('bintable_scaled.fits');
    const types = Object.fromEntries(summarizeTable(src, hdu).columns.map((c) => [c.name, c.type]));
    expect(types).toMatchObject({ U16: 'uint16', U32: 'uint32', U64: 'uint64', I8: 'int8', SCALED: 'float64', FSCALED: 'float64', JNULL: 'int32' });
  });

  it('variable-length arrays and ASCII formats', () => {
    const vla = openFixture('bintable_vla.fits');
    const sv = summarizeTable(vla.src, vla.hdu).columns;
    expect(sv.map((c) => [c.name, c.type, c.variableLength ?? false])).toEqual([
      ['ID', 'int32', false], ['PE', 'array<float32>', true], ['PJ', 'array<int32>', true],
      ['QD', 'array<float64>', true], ['PA', 'string', true],
    ]);
    const ascii = openFixture('ascii_table.fits');
    const sa = summarizeTable(ascii.src, ascii.hdu).columns;
    expect(sa.map((c) => [c.name, c.type, c.unit])).toEqual([
      ['NAME', 'string', null], ['COUNT', 'int64', null], ['RA', 'float64', 'deg'], ['FLUX', 'float64', null], ['DEC', 'float64', 'deg'],
    ]);
  });

  it('spectrum table: WAVE/FLUX with units, NaN flux as nulls', () => {
    const { src, hdu } = openFixture('spectrum_table.fits');
    const s = summarizeTable(src, hdu);
    const wave = s.columns.find((c) => c.name === 'WAVE');
    const flux = s.columns.find((c) => c.name === 'FLUX');
    expect(wave).toMatchObject({ type: 'float64', unit: 'Angstrom', min: 3600, max: 10400, nullCount: 0 });
    expect(flux).toMatchObject({ type: 'float32', unit: 'erg/(s cm2 Angstrom)', nullCount: 3 });
  });
});

describe('TFORM parsing', () => {
  it('BINTABLE forms with repeat counts and P/Q descriptors', () => {
    expect(parseBinForm('3E')).toEqual({ code: 'E', element: 'E', repeat: 3, maxLength: null });
    expect(parseBinForm('20A10')).toMatchObject({ code: 'A', repeat: 20 });
    expect(parseBinForm('1PE(120)')).toEqual({ code: 'P', element: 'E', repeat: 1, maxLength: 120 });
    expect(parseBinForm('QD')).toEqual({ code: 'Q', element: 'D', repeat: 1, maxLength: null });
    for (const bad of ['Z', '2PE(3)', 'P', '3', '']) expect(parseBinForm(bad), bad).toBeNull();
  });

  it('ASCII forms', () => {
    expect(parseAsciiForm('F10.4')).toEqual({ code: 'F', width: 10, decimals: 4 });
    expect(parseAsciiForm('I8')).toEqual({ code: 'I', width: 8, decimals: 0 });
    expect(parseAsciiForm('D25.17')).toEqual({ code: 'D', width: 25, decimals: 17 });
    expect(parseAsciiForm('I8.2')).toBeNull();
    expect(parseAsciiForm('J8')).toBeNull();
  });
});

describe('ASCII field parsing (synthetic rows)', () => {
  it('implied decimals, D exponents, blanks, TNULL, scaling', () => {
    // columns: F8.2 at 1-8, D9.1 at 9-17, I4 at 18-21 (character 22 unused)
    const line = (f: string, d: string, i: string): string => `${f.padStart(8)}${d.padStart(9)}${i.padStart(4)} `;
    const text = line('12345', '1.5D+03', '-7') + line('-1.25', '2.0E-2', 'NA') + line('', '', '+4');
    expect(text).toHaveLength(66);
    const hdu = syntheticHdu('TABLE', [22, 3], {
      TFIELDS: 3,
      TFORM1: 'F8.2', TBCOL1: 1,
      TFORM2: 'D9.1', TBCOL2: 9,
      TFORM3: 'I4', TBCOL3: 18, TNULL3: 'NA', TSCAL3: 2, TZERO3: 1,
    });
    const rows = [...iterateRows(bufferSource(Buffer.from(text, 'latin1')), hdu)];
    expect(rows).toEqual([
      [123.45, 1500, -13],
      [-1.25, 0.02, null],
      [null, null, 9],
    ]);
  });
});

describe('issues', () => {
  for (const name of BROKEN) {
    it(`${name} -> ${expected[name].issues.map((i: { code: string }) => i.code).join(', ')}`, () => {
      const { src, hdu } = openFixture(name);
      const s = summarizeTable(src, hdu);
      const got = s.issues.map((i) => ({ code: i.code, severity: i.severity, keyword: i.keyword }));
      expect(got).toEqual(expect.arrayContaining(expected[name].issues));
      expect(got).toHaveLength(expected[name].issues.length);
      for (const i of s.issues) {
        expect(i.hdu).toBe(1);
        expect(i.message).toContain('HDU 1');
        expect(i.message).toContain(i.keyword ?? '');
      }
    });
  }

  it('every table issue code is triggered by some fixture, none by clean ones', () => {
    const seen = new Set<string>();
    for (const name of BROKEN) {
      const { src, hdu } = openFixture(name);
      for (const i of summarizeTable(src, hdu).issues) seen.add(i.code);
    }
    // Truncation: the spectrum with its last 1000 bytes cut off.
    const bytes = fixtureBytes('spectrum_table.fits');
    const { hdu } = openFixture('spectrum_table.fits');
    const cut = bufferSource(bytes.subarray(0, hdu.dataStart + hdu.dataSize - 1000));
    const t = summarizeTable(cut, hdu);
    expect(t.rowCount).toBe(3000 - Math.ceil(1000 / 20));
    for (const i of t.issues) seen.add(i.code);
    expect([...seen].sort()).toEqual(Object.values(TABLE_ISSUE).sort());
  });

  it('heap descriptor out of bounds reads as null, neighbours still decode', () => {
    const { src, hdu } = openFixture('broken_heap.fits');
    const rows = [...iterateRows(src, hdu)];
    expect(rows.map((r) => r[1])).toEqual([[0], [0, 1], null, [0, 1, 2, 3]]);
  });

  it('bad ASCII fields read as null, one issue per column with a count', () => {
    const { src, hdu } = openFixture('broken_ascii.fits');
    const issues: { message: string }[] = [];
    const rows = [...iterateRows(src, hdu, { onIssue: (i) => issues.push(i) })];
    expect(rows[1][0]).toBeNull();
    expect(rows[3][1]).toBeNull();
    expect(rows[2]).toEqual([2, 3]);
    expect(issues.map((i) => i.message)).toEqual([
      expect.stringContaining("field text 'abc' does not match TFORM1 = 'I6' in 1 row(s), first at row 2"),
      expect.stringContaining("'1.2.3'"),
    ]);
  });
});

describe('streaming', () => {
  it('summarizes a 2,000,000-row table generated on the fly with bounded reads', () => {
    const N = 2_000_000;
    const ROW = 14; // K (8) + E (4) + I (2)
    const hdu = syntheticHdu('BINTABLE', [ROW, N], {
      TFIELDS: 3, TTYPE1: 'ID', TFORM1: 'K', TTYPE2: 'MAG', TFORM2: 'E', TUNIT2: 'mag', TTYPE3: 'FLAG', TFORM3: 'I', TNULL3: 6,
    });
    let reads = 0;
    let maxRead = 0;
    let bytesServed = 0;
    const src = {
      size: ROW * N,
      read(offset: number, length: number): Uint8Array {
        const len = Math.max(0, Math.min(length, ROW * N - offset));
        reads++;
        maxRead = Math.max(maxRead, len);
        bytesServed += len;
        // Only whole-row reads are expected from readRows; build them from the row index.
        expect(offset % ROW).toBe(0);
        const out = new Uint8Array(len);
        const view = new DataView(out.buffer);
        for (let p = 0; p < len; p += ROW) {
          const r = (offset + p) / ROW;
          view.setBigInt64(p, BigInt(r));
          view.setFloat32(p + 8, (r % 1000) / 10);
          view.setInt16(p + 12, r % 7);
        }
        return out;
      },
    };
    const t0 = performance.now();
    const s = summarizeTable(src, hdu);
    const seconds = (performance.now() - t0) / 1000;
    console.log(`summarizeTable: ${N} rows in ${seconds.toFixed(2)} s = ${Math.round(N / seconds)} rows/s`);
    expect(s.rowCount).toBe(N);
    expect(bytesServed).toBe(ROW * N);
    expect(maxRead).toBeLessThanOrEqual(1 << 20);
    expect(reads).toBeGreaterThanOrEqual(Math.ceil((ROW * N) / (1 << 20)));
    expect(s.columns).toEqual([
      { name: 'ID', type: 'int64', unit: null, nullCount: 0, min: 0, max: N - 1 },
      { name: 'MAG', type: 'float32', unit: 'mag', nullCount: 0, min: 0, max: Math.fround(99.9) },
      { name: 'FLAG', type: 'int16', unit: null, nullCount: Math.floor((N - 7) / 7) + 1, min: 0, max: 5 },
    ]);
    expect(s.issues).toEqual([]);
  });

  it('yields batches of about chunkBytes and can stop early', () => {
    const { src, hdu } = openFixture('spectrum_table.fits');
    const sizes: number[] = [];
    const rows: Row[] = [];
    const { layout } = readTableLayout(hdu);
    expect(layout.rowBytes).toBe(20);
    for (const row of iterateRows(src, hdu, { chunkBytes: 1000 })) {
      rows.push(row);
      if (rows.length === 120) break;
    }
    expect(rows).toHaveLength(120);
    expect(rows[0][0]).toBe(3600);
    for (const b of readRows(src, hdu, { chunkBytes: 1000 })) sizes.push(b.rows.length);
    expect(sizes.slice(0, 3)).toEqual([50, 50, 50]);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(3000);
    expect(columnType(layout.columns[0])).toBe('float64');
  });
});
