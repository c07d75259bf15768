/** Analysis results as columns: rows stay aligned across files, HDUs and issues. */
import { describe, expect, it } from 'vitest';
import { appendAnalysis, concatColumns, emptyColumns, filterFiles, SLOWEST } from '../../src/ingest/analyze/columns.js';
import type { FileAnalysis } from '../../src/ingest/analyze/types.js';
import { readText } from '../../src/db/text-column.js';
import { noObsCore } from '../../src/ingest/analyze/obscore.js';

function analysis(id: number, seconds: number, extra: Partial<FileAnalysis> = {}): FileAnalysis {
  return {
    id,
    path: `f${id}.fits`,
    outcome: 'INGESTED',
    kind: 'SPECTRUM',
    sizeBytes: 100 + id,
    checksum: `c${id}`,
    hdus: [
      { index: 0, type: 'PRIMARY', bitpix: 8, naxis: [], header: `SIMPLE  =                    T\nOBJECT  = 'S${id}'\nEND` },
      { index: 1, type: 'BINTABLE', bitpix: 8, naxis: [12, 3], header: "XTENSION= 'BINTABLE'\nEND" },
    ],
    issues: [],
    record: { productType: 'spectrum', sourceName: `S${id}`, center: { ra: id, dec: -id }, footprint: null, spectralRange: { min: 1, max: 2, unit: 'nm' }, catalogue: null, obscore: { ...noObsCore('SPECTRUM', null), emMin: 1e-9, emMax: 2e-9, hpx: id } },
    stages: { read: seconds / 2, validate: seconds / 2 + 0.001 },
    ...extra,
  };
}

describe('analysis columns', () => {
  it('puts each file, HDU and issue in its own row, and sums stages', () => {
    const c = emptyColumns();
    appendAnalysis(c, analysis(1, 0.01));
    appendAnalysis(
      c,
      analysis(2, 0.02, {
        outcome: 'FAILED',
        record: null,
        hdus: [],
        issues: [{ severity: 'ERROR', code: 'FILE_UNREADABLE', message: 'a\0b', hdu: null, keyword: null }],
        error: 'EACCES: no',
      }),
    );
    expect(c.files.id).toEqual([1, 2]);
    expect(c.files.hasRecord).toEqual([true, false]);
    expect(c.files.sourceName).toEqual(['S1', null]);
    expect(c.files.centerDec).toEqual([-1, null]);
    expect(c.files.dataproductType).toEqual(['spectrum', null]);
    expect(c.files.calibLevel).toEqual([2, null]);
    expect(c.files.emMax).toEqual([2e-9, null]);
    expect(c.files.hpx).toEqual([1, null]);
    expect(c.files.error).toEqual([null, 'EACCES: no']);
    expect(c.hdus.fileId).toEqual([1, 1]);
    expect(c.hdus.naxis).toEqual(['{}', '{12,3}']);
    expect(readText(c.hdus.header)).toEqual(["SIMPLE  =                    T\nOBJECT  = 'S1'\nEND", "XTENSION= 'BINTABLE'\nEND"]);
    expect(c.issues).toEqual({ fileId: [2], severity: ['ERROR'], code: ['FILE_UNREADABLE'], message: ['a\uFFFDb'], hdu: [null], keyword: [null] });
    expect(c.stages.read).toBeCloseTo(0.015);
    expect(c.slowest[0]).toEqual({ path: 'f2.fits', stage: 'validate', seconds: 0.021 });
  });

  it('keeps catalogue bigints exact and footprints as [ra, dec] pairs', () => {
    const c = emptyColumns();
    appendAnalysis(
      c,
      analysis(3, 0, {
        record: {
          productType: 'catalogue',
          sourceName: null,
          center: null,
          footprint: [{ ra: 1, dec: 2 }, { ra: 3, dec: 4 }],
          spectralRange: null,
          catalogue: { rowCount: 1, columns: [{ name: 'ID', type: 'K', unit: null, nullCount: 0, min: 2n ** 60n, max: 2n ** 62n + 1n }] },
          obscore: noObsCore('CATALOGUE', null),
        },
      }),
    );
    expect(JSON.parse(c.files.footprint[0]!)).toEqual([[1, 2], [3, 4]]);
    expect(JSON.parse(c.files.catalogue[0]!).columns[0]).toMatchObject({ min: String(2n ** 60n), max: String(2n ** 62n + 1n) });
  });

  it('concatenates chunks in order and keeps only the slowest files overall', () => {
    const parts = [0, 1, 2].map((p) => {
      const c = emptyColumns();
      for (let i = 0; i < 4; i++) appendAnalysis(c, analysis(p * 4 + i, (p * 4 + i) / 100));
      return c;
    });
    const all = concatColumns(parts);
    expect(all.files.id).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(all.hdus.fileId).toHaveLength(24);
    expect(readText(all.hdus.header).filter((h) => h.startsWith('SIMPLE')).map((h) => /'(S\d+)'/.exec(h)![1])).toEqual(all.files.id.map((id) => `S${id}`));
    expect(all.slowest.map((s) => s.path)).toEqual(['f11.fits', 'f10.fits', 'f9.fits', 'f8.fits', 'f7.fits'].slice(0, SLOWEST));
  });

  it('drops files with their HDUs and issues', () => {
    const c = emptyColumns();
    appendAnalysis(c, analysis(1, 0));
    appendAnalysis(c, analysis(2, 0, { issues: [{ severity: 'WARNING', code: 'X', message: 'm', hdu: 1, keyword: 'K' }] }));
    appendAnalysis(c, analysis(3, 0));
    const kept = filterFiles(c, (id) => id !== 2);
    expect(kept.files.id).toEqual([1, 3]);
    expect(kept.files.checksum).toEqual(['c1', 'c3']);
    expect(kept.hdus.fileId).toEqual([1, 1, 3, 3]);
    expect(readText(kept.hdus.header).filter((h) => h.startsWith('SIMPLE')).map((h) => /'(S\d+)'/.exec(h)![1])).toEqual(['S1', 'S3']);
    expect(kept.issues.fileId).toEqual([]);
  });
});
