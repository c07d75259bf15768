/**
 * End to end as a user: `astroarchive start` on a free port, `astroarchive ingest --wait --json`
 * through the real CLI, then the records through HTTP GraphQL with and without a token.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { freePort } from '../../src/db/embedded.js';
import { generateRelease } from '../../src/bench/generate.js';
import { createTestDatabase } from '../helpers/db.js';
import { tempDir } from '../helpers/ingest.js';
import { runCli, startService, type Service } from '../helpers/cli-process.js';

let database: Database;
let server: Service;
let env: NodeJS.ProcessEnv;
let graphqlUrl: string;
let home: string;
let dataRoot: string;

async function gql(query: string, variables: Record<string, unknown> = {}, token?: string) {
  const res = await fetch(graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as { data?: any; errors?: Array<{ message: string; extensions?: { code?: string } }> };
}

beforeAll(async () => {
  database = await createTestDatabase();
  home = tempDir('astroarchive-home-');
  dataRoot = tempDir();
  generateRelease(path.join(dataRoot, 'gama-dr4'), { spectra: 120, cubes: 2, images: 3, catalogues: 2, blobs: 30, sources: 25 });
  const port = await freePort();
  env = { DATABASE_URL: database.url, PORT: String(port), HOST: '127.0.0.1', ARCHIVE_HOME: home, ARCHIVE_DATA_ROOT: dataRoot, LOG_LEVEL: 'warn', ARCHIVE_TOKEN: '' };
  graphqlUrl = `http://127.0.0.1:${port}/graphql`;
  server = await startService(['start'], env, /Press Ctrl-C to stop/);
});

afterAll(async () => {
  await server?.stop();
  await database?.close();
  for (const d of [home, dataRoot]) if (d) fs.rmSync(d, { recursive: true, force: true });
});

describe('a new user, end to end', () => {
  it('start prints the GraphQL and GraphiQL URLs and where the admin token is', () => {
    expect(server.output()).toContain(`GraphQL:   ${graphqlUrl}`);
    expect(server.output()).toContain(`web pages: ${graphqlUrl.replace(/graphql$/, '')}`);
    expect(server.output()).toContain('/graphiql');
    expect(server.output()).toContain(path.join(home, 'admin-token'));
    expect(fs.statSync(path.join(home, 'admin-token')).mode & 0o777).toBe(0o600);
  });

  it('ingests a release through the CLI and prints the contract JSON line', async () => {
    const r = await runCli(['ingest', 'gama-dr4', '--survey', 'GAMA', '--release', 'DR4', '--wait', '--json'], env);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(Object.keys(summary).sort()).toEqual(
      ['runId', 'releaseId', 'status', 'totalFiles', 'ingestedFiles', 'invalidFiles', 'failedFiles', 'skippedFiles', 'missingFiles', 'skippedEntries', 'seconds', 'filesPerSecond', 'queries'].sort(),
    );
    expect(summary).toMatchObject({ status: 'SUCCEEDED', totalFiles: 157, ingestedFiles: 157, invalidFiles: 0, failedFiles: 0, skippedFiles: 0, missingFiles: 0, skippedEntries: 0 });
    expect(summary.queries).toBeGreaterThan(0);
    expect(summary.queries / summary.totalFiles).toBeLessThan(0.5);
  });

  it('serves the records through HTTP: drafts to token holders only, then to everyone once published', async () => {
    const token = fs.readFileSync(path.join(home, 'admin-token'), 'utf8').trim();
    const query = `query { releases(survey: "GAMA") { id name published fileCount
      files(first: 5, kind: SPECTRUM) { totalCount edges { node { path kind status hdus { index type naxis header { keyword value } }
        record { productType center { ra dec } spectralRange { min max unit } source { name } } } } } } }`;
    const anonymous = await gql(query);
    expect(anonymous.errors).toBeUndefined();
    expect(anonymous.data.releases).toEqual([]);

    const admin = await gql(query, {}, token);
    expect(admin.errors).toBeUndefined();
    const [release] = admin.data.releases;
    expect(release).toMatchObject({ name: 'DR4', published: false, fileCount: 157 });
    expect(release.files.totalCount).toBe(120);
    const file = release.files.edges[0].node;
    expect(file.kind).toBe('SPECTRUM');
    expect(file.hdus).toHaveLength(2);
    expect(file.hdus[0].header[0]).toEqual({ keyword: 'SIMPLE', value: true });
    expect(file.record.spectralRange.unit).toBe('Angstrom');
    expect(file.record.source.name).toMatch(/^SRC /);

    const published = await gql(`mutation($id: ID!) { publishRelease(id: $id) { published status } }`, { id: release.id }, token);
    expect(published.data.publishRelease).toEqual({ published: true, status: 'published' });
    const after = await gql(query);
    expect(after.data.releases.map((r: { name: string }) => r.name)).toEqual(['DR4']);
  });

  it('refuses bad requests with a clear error and a non-zero exit status', async () => {
    const outside = await runCli(['ingest', '/etc', '--survey', 'GAMA', '--release', 'DR9', '--json'], env);
    expect(outside.code).toBe(3);
    expect(outside.stderr).toContain('BAD_USER_INPUT');
    expect(outside.stderr).toContain('outside ARCHIVE_DATA_ROOT');
    const published = await runCli(['ingest', 'gama-dr4', '--survey', 'GAMA', '--release', 'DR4'], env);
    expect(published.code).toBe(3);
    expect(published.stderr).toMatch(/published and immutable/);
    const usage = await runCli(['ingest', 'gama-dr4'], env);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--survey');
    const batch = await runCli(['worker', '--batch-size', '0'], env);
    expect(batch.code).toBe(2);
    expect(batch.stderr).toContain('--batch-size must be an integer from 1 to 100000');
    const noToken = await gql(`mutation { ingestRelease(input: {survey: "GAMA", release: "DR5", path: "gama-dr4"}) { id } }`);
    expect(noToken.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('stops cleanly on SIGINT', async () => {
    const code = await server.stop('SIGINT');
    expect(code).toBe(0);
  });
});
