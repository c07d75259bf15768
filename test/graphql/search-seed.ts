/**
 * Generated records for the search tests, inserted set-at-a-time with plain SQL: positions
 * uniform on the sphere plus clusters at both poles, across RA = 0 and one a few arcseconds
 * wide; small square footprints (with their MOC) on some; times, wavelengths, facilities,
 * instruments, kinds and sources spread over them; some INVALID; two published releases of
 * two surveys and one draft. The tests compare the API's answers with brute force over `rows`.
 */
import type { Database } from '../../src/db/client.js';
import { ang2pixNest, polygonMoc, STORE_ORDER } from '../../src/sky/index.js';
import { rng } from '../../src/util/rng.js';

export interface SeedRecord {
  id: number;
  releaseId: number;
  ra: number | null;
  dec: number | null;
  footprint: [number, number][] | null;
  kind: string;
  dataproductType: string;
  productType: string;
  facility: string | null;
  instrument: string | null;
  tMin: number | null;
  tMax: number | null;
  emMin: number | null;
  emMax: number | null;
  sourceId: number | null;
  invalid: boolean;
}

export interface SearchSeed {
  published: number;
  otherPublished: number;
  draft: number;
  rows: SeedRecord[];
  /** Source id -> name. */
  sources: Map<number, string>;
}

const KINDS = [
  ['SPECTRUM', 'spectrum'],
  ['IMAGE', 'image'],
  ['IFS_CUBE', 'cube'],
  ['CATALOGUE', 'measurements'],
  ['BLOB', 'other'],
] as const;

export async function seedSearch(database: Database, n = 3000, seed = 42): Promise<SearchSeed> {
  const rand = rng(seed);
  const q = async (sql: string, params: unknown[] = []) => (await database.pool.query(sql, params)).rows;
  const [{ id: sky }] = await q(`INSERT INTO surveys (name) VALUES ('SKY') RETURNING id`);
  const [{ id: other }] = await q(`INSERT INTO surveys (name) VALUES ('OTHER') RETURNING id`);
  const [{ id: published }] = await q(`INSERT INTO releases (survey_id, name, status, published_at) VALUES ($1, 'DR1', 'published', now()) RETURNING id`, [sky]);
  const [{ id: draft }] = await q(`INSERT INTO releases (survey_id, name) VALUES ($1, 'DR2') RETURNING id`, [sky]);
  const [{ id: otherPublished }] = await q(`INSERT INTO releases (survey_id, name, status, published_at) VALUES ($1, 'R1', 'published', now()) RETURNING id`, [other]);
  // 40 sources; some names differ only in case, and one is only in the draft.
  const names = Array.from({ length: 40 }, (_, i) => (i === 1 ? 'ngc 1000' : i === 39 ? 'Draft Only' : `NGC ${1000 + i}`));
  const sourceRows = await q(`INSERT INTO sources (name) SELECT unnest($1::text[]) RETURNING id, name`, [names]);
  const sources = new Map<number, string>(sourceRows.map((r) => [Number(r.id), r.name as string]));
  const sourceIds = sourceRows.map((r) => Number(r.id));

  const position = (i: number): [number, number] | null => {
    const u = rand();
    if (i % 23 === 0) return null; // no position
    if (u < 0.1) return [rand() * 360, 89 + rand()]; // north pole
    if (u < 0.2) return [rand() * 360, -89 - rand()]; // south pole
    if (u < 0.3) return [(359.5 + rand()) % 360, (rand() - 0.5) * 2]; // across RA = 0
    if (u < 0.35) return [150 + (rand() - 0.5) * 0.002, 2 + (rand() - 0.5) * 0.002]; // ~7" wide
    return [rand() * 360, (Math.asin(2 * rand() - 1) * 180) / Math.PI]; // uniform on the sphere
  };
  // Sources are compact, as real ones are: each has a home position (some at the poles and
  // across RA = 0) and its records lie within ~2" of it. One record in four has a source.
  const homes = sourceIds.map((_, k) => (k < 4 ? [[0, 90], [10, -89.9], [359.9995, 0.3], [0.0004, -0.2]][k] : position(1)!) as [number, number]);
  const jitter = 2 / 3600;
  const sourceOf = (i: number) => (i % 4 !== 1 ? -1 : (i >> 2) % 61 === 0 ? 39 : (i >> 2) % 39);
  const rows: Omit<SeedRecord, 'id'>[] = [];
  for (let i = 0; i < n; i++) {
    const src = sourceOf(i);
    let pos = position(i);
    if (src >= 0 && pos) {
      const [hra, hdec] = homes[src];
      const dec = Math.max(-90, Math.min(90, hdec + (rand() - 0.5) * jitter));
      pos = [(hra + ((rand() - 0.5) * jitter) / Math.max(0.01, Math.cos((dec * Math.PI) / 180)) + 360) % 360, dec];
    }
    const [kind, dataproductType] = KINDS[i % KINDS.length];
    const releaseId = i % 10 === 9 ? draft : i % 10 === 8 ? otherPublished : published;
    let footprint: [number, number][] | null = null;
    if (pos && kind === 'IMAGE' && Math.abs(pos[1]) < 80) {
      const h = 0.05 + rand() * 0.2; // half-size, degrees of dec
      const w = h / Math.cos((pos[1] * Math.PI) / 180);
      footprint = [
        [(pos[0] - w + 360) % 360, pos[1] - h],
        [(pos[0] + w) % 360, pos[1] - h],
        [(pos[0] + w) % 360, pos[1] + h],
        [(pos[0] - w + 360) % 360, pos[1] + h],
      ];
    }
    const t0 = 50000 + Math.floor(rand() * 10000) + rand();
    const timed = i % 7 !== 0;
    const em0 = 3e-7 + rand() * 6e-7;
    const spectral = kind === 'SPECTRUM' || kind === 'IFS_CUBE';
    rows.push({
      releaseId,
      ra: pos?.[0] ?? null,
      dec: pos?.[1] ?? null,
      footprint,
      kind,
      dataproductType,
      productType: `${dataproductType}-${i % 3}`,
      facility: i % 11 === 0 ? null : ['AAT', 'UKST', 'VLT', 'RARE-SCOPE'][i % 499 === 0 ? 3 : i % 3],
      instrument: i % 13 === 0 ? null : ['2dF', 'HERMES', i % 89 === 0 ? 'RARE-CAM' : 'SAMI'][i % 3],
      tMin: timed ? t0 : null,
      tMax: timed ? t0 + rand() * 2 : null,
      emMin: spectral ? em0 : null,
      emMax: spectral ? em0 + rand() * 3e-7 : null,
      sourceId: src < 0 ? null : sourceIds[src],
      invalid: i % 17 === 0,
    });
  }
  // The source only the draft observes.
  for (const r of rows) if (r.sourceId === sourceIds[39]) r.releaseId = draft;

  const col = <T>(f: (r: Omit<SeedRecord, 'id'>) => T) => rows.map(f);
  const files = await q(
    `INSERT INTO files (release_id, path, size_bytes, mtime_ms, kind, status)
     SELECT r, 'f' || o || '.fits', 2880, 0, k, CASE WHEN inv THEN 'INVALID' ELSE 'INGESTED' END
       FROM unnest($1::bigint[], $2::text[], $3::bool[]) WITH ORDINALITY AS u(r, k, inv, o) RETURNING id, path`,
    [col((r) => r.releaseId), col((r) => r.kind), col((r) => r.invalid)],
  );
  // RETURNING's order is not promised: file i is 'f<i + 1>.fits'.
  const fileIds: number[] = [];
  for (const f of files) fileIds[Number(/^f(\d+)/.exec(f.path)![1]) - 1] = Number(f.id);
  const coverage = col((r) => {
    if (!r.footprint) return null;
    const moc = polygonMoc(r.footprint.map(([ra, dec]) => ({ ra, dec })));
    return `{${moc.map(([a, b]) => `[${a},${b})`).join(',')}}`;
  });
  const inserted = await q(
    `INSERT INTO records (file_id, release_id, product_type, source_id, center_ra, center_dec, footprint, dataproduct_type, obs_id,
                          facility_name, instrument_name, t_min, t_max, em_min, em_max, hpx, coverage, invalid)
     SELECT f, rel, pt, src, ra, dec, fp, dt, 'SKY/' || f, fac, ins, tmin, tmax, emmin, emmax, hpx, cov::int8multirange, inv
       FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::bigint[], $5::float8[], $6::float8[], $7::jsonb[], $8::text[], $9::text[],
                   $10::text[], $11::float8[], $12::float8[], $13::float8[], $14::float8[], $15::int8[], $16::text[], $17::bool[])
            WITH ORDINALITY AS u(f, rel, pt, src, ra, dec, fp, dt, fac, ins, tmin, tmax, emmin, emmax, hpx, cov, inv, o)
      RETURNING id, file_id`,
    [
      fileIds,
      col((r) => r.releaseId),
      col((r) => r.productType),
      col((r) => r.sourceId),
      col((r) => r.ra),
      col((r) => r.dec),
      col((r) => (r.footprint ? JSON.stringify(r.footprint) : null)),
      col((r) => r.dataproductType),
      col((r) => r.facility),
      col((r) => r.instrument),
      col((r) => r.tMin),
      col((r) => r.tMax),
      col((r) => r.emMin),
      col((r) => r.emMax),
      col((r) => (r.ra === null || r.dec === null ? null : ang2pixNest(STORE_ORDER, r.ra, r.dec))),
      coverage,
      col((r) => r.invalid),
    ],
  );
  await q('ANALYZE records');
  await q('ANALYZE sources');
  const recordOfFile = new Map(inserted.map((r) => [Number(r.file_id), Number(r.id)]));
  return { published, otherPublished, draft, sources, rows: rows.map((r, i) => ({ ...r, id: recordOfFile.get(fileIds[i])! })) };
}
