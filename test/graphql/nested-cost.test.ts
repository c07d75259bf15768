import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { createTestDatabase } from '../helpers/db.js';
import { createHarness, NESTED_QUERY } from './harness.js';
import { seed, type Seed } from './seed.js';

let database: Database;
let s: Seed;
let h: ReturnType<typeof createHarness>;
beforeAll(async () => {
  database = await createTestDatabase();
  s = await seed(database, { files: 600 });
  h = createHarness(database);
});
afterAll(async () => {
  await database?.close();
});

/**
 * release (1) -> file page, with its files' hdus, issues and record -> source carried in the
 * same statement (1, src/loaders/embed.ts) -> totalCount (1): 3 statements, whatever the page size.
 */
const EXPECTED_STATEMENTS = 3;

describe('nested query cost', () => {
  it.each([10, 500])(`release -> files(first: %i) -> hdus, issues, record -> source costs ${EXPECTED_STATEMENTS} statements`, async (first) => {
    const r = await h.exec(NESTED_QUERY, { id: String(s.publishedId), first }, null, true);
    expect(r.errors).toBeUndefined();
    const edges = r.data.release.files.edges;
    expect(edges).toHaveLength(first);
    expect(edges.every((e: any) => e.node.hdus.length === 1 && e.node.issues.length === 1 && e.node.record.source.name)).toBe(true);
    expect(r.queries).toBe(EXPECTED_STATEMENTS);
    // The trace extension reports the same count, and one batch per statement.
    expect(r.extensions).toMatchObject({ sqlQueries: EXPECTED_STATEMENTS, dataloaderBatches: EXPECTED_STATEMENTS });
  });
});

describe('ObsCore fields cost no more statements', () => {
  // release, file page (with its records and their sources), source positions (both ra and dec: one batch).
  const OBSCORE_QUERY = `query($id: ID!, $first: Int!) { release(id: $id) { files(first: $first) { edges { node {
    record { obsId dataproductType calibLevel emMin emMax tMin tMax tExptime facilityName instrumentName fov targetName source { ra dec } } } } } } }`;
  it.each([10, 500])('release -> files(first: %i) -> record ObsCore fields -> source ra/dec costs 3 statements', async (first) => {
    const r = await h.exec(OBSCORE_QUERY, { id: String(s.publishedId), first });
    expect(r.errors).toBeUndefined();
    const records = r.data.release.files.edges.map((e: any) => e.node.record);
    expect(records).toHaveLength(first);
    // Seeded records are at (10.5, -20.25): so is the mean of any source's.
    expect(records.every((rec: any) => rec.targetName && Math.abs(rec.source.ra - 10.5) < 1e-9 && Math.abs(rec.source.dec + 20.25) < 1e-9)).toBe(true);
    expect(r.queries).toBe(3);
  });
});
