import { describe, expect, it } from 'vitest';
import { bufferSource } from '../../src/fits/source.js';
import { CSV_ISSUE, MAX_RAGGED_ISSUES, readCsvRecords, summarizeCsv } from '../../src/catalogue/csv.js';
import type { ByteSource } from '../../src/fits/types.js';
import { expected, fixtureBytes } from '../fixtures/tables/load.js';

const src = (text: string): ByteSource => bufferSource(new TextEncoder().encode(text));

describe('CSV summaries match the Python reference', () => {
  for (const name of ['catalogue.csv', 'unicode.csv']) {
    it(name, () => {
      const want = expected[name];
      // A tiny chunk size puts chunk edges inside quotes, CRLFs and multi-byte characters.
      for (const chunkBytes of [1 << 20, 7, 1]) {
        const s = summarizeCsv(bufferSource(fixtureBytes(name)), { chunkBytes });
        expect(s.rowCount, `chunk ${chunkBytes}`).toBe(want.rowCount);
        expect(s.issues).toEqual([]);
        const got = Object.fromEntries(
          s.columns.map((c) => [c.name, { type: c.type, nullCount: c.nullCount, min: c.min, max: c.max }]),
        );
        expect(got, `chunk ${chunkBytes}`).toEqual(want.columns);
      }
    });
  }

  it('records keep RFC 4180 quoting: commas, doubled quotes, newlines', () => {
    const recs = [...readCsvRecords(bufferSource(fixtureBytes('catalogue.csv')), { chunkBytes: 5 })];
    const want = expected['catalogue.csv'].firstRows as string[][];
    expect(recs.slice(1, 4).map((r) => r.fields)).toEqual(want);
    // record 4 (k = 3) holds "multi\nline": the record after it starts one line later
    expect(recs[4].fields[5]).toBe('multi\nline');
    expect(recs[5].line).toBe(recs[4].line + 2);
  });
});

describe('CSV issues', () => {
  for (const name of ['ragged.csv', 'duplicate.csv', 'noheader.csv', 'unterminated.csv']) {
    it(`${name} -> ${expected[name].issues.map((i: { code: string }) => i.code).join(', ')}`, () => {
      const s = summarizeCsv(bufferSource(fixtureBytes(name)));
      expect(s.issues.map((i) => ({ code: i.code, severity: i.severity, line: i.line }))).toEqual(expected[name].issues);
      expect(s.rowCount).toBe(expected[name].rowCount);
      for (const i of s.issues) expect(i.message).toContain(`line ${i.line}`);
    });
  }

  it('duplicate column names the column; no-header data is kept as col1..n', () => {
    const dup = summarizeCsv(bufferSource(fixtureBytes('duplicate.csv')));
    expect(dup.issues[0].keyword).toBe('RA');
    const nh = summarizeCsv(bufferSource(fixtureBytes('noheader.csv')));
    expect(nh.columns).toEqual([
      { name: 'col1', type: 'float64', unit: null, nullCount: 0, min: 1.5, max: 4.5 },
      { name: 'col2', type: 'int64', unit: null, nullCount: 0, min: 2, max: 5 },
      { name: 'col3', type: 'int64', unit: null, nullCount: 0, min: 3, max: 6 },
    ]);
  });

  it('empty file has no header; blank header names get a warning', () => {
    expect(summarizeCsv(src('')).issues.map((i) => i.code)).toEqual([CSV_ISSUE.NO_HEADER]);
    const s = summarizeCsv(src('a,,c\n1,2,3\n'));
    expect(s.columns.map((c) => c.name)).toEqual(['a', 'col2', 'c']);
    expect(s.issues.map((i) => [i.code, i.severity])).toEqual([[CSV_ISSUE.EMPTY_COLUMN_NAME, 'WARNING']]);
  });

  it('ragged rows are capped at MAX_RAGGED_ISSUES plus one summing up', () => {
    const text = 'a,b\n' + '1\n'.repeat(MAX_RAGGED_ISSUES + 5);
    const s = summarizeCsv(src(text));
    expect(s.issues).toHaveLength(MAX_RAGGED_ISSUES + 1);
    expect(s.issues[MAX_RAGGED_ISSUES].message).toContain('5 more records');
    expect(s.columns[1]).toMatchObject({ nullCount: MAX_RAGGED_ISSUES + 5, min: null, max: null });
  });
});

describe('CSV typing', () => {
  it('narrowest type: bool < int64 < float64 < string; empty -> null', () => {
    const s = summarizeCsv(src('b,i,f,s,e,mixed\r\nTrue,1,1,x,,1\r\nf,-2,2.5e3,y,,true\r\n,,inf,,,\r\n'));
    expect(s.columns.map((c) => [c.name, c.type, c.nullCount, c.min, c.max])).toEqual([
      ['b', 'bool', 1, false, true],
      ['i', 'int64', 1, -2, 1],
      ['f', 'float64', 0, 1, Infinity],
      ['s', 'string', 1, 'x', 'y'],
      ['e', 'string', 3, null, null],
      ['mixed', 'string', 1, '1', 'true'],
    ]);
  });

  it('text after a closing quote is kept literally; CR-only line ends work', () => {
    const recs = [...readCsvRecords(src('a,b\r"x"y,2\r3,4'))].map((r) => r.fields);
    expect(recs).toEqual([['a', 'b'], ['xy', '2'], ['3', '4']]);
  });
});

describe('CSV streaming', () => {
  it('summarizes 400,000 generated rows with bounded reads', () => {
    const N = 400_000;
    const header = 'id,mag,name\n';
    // fixed-width lines so that any byte range can be generated from its offset
    const lineOf = (r: number): string => `${String(r).padStart(7, '0')},${((r % 500) / 10).toFixed(1).padStart(4)},s${r % 97}`.padEnd(19) + '\n';
    const LINE = 20;
    expect(lineOf(0)).toHaveLength(LINE);
    const size = header.length + N * LINE;
    let maxRead = 0;
    const gen: ByteSource = {
      size,
      read(offset, length) {
        const end = Math.min(size, offset + length);
        maxRead = Math.max(maxRead, end - offset);
        let text = '';
        for (let p = offset; p < end; ) {
          if (p < header.length) {
            text += header.slice(p, Math.min(end, header.length));
            p = Math.min(end, header.length);
            continue;
          }
          const r = Math.floor((p - header.length) / LINE);
          const from = p - header.length - r * LINE;
          const take = Math.min(LINE - from, end - p);
          text += lineOf(r).slice(from, from + take);
          p += take;
        }
        return new TextEncoder().encode(text);
      },
    };
    const s = summarizeCsv(gen, { chunkBytes: 64 * 1024 });
    expect(maxRead).toBeLessThanOrEqual(64 * 1024);
    expect(s.rowCount).toBe(N);
    expect(s.issues).toEqual([]);
    expect(s.columns).toEqual([
      { name: 'id', type: 'int64', unit: null, nullCount: 0, min: 0, max: N - 1 },
      { name: 'mag', type: 'float64', unit: null, nullCount: 0, min: 0, max: 49.9 },
      // raw text compared lexicographically, trailing blanks included
      { name: 'name', type: 'string', unit: null, nullCount: 0, min: 's0'.padEnd(19 - 13), max: 's96'.padEnd(19 - 13) },
    ]);
  });
});
