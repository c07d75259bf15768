/** HDU walk: types, BITPIX, shapes and offsets against astropy; sources; reads per walk. */
import { closeSync, fstatSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bufferSource, fileSource, readStructure, type ByteSource } from '../../src/fits/index.js';
import { ALL_FIXTURES, loadFixture, type ExpectedHdu } from './fixtures.js';

describe('HDU list agrees with astropy', () => {
  for (const fx of ALL_FIXTURES.filter((f) => 'hdus' in f.astropy)) {
    it(fx.name, () => {
      const want = (fx.astropy as { hdus: ExpectedHdu[] }).hdus;
      const { hdus, issues } = readStructure(bufferSource(fx.bytes));
      expect(
        hdus.map((h) => ({ type: h.type, bitpix: h.bitpix, naxis: h.naxis, compressedImage: h.compressedImage === true, imageShape: h.imageShape })),
      ).toEqual(want.map((h) => ({ type: h.type, bitpix: h.bitpix, naxis: h.naxis, compressedImage: h.compressedImage, imageShape: h.imageShape })));
      if (fx.expectCodes.length === 0) expect(issues).toEqual([]);
      // Offsets chain: each HDU starts on a block boundary after the previous padded data.
      hdus.forEach((h, i) => {
        expect(h.headerStart % 2880).toBe(0);
        expect(h.dataStart % 2880).toBe(0);
        if (i > 0) expect(h.headerStart).toBe(hdus[i - 1].dataStart + Math.ceil(hdus[i - 1].dataSize / 2880) * 2880);
      });
    });
  }
});

describe('data sizes', () => {
  it('random groups: NAXIS1 = 0 rule, PCOUNT and GCOUNT', () => {
    const [h] = readStructure(bufferSource(loadFixture('random_groups').bytes)).hdus;
    // 2 groups x (2 parameters + 1*3*4 pixels) x 4 bytes
    expect(h.dataSize).toBe(2 * (2 + 12) * 4);
  });
  it('tile-compressed image: table size from NAXIS1*NAXIS2 + PCOUNT (heap); naxis as written, image shape from ZNAXISn', () => {
    const h = readStructure(bufferSource(loadFixture('compressed_image').bytes)).hdus[1];
    const kw = h.keywords;
    expect(h.dataSize).toBe((kw.get('NAXIS1') as number) * (kw.get('NAXIS2') as number) + (kw.get('PCOUNT') as number));
    expect(h.naxis).toEqual([8, 40]);
    expect(h.imageShape).toEqual([30, 40]);
    expect(h.zbitpix).toBe(16);
  });
  it('a header declaring more data than any file holds is truncated data, not an empty HDU', () => {
    // 100000^3 doubles = 8e15 bytes (beyond 2^52) in a file of one header block.
    const src = bufferSource(loadFixture('truncated_declared_data').bytes);
    const { hdus, issues } = readStructure(src);
    expect(hdus[0].dataSize).toBe(8e15);
    expect(issues).toEqual([
      expect.objectContaining({ severity: 'ERROR', code: 'FITS_TRUNCATED_DATA', hdu: 0 }),
    ]);
    expect(issues[0].message).toContain('needs 8000000000000000 bytes from offset 2880');
  });
  it('axis products that overflow a double, or meet a zero axis after overflowing, never size as NaN', () => {
    const card = (s: string) => s.padEnd(80, ' ');
    const header = (axes: number[]) => {
      const text = [card('SIMPLE  =                    T'), card('BITPIX  =                  -64'), card(`NAXIS   = ${String(axes.length).padStart(20)}`),
        ...axes.map((n, i) => card(`NAXIS${i + 1}`.padEnd(8) + '= ' + String(n).padStart(20))), card('END')].join('');
      return new TextEncoder().encode(text.padEnd(Math.ceil(text.length / 2880) * 2880, ' '));
    };
    const huge = Array.from({ length: 25 }, () => 1e15); // 1e375: Infinity as a double
    const overflow = readStructure(bufferSource(header(huge)));
    expect(overflow.hdus[0].dataSize).toBe(Infinity);
    expect(overflow.issues.map((i) => i.code)).toEqual(['FITS_TRUNCATED_DATA']);
    expect(overflow.issues[0].message).toContain('more bytes than a number can hold');
    const zero = readStructure(bufferSource(header([...huge, 0])));
    expect(zero.hdus[0].dataSize).toBe(0);
    expect(zero.issues).toEqual([]);
  });
});

describe('broken files end the walk with an ERROR, never a throw', () => {
  const cases: [string, string][] = [
    ['truncated', 'FITS_TRUNCATED_DATA'],
    ['truncated_header', 'FITS_MISSING_END'],
    ['missing_end', 'FITS_MISSING_END'],
    ['trailing_bytes', 'FITS_TRAILING_BYTES'],
  ];
  for (const [name, code] of cases) {
    it(name, () => {
      const { hdus, issues } = readStructure(bufferSource(loadFixture(name).bytes));
      expect(hdus.length).toBeGreaterThan(0);
      expect(issues.find((i) => i.code === code)?.severity).toBe('ERROR');
    });
  }
  it('not FITS at all', () => {
    const r = readStructure(bufferSource(new TextEncoder().encode('hello world, this is not a FITS file')));
    expect(r.hdus).toEqual([]);
    expect(r.issues.map((i) => [i.code, i.severity])).toEqual([['FITS_NOT_FITS', 'ERROR']]);
  });
  it('empty input', () => {
    expect(readStructure(bufferSource(new Uint8Array(0)))).toEqual({ hdus: [], issues: [] });
  });
  it('a header of only blank cards stops at the card cap', () => {
    const head = new TextEncoder().encode('SIMPLE  =                    T'.padEnd(80));
    const blanks = new Uint8Array(2880 * 3000).fill(32); // 108,000 cards, no END
    blanks.set(head, 0);
    const t = performance.now();
    const r = readStructure(bufferSource(blanks));
    // The card cap below is what bounds the work; the time is only a guard against a hang.
    expect(performance.now() - t).toBeLessThan(30_000);
    expect(r.issues[0].code).toBe('FITS_MISSING_END');
    expect(r.hdus[0].cards.length).toBeLessThanOrEqual(100_000);
  });
});

describe('file source', () => {
  it('reads the same structure as the buffer source, in one read for a small file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fits-src-'));
    try {
      const fx = loadFixture('valid_catalogue');
      const path = join(dir, 'x.fits');
      writeFileSync(path, fx.bytes);
      const fd = openSync(path, 'r');
      try {
        const inner = fileSource(fd, fstatSync(fd).size);
        expect(readStructure(inner).hdus.map((h) => h.cards)).toEqual(readStructure(bufferSource(fx.bytes)).hdus.map((h) => h.cards));
      } finally {
        closeSync(fd);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('walks headers only: bytes requested stay far below the file size', () => {
    const fx = loadFixture('bitpix_all');
    const base = bufferSource(fx.bytes);
    let requested = 0;
    const counting: ByteSource = { size: base.size, read: (o, l) => { const b = base.read(o, l); requested += b.length; return b; } };
    const { hdus } = readStructure(counting);
    expect(hdus).toHaveLength(7);
    // Header blocks only (one 2880-byte block per HDU, scanned then decoded) plus 10-byte peeks.
    expect(requested).toBeLessThanOrEqual(7 * (2 * 2880 + 10));
  });
});
