/**
 * A NUL character (U+0000) in any argument is the caller's mistake, answered as one: PostgreSQL
 * cannot hold it in text, and the statement binding it failed as an internal error (GraphQL's
 * INTERNAL_SERVER_ERROR, a 500 from the download routes), logged with a stack each time.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import type { Database } from '../../src/db/client.js';
import { createTestDatabase } from '../helpers/db.js';
import { serveApp, type ServedApp } from '../helpers/http-app.js';
import { tempDir } from '../helpers/ingest.js';

let database: Database;
let served: ServedApp;
let root: string;
let releaseId: number;

beforeAll(async () => {
  database = await createTestDatabase();
  root = tempDir('astroarchive-nul-');
  const { rows } = await database.pool.query(
    `WITH s AS (INSERT INTO surveys (name) VALUES ('NUL') RETURNING id) INSERT INTO releases (survey_id, name, status) SELECT id, 'DR1', 'published' FROM s RETURNING id`,
  );
  releaseId = Number(rows[0].id);
  served = await serveApp(database, loadConfig({ ARCHIVE_HOME: root, ARCHIVE_DATA_ROOT: root, LOG_LEVEL: 'silent' }, root));
});

afterAll(async () => {
  await served?.close();
  await database?.close();
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const gql = async (query: string, variables: Record<string, unknown> = {}): Promise<any> =>
  (await fetch(`${served.base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) })).json();

describe('a NUL character in an argument', () => {
  it('is BAD_USER_INPUT in GraphQL, in a literal or a variable, whichever field takes it', async () => {
    const cases = [
      ['{ sources(filter: { name: "a\\u0000b" }) { edges { node { id } } } }', {}],
      ['query($n: String) { records(filter: { targetName: $n }) { edges { node { id } } } }', { n: 'x\u0000' }],
      ['query($f: String) { records(filter: { facility: $f }) { edges { node { id } } } }', { f: '\u0000' }],
      ['query($s: String) { releases(survey: $s) { id } }', { s: 'N\u0000UL' }],
    ] as const;
    for (const [query, variables] of cases) {
      const r = await gql(query, variables);
      expect(r.errors?.map((e: { extensions: { code: string } }) => e.extensions.code), query).toEqual(['BAD_USER_INPUT']);
      expect(r.errors[0].message).toContain('NUL character (U+0000)');
    }
  });

  it('is a 400 from the download routes', async () => {
    const res = await fetch(`${served.base}/releases/${releaseId}/archive?productType=%00`);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toContain('NUL character (U+0000)');
  });
});
