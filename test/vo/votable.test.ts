/**
 * The VOTable / CSV / TSV writers, read back by independent readers: astropy's
 * votable.parse(verify='exception') and Python's csv module (test/vo/fixtures). Every cell is
 * compared with what went in, including NULLs, NaN and infinities, int64 extremes, unicode
 * beyond the BMP, XML's special and forbidden characters, arrays, and BINARY2 written across
 * many batches whose byte counts are not multiples of 3.
 */
import { describe, expect, it } from 'vitest';
import { createTableEncoder, votableErrorDocument, type TableEncoder } from '../../src/vo/votable/encoder.js';
import { voFieldForPgType, type VoField } from '../../src/vo/votable/fields.js';
import { ACCEPTED_FORMATS, contentTypeOf, parseOutputFormat, type OutputFormat } from '../../src/vo/votable/format.js';
import { VoUsageError } from '../../src/vo/errors.js';
import { astropyRead, delimitedRead } from './fixtures/readers.js';

/** One column: its PostgreSQL type and cells as PostgreSQL prints them (what stream-query passes). */
const COLUMNS: [string, string, (string | null)[]][] = [
  ['i2', 'int2', ['-32768', '32767', null, '0', '1', '-1']],
  ['i4', 'int4', ['-2147483648', '2147483647', null, '0', '1', '-1']],
  ['i8', 'int8', ['-9223372036854775808', '9223372036854775807', null, '-1', '4294967296', '-4294967297']],
  ['f4', 'float4', ['0.1', '3.4028235e+38', null, 'NaN', '-Infinity', '1e-45']],
  ['f8', 'float8', ['0.1', '1.7976931348623157e+308', null, 'Infinity', '5e-324', '-1.23456789012345e-05']],
  ['num', 'numeric', ['1.5', '12345678901234567890.123', null, 'NaN', '-2', '0']],
  ['b', 'bool', ['t', 'f', null, 't', 'f', 't']],
  ['t', 'text', ['a&b<c>"d\'', 'é 中文 🪐', null, '', 'ctl\u0001\u0008\u000b\u001f\ufffe end', 'line1\r\nline2\ttab  ']],
  ['tz', 'timestamptz', ['2024-01-02 03:04:05.123456+00', '1999-12-31 23:59:59+00', null, '2000-01-01 00:00:00+05:30', 'infinity', '2024-02-29 12:00:00.5+00']],
  ['ts', 'timestamp', ['2024-01-02 03:04:05.123456', '1999-12-31 23:59:59', null, '2000-01-01 00:00:00', '2024-02-29 12:00:00.5', '1970-01-01 00:00:00']],
  ['d', 'date', ['2024-01-02', '1999-12-31', null, '2000-01-01', '2024-02-29', '1970-01-01']],
  ['ai', '_int4', ['{1,2,3}', '{}', null, '{-2147483648,2147483647}', '{{1,2},{3,4}}', '{5,NULL}']],
  ['al', '_int8', ['{9223372036854775807,-9223372036854775808}', '{}', null, '{0}', '{1,2}', '{-1}']],
  ['af', '_float8', ['{1.5,NaN,Infinity,-Infinity}', '{}', null, '{0.1}', '{NULL}', '{1e-300}']],
  ['ab', '_bool', ['{t,f}', '{}', null, '{t}', '{f,NULL}', '{t,t,t}']],
  ['by', 'bytea', ['\\x00ff10', '\\x', null, '\\x41', '\\x0102030405', '\\xff']],
  ['u', 'uuid', ['0e9c4b7e-1c2d-4a5b-8c9d-0123456789ab', '00000000-0000-0000-0000-000000000000', null, 'ffffffff-ffff-ffff-ffff-ffffffffffff', '0e9c4b7e-1c2d-4a5b-8c9d-0123456789ab', '0e9c4b7e-1c2d-4a5b-8c9d-0123456789ab']],
  ['j', 'jsonb', ['{"a": [1, 2]}', '"x<y"', null, 'null', '[]', '{}']],
];
const FIELDS = COLUMNS.map(([name, type]) => voFieldForPgType(name, type));
const ROWS: (string | null)[][] = COLUMNS[0]![2].map((_, r) => COLUMNS.map((c) => c[2][r]!));

/** What a reader should give for one input cell (null = NULL). */
function expected(type: string, v: string | null, format: OutputFormat): unknown {
  if (v === null) return null;
  const tabledata = format === 'votable';
  switch (type) {
    case 'bool':
      return v === 't';
    case 'text':
      // XML 1.0 cannot carry C0 controls other than TAB/LF/CR, nor U+FFFE: U+FFFD in TABLEDATA.
      // astropy strips the spaces around a TD's text (the document keeps them: checked below).
      return tabledata ? v.replace(/[\u0001-\u0008\u000b\u000c\u000e-\u001f\ufffe]/g, '\ufffd').trim() : v;
    case 'timestamptz':
      return { '2024-01-02 03:04:05.123456+00': '2024-01-02T03:04:05.123456Z', '1999-12-31 23:59:59+00': '1999-12-31T23:59:59Z', '2000-01-01 00:00:00+05:30': '1999-12-31T18:30:00Z', infinity: null, '2024-02-29 12:00:00.5+00': '2024-02-29T12:00:00.5Z' }[v];
    case 'timestamp':
      return v.replace(' ', 'T');
    case 'bytea':
      return Array.from(Buffer.from(v.slice(2), 'hex'), String);
    case '_int4':
    case '_int8':
      return v === '{}' ? [] : v.replace(/[{}]/g, '').split(',').map((e) => (e === 'NULL' ? '0' : e));
    case '_float8':
      return v === '{}' ? [] : v.slice(1, -1).split(',').map((e) => (e === 'NULL' ? 'NaN' : e));
    case '_bool':
      return v === '{}' ? [] : v.slice(1, -1).split(',').map((e) => (e === 'NULL' ? null : e === 't'));
    default:
      return v;
  }
}

/** Float text (PostgreSQL's, numpy's or Python's spelling) → a number to compare; NULL and NaN are the same to astropy. */
function asFloat(v: unknown, single: boolean): number | null {
  if (v === null || v === undefined) return null;
  const s = String(v);
  const n = /^[+]?inf(inity)?$/i.test(s) ? Infinity : /^-inf(inity)?$/i.test(s) ? -Infinity : /^nan$/i.test(s) ? NaN : Number(s);
  if (Number.isNaN(n)) return null;
  return single ? Math.fround(n) : n;
}

function compareCell(type: string, actual: unknown, want: unknown, where: string): void {
  // astropy reads a NULL string as "" and a NULL TABLEDATA array as []: allow those for NULL.
  if (want === null && (actual === '' || (Array.isArray(actual) && actual.length === 0))) return;
  const floaty = type === 'float4' || type === 'float8' || type === 'numeric' || type === '_float8';
  if (floaty) {
    const single = type === 'float4';
    if (Array.isArray(want)) {
      expect((actual as unknown[]).map((e) => asFloat(e, single)), where).toEqual(want.map((e) => asFloat(e, single)));
    } else expect(asFloat(actual, single), where).toBe(asFloat(want, single));
    return;
  }
  expect(actual, where).toEqual(want);
}

function encodeAll(e: TableEncoder, batches: unknown[][][], status: Parameters<TableEncoder['tail']>[0] = { status: 'OK' }): string {
  let s = e.head();
  for (const b of batches) s += e.encodeRows(b).toString();
  return s + e.tail(status);
}

describe('VOTable serialisations read back by astropy', () => {
  for (const format of ['votable', 'votable-binary2'] as const) {
    it(`${format}: every cell of every type, NULLs included, equals what went in`, () => {
      const doc = encodeAll(createTableEncoder({ format, fields: FIELDS }), [ROWS.slice(0, 2), ROWS.slice(2)]);
      if (format === 'votable') expect(doc).toContain('<TD>line1&#13;\nline2\ttab  </TD>');
      const t = astropyRead(doc);
      expect(t.fields.map((f) => [f.name, f.datatype, f.arraysize])).toEqual(FIELDS.map((f) => [f.name, f.datatype, f.arraysize ?? null]));
      expect(t.fields.find((f) => f.name === 'tz')!.xtype).toBe('timestamp');
      expect(t.rows).toHaveLength(ROWS.length);
      ROWS.forEach((row, r) =>
        COLUMNS.forEach(([name, type], c) => compareCell(type, t.rows[r]![c], expected(type, row[c]!, format), `${format} row ${r} ${name}`)),
      );
    });
  }

  it('BINARY2 across 300 batches of odd sizes and odd row lengths decodes to the same rows as one batch', () => {
    const fields: VoField[] = [voFieldForPgType('id', 'int4'), voFieldForPgType('s', 'text'), voFieldForPgType('x', 'float8'), voFieldForPgType('flag', 'bool')];
    const rows: unknown[][] = [];
    for (let i = 0; i < 2000; i++) rows.push([String(i), i % 7 === 0 ? null : 'x'.repeat(i % 11) + Array.from('é🪐中').slice(0, i % 4).join(''), i % 5 === 0 ? null : String(i / 3), i % 3 === 0 ? null : i % 2 ? 't' : 'f']);
    const batches: unknown[][][] = [];
    for (let i = 0, size = 1; i < rows.length; i += size, size = (size % 13) + 1) batches.push(rows.slice(i, i + size));
    expect(batches.length).toBeGreaterThan(250);
    const many = encodeAll(createTableEncoder({ format: 'votable-binary2', fields }), batches);
    const one = encodeAll(createTableEncoder({ format: 'votable-binary2', fields }), [rows]);
    const bytes = (doc: string) => Buffer.from(doc.split('<STREAM encoding="base64">')[1]!.split('</STREAM>')[0]!.replace(/\s+/g, ''), 'base64');
    expect(bytes(many).equals(bytes(one))).toBe(true);
    // Every base64 piece but the last is whole 4-character groups with no padding inside.
    const pieces = many.split('<STREAM encoding="base64">\n')[1]!.split('</STREAM>')[0]!.trim().split('\n');
    for (const p of pieces.slice(0, -1)) expect(p.length % 4 === 0 && !p.includes('=')).toBe(true);
    const t = astropyRead(many);
    expect(t.rows).toHaveLength(rows.length);
    rows.forEach((row, r) => {
      expect(t.rows[r]![0]).toBe(row[0]);
      expect(t.rows[r]![1]).toBe(row[1] ?? '');
      expect(asFloat(t.rows[r]![2], false)).toBe(row[2] === null ? null : Number(row[2]));
      expect(t.rows[r]![3]).toBe(row[3] === null ? null : row[3] === 't');
    });
  });

  it('JavaScript values (number, bigint, boolean, Date, Buffer, arrays) encode like their PostgreSQL text', () => {
    const fields: VoField[] = [
      voFieldForPgType('l', 'int8'),
      voFieldForPgType('big', 'int8'),
      voFieldForPgType('x', 'float8'),
      voFieldForPgType('b', 'bool'),
      voFieldForPgType('at', 'timestamptz'),
      voFieldForPgType('by', 'bytea'),
      voFieldForPgType('a', '_float8'),
    ];
    const js = [[-5, -9223372036854775807n, NaN, true, new Date('2024-01-02T03:04:05.678Z'), Buffer.from([1, 2]), [1.5, -Infinity]]];
    const text = [['-5', '-9223372036854775807', 'NaN', 't', '2024-01-02 03:04:05.678+00', '\\x0102', '{1.5,-Infinity}']];
    for (const format of ['votable', 'votable-binary2', 'csv', 'tsv'] as const) {
      expect(encodeAll(createTableEncoder({ format, fields }), [js]), format).toBe(encodeAll(createTableEncoder({ format, fields }), [text]));
    }
    expect(astropyRead(encodeAll(createTableEncoder({ format: 'votable-binary2', fields }), [js])).rows[0]!.slice(0, 2)).toEqual(['-5', '-9223372036854775807']);
  });

  it('FIELD metadata (unit, UCD, utype, description), table name and extra INFOs reach the reader; escaped', () => {
    const fields = [voFieldForPgType('s_ra', 'float8', { unit: 'deg', ucd: 'pos.eq.ra;meta.main', utype: 'obscore:Char.SpatialAxis.Coverage.Location.Coord.Position2D.Value2.C1', description: 'Right ascension <ICRS> & "more"' })];
    const doc = encodeAll(createTableEncoder({ format: 'votable', fields, tableName: 'ivoa.obscore', description: 'All <records>', infos: [{ name: 'QUERY', value: 'SELECT * FROM t WHERE a < 1 & b > "2"' }] }), [[['1.5']]]);
    const t = astropyRead(doc);
    expect(t.fields[0]).toMatchObject({ name: 's_ra', unit: 'deg', ucd: 'pos.eq.ra;meta.main', utype: 'obscore:Char.SpatialAxis.Coverage.Location.Coord.Position2D.Value2.C1', description: 'Right ascension <ICRS> & "more"' });
    expect(t.infos).toEqual([
      ['QUERY_STATUS', 'OK', null],
      ['QUERY', 'SELECT * FROM t WHERE a < 1 & b > "2"', null],
    ]);
  });
});

describe('QUERY_STATUS where DALI puts it', () => {
  const fields = [voFieldForPgType('n', 'int4')];
  for (const format of ['votable', 'votable-binary2'] as const) {
    it(`${format}: OK before the TABLE; OVERFLOW and ERROR (with its message) after it, in the RESOURCE`, () => {
      const ok = encodeAll(createTableEncoder({ format, fields }), [[['1']]]);
      expect(ok.indexOf('<INFO name="QUERY_STATUS" value="OK"/>')).toBeLessThan(ok.indexOf('<TABLE'));
      expect(ok.match(/QUERY_STATUS/g)).toHaveLength(1);
      expect(astropyRead(ok).infos).toEqual([['QUERY_STATUS', 'OK', null]]);

      const over = encodeAll(createTableEncoder({ format, fields }), [[['1']]], { status: 'OVERFLOW' });
      const overflowAt = over.indexOf('<INFO name="QUERY_STATUS" value="OVERFLOW"/>');
      expect(overflowAt).toBeGreaterThan(over.indexOf('</TABLE>'));
      expect(overflowAt).toBeLessThan(over.indexOf('</RESOURCE>'));
      expect(astropyRead(over).infos.map((i) => i[1])).toEqual(['OK', 'OVERFLOW']);

      const err = encodeAll(createTableEncoder({ format, fields }), [[['1']]], { status: 'ERROR', message: 'canceling statement due to statement timeout <after 5 s> & more' });
      expect(err.indexOf('value="ERROR"')).toBeGreaterThan(err.indexOf('</TABLE>'));
      const t = astropyRead(err);
      expect(t.infos[1]).toEqual(['QUERY_STATUS', 'ERROR', 'canceling statement due to statement timeout <after 5 s> & more']);
      expect(t.rows).toEqual([['1']]);
    });
  }

  it('votableErrorDocument: a RESOURCE with only the ERROR INFO and its message', () => {
    const t = astropyRead(votableErrorDocument('Unknown table "secret" & <more>\u0001'));
    expect(t.infos).toEqual([['QUERY_STATUS', 'ERROR', 'Unknown table "secret" & <more>\ufffd']]);
    expect(t.fields).toEqual([]);
  });
});

describe('CSV and TSV read back', () => {
  for (const kind of ['csv', 'tsv'] as const) {
    it(`${kind}: header of names, every cell as text, quoting/escaping of separators, quotes, line breaks`, () => {
      const doc = encodeAll(createTableEncoder({ format: kind, fields: FIELDS }), [ROWS.slice(0, 3), ROWS.slice(3)]);
      if (kind === 'csv') expect(doc.endsWith('\r\n')).toBe(true);
      const back = delimitedRead(kind, doc);
      expect(back.header).toEqual(FIELDS.map((f) => f.name));
      expect(back.rows).toHaveLength(ROWS.length);
      const text = (type: string, v: string | null): string => {
        if (v === null) return '';
        switch (type) {
          case 'bool':
            return v === 't' ? 'true' : 'false';
          case 'timestamptz':
          case 'timestamp':
            return (expected(type, v, 'csv') as string | null) ?? '';
          case 'bytea':
          case '_int4':
          case '_int8':
          case '_float8':
            return (expected(type, v, 'csv') as string[]).join(' ');
          case '_bool':
            return (expected(type, v, 'csv') as (boolean | null)[]).map((e) => (e === null ? '?' : e ? 'true' : 'false')).join(' ');
          default:
            return v;
        }
      };
      ROWS.forEach((row, r) => COLUMNS.forEach(([name, type], c) => expect(back.rows[r]![c], `${kind} row ${r} ${name}`).toBe(text(type, row[c]!))));
    });
  }

  it('CSV tells an empty string ("") from NULL (nothing)', () => {
    const doc = encodeAll(createTableEncoder({ format: 'csv', fields: [voFieldForPgType('a', 'text'), voFieldForPgType('b', 'text')] }), [[['', null]]]);
    expect(doc).toBe('a,b\r\n"",\r\n');
  });
});

describe('formats and types', () => {
  it('parseOutputFormat: DALI short forms and media types; anything else names the accepted values', () => {
    const cases: [string | undefined, OutputFormat][] = [
      [undefined, 'votable'],
      ['', 'votable'],
      ['votable', 'votable'],
      ['VOTable', 'votable'],
      ['application/x-votable+xml', 'votable'],
      ['text/xml', 'votable'],
      ['application/x-votable+xml;serialization=tabledata', 'votable'],
      ['application/x-votable+xml; serialization=BINARY2', 'votable-binary2'],
      ['application/x-votable+xml;serialization="binary2"', 'votable-binary2'],
      ['votable/b2', 'votable-binary2'],
      ['votable/td', 'votable'],
      ['csv', 'csv'],
      ['text/csv', 'csv'],
      ['text/csv;header=present', 'csv'],
      ['tsv', 'tsv'],
      ['text/tab-separated-values', 'tsv'],
    ];
    for (const [v, f] of cases) expect(parseOutputFormat(v), String(v)).toBe(f);
    for (const bad of ['fits', 'application/json', 'application/x-votable+xml;serialization=binary']) {
      expect(() => parseOutputFormat(bad)).toThrow(VoUsageError);
      expect(() => parseOutputFormat(bad)).toThrow(/text\/csv.*tsv/);
    }
    expect(ACCEPTED_FORMATS.every((f) => parseOutputFormat(f))).toBe(true);
    expect(contentTypeOf('votable')).toBe('application/x-votable+xml');
    expect(contentTypeOf('csv')).toMatch(/^text\/csv/);
  });

  it('voFieldForPgType: numbers, text, times, arrays, and a text form for anything else', () => {
    const m = (t: string) => {
      const f = voFieldForPgType('c', t);
      return [f.datatype, f.arraysize ?? '', f.xtype ?? ''].join(' ').trim();
    };
    expect(
      Object.fromEntries(['int2', 'int4', 'int8', 'float4', 'float8', 'numeric', 'bool', 'text', 'varchar', 'bpchar', 'char', 'timestamp', 'timestamptz', 'date', 'uuid', 'bytea', '_int2', '_int4', '_int8', '_float4', '_float8', '_bool', '_text', 'jsonb', 'interval'].map((t) => [t, m(t)])),
    ).toEqual({
      int2: 'short',
      int4: 'int',
      int8: 'long',
      float4: 'float',
      float8: 'double',
      numeric: 'double',
      bool: 'boolean',
      text: 'unicodeChar *',
      varchar: 'unicodeChar *',
      bpchar: 'unicodeChar *',
      char: 'char 1',
      timestamp: 'char * timestamp',
      timestamptz: 'char * timestamp',
      date: 'char * timestamp',
      uuid: 'char 36',
      bytea: 'unsignedByte *',
      _int2: 'short *',
      _int4: 'int *',
      _int8: 'long *',
      _float4: 'float *',
      _float8: 'double *',
      _bool: 'boolean *',
      _text: 'unicodeChar *',
      jsonb: 'unicodeChar *',
      interval: 'unicodeChar *',
    });
    expect(voFieldForPgType('ra', 'float8', { unit: 'deg', ucd: undefined })).toEqual({ name: 'ra', datatype: 'double', unit: 'deg' });
  });
});
