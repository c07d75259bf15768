import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/db.js';
import type { Database } from '../../src/db/client.js';
import { createLoaders } from '../../src/loaders/index.js';
import { withQueryScope } from '../../src/monitor/query-scope.js';
import { registry } from '../../src/monitor/metrics.js';
import { seed, type Seed } from '../graphql/seed.js';

let database: Database;
let s: Seed;
beforeAll(async () => {
  database = await createTestDatabase();
  s = await seed(database, { files: 30 });
});
afterAll(async () => {
  await database?.close();
});

/** Runs `fn` with fresh loaders and returns its result and the statements it sent. */
async function counted<T>(fn: (l: ReturnType<typeof createLoaders>) => Promise<T>) {
  const loaders = createLoaders(database);
  return withQueryScope('graphql', async (scope) => {
    const result = await fn(loaders);
    return { result, queries: scope.queries, batches: loaders.stats.total };
  });
}

describe('loaders', () => {
  it('loads N files in one statement, in key order, null for unknown ids', async () => {
    const keys = [s.fileIds[5], 999999, s.fileIds[0], s.fileIds[17]];
    const { result, queries, batches } = await counted((l) => l.fileById.loadMany(keys));
    expect(queries).toBe(1);
    expect(batches).toBe(1);
    expect(result.map((f) => (f && !(f instanceof Error) ? f.id : null))).toEqual([s.fileIds[5], null, s.fileIds[0], s.fileIds[17]]);
  });

  it('one-to-many loaders give [] for keys without rows and keep order', async () => {
    const keys = [s.fileIds[3], 424242, s.fileIds[1]];
    const { result, queries } = await counted(async (l) => ({
      hdus: await Promise.all(keys.map((k) => l.hdusByFileId.load(k))),
      issues: await Promise.all(keys.map((k) => l.issuesByFileId.load(k))),
    }));
    expect(queries).toBe(2);
    expect(result.hdus.map((h) => h.map((x) => x.fileId))).toEqual([[s.fileIds[3]], [], [s.fileIds[1]]]);
    expect(result.issues[1]).toEqual([]);
    expect(result.issues[0][0].code).toBe('FITS_TEST');
  });

  it('every by-id loader is one statement for many keys', async () => {
    const cases: [string, (l: ReturnType<typeof createLoaders>) => Promise<unknown[]>][] = [
      ['surveyById', (l) => Promise.all([s.surveyId, 77].map((k) => l.surveyById.load(k)))],
      ['releaseById', (l) => Promise.all([s.draftId, s.publishedId, 77].map((k) => l.releaseById.load(k)))],
      ['releasesBySurveyId', (l) => Promise.all([s.surveyId, 77].map((k) => l.releasesBySurveyId.load(k)))],
      ['recordByFileId', (l) => Promise.all([s.fileIds[2], 77, s.draftFileIds[0]].map((k) => l.recordByFileId.load(k)))],
      ['sourceById', (l) => Promise.all([...s.sourceIds, 77].map((k) => l.sourceById.load(k)))],
      ['recordsBySourceId', (l) => Promise.all([...s.sourceIds, 77].map((k) => l.recordsBySourceId.load(k)))],
      ['runsByReleaseId', (l) => Promise.all([s.draftId, s.publishedId].map((k) => l.runsByReleaseId.load(k)))],
      ['runById', (l) => Promise.all([s.draftRunId, 77, s.publishedRunId].map((k) => l.runById.load(k)))],
    ];
    for (const [name, run] of cases) {
      const { result, queries } = await counted(run);
      expect(queries, name).toBe(1);
      expect(result.length, name).toBeGreaterThan(1);
    }
    const { result } = await counted((l) => Promise.all([s.draftId, s.publishedId, 77].map((k) => l.releaseById.load(k))));
    expect(result.map((r) => r?.name ?? null)).toEqual(['DR2', 'DR1', null]);
    const runs = await counted((l) => Promise.all([s.draftRunId, 77, s.publishedRunId].map((k) => l.runById.load(k))));
    expect(runs.result.map((r) => r?.id ?? null)).toEqual([s.draftRunId, null, s.publishedRunId]);
    const recs = await counted((l) => Promise.all([...s.sourceIds, 77].map((k) => l.recordsBySourceId.load(k))));
    // 33 records over 3 sources; the unknown source has none.
    expect(recs.result.map((r) => r.length)).toEqual([11, 11, 11, 0]);
  });

  it('pages of several releases (each with its own cursor and filters) are one statement', async () => {
    // A release whose files were found (ids) in another order than their paths sort in.
    const scanOrder = ['m/b.fits', 'a.fits', 'm/a.fits', 'z.fits', 'B.fits', 'm.fits', 'a/z.fits', 'k.fits', 'é.fits', 'c.fits', 'b.fits', 'm/c.fits', 'a/a.fits', 'y.fits'];
    const [{ id: mixedId }] = (await database.pool.query(`INSERT INTO releases (survey_id, name) SELECT survey_id, 'MIXED' FROM releases WHERE id = $1 RETURNING id`, [s.publishedId])).rows;
    await database.pool.query(
      `INSERT INTO files (release_id, path, size_bytes, mtime_ms, kind, status)
       SELECT $1, p, 1, 0, CASE WHEN n % 2 = 0 THEN 'IMAGE' ELSE 'SPECTRUM' END, 'INGESTED' FROM unnest($2::text[]) WITH ORDINALITY AS t(p, n) ORDER BY n`,
      [mixedId, scanOrder],
    );
    const imagePaths = new Set(scanOrder.filter((_, i) => (i + 1) % 2 === 0));
    // The paths in the order of the column's collation (whatever the cluster's locale).
    const pathOrder = (await database.pool.query<{ path: string }>(`SELECT path FROM unnest($1::text[]) AS t(path) ORDER BY path COLLATE "default"`, [scanOrder])).rows.map((r) => r.path);
    expect(pathOrder).not.toEqual(scanOrder);
    const { result, queries } = await counted((l) =>
      Promise.all([
        l.filePage.load({ releaseId: s.publishedId, kind: null, status: null, after: 0, afterPath: null, limit: 4 }),
        l.filePage.load({ releaseId: s.publishedId, kind: 'IMAGE', status: null, after: s.fileIds[9], afterPath: null, limit: 3 }),
        l.filePage.load({ releaseId: s.draftId, kind: null, status: null, after: 0, afterPath: null, limit: 10 }),
        l.filePage.load({ releaseId: 999, kind: null, status: null, after: 0, afterPath: null, limit: 10 }),
        // Path order, from the start and after a path, in the same statement.
        l.filePage.load({ releaseId: Number(mixedId), kind: null, status: null, after: 0, afterPath: '', limit: 1000 }),
        l.filePage.load({ releaseId: Number(mixedId), kind: 'IMAGE', status: null, after: 0, afterPath: pathOrder[3], limit: 3 }),
      ]),
    );
    expect(queries).toBe(1);
    expect(result[4].map((f) => f.path)).toEqual(pathOrder);
    expect(result[5].map((f) => f.path)).toEqual(pathOrder.slice(4).filter((p) => imagePaths.has(p)).slice(0, 3));
    expect(result[0].map((f) => f.id)).toEqual(s.fileIds.slice(0, 4));
    // Files with an even ordinal are IMAGE: after the 10th file, the 12th, 14th and 16th.
    expect(result[1].map((f) => f.id)).toEqual([s.fileIds[11], s.fileIds[13], s.fileIds[15]]);
    expect(result[2].map((f) => f.id)).toEqual(s.draftFileIds);
    expect(result[3]).toEqual([]);
  });

  it('counts by (release, kind, status) in one statement', async () => {
    const { result, queries } = await counted((l) =>
      Promise.all([
        l.fileCount.load({ releaseId: s.publishedId, kind: null, status: null }),
        l.fileCount.load({ releaseId: s.publishedId, kind: 'IMAGE', status: null }),
        l.fileCount.load({ releaseId: s.publishedId, kind: null, status: 'INVALID' }),
        l.fileCount.load({ releaseId: s.draftId, kind: null, status: null }),
        l.fileCount.load({ releaseId: 999, kind: null, status: null }),
      ]),
    );
    expect(queries).toBe(1);
    expect(result).toEqual([30, 15, 6, 3, 0]);
  });

  it('counts batches in the Prometheus registry by loader', async () => {
    await counted((l) => l.sourceById.load(s.sourceIds[0]));
    const text = await registry.metrics();
    expect(text).toMatch(/astroarchive_dataloader_batches_total\{loader="sourceById"\} [1-9]/);
  });
});
