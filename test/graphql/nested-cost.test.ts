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
 * release (1) -> file page (1) -> totalCount, hdus, issues, record (one batch each, 4) ->
 * source (1): 7 statements, whatever the page size.
 */
const EXPECTED_STATEMENTS = 7;

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
