import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { createTestDatabase } from '../helpers/db.js';
import { ADMIN, INGEST, codes, createHarness } from '../graphql/harness.js';
import { seed, type Seed } from '../graphql/seed.js';

let database: Database;
let s: Seed;
let h: ReturnType<typeof createHarness>;
beforeAll(async () => {
  database = await createTestDatabase();
  s = await seed(database, { files: 4 });
  h = createHarness(database);
});
afterAll(async () => {
  await database?.close();
});

describe('anonymous callers see published releases only', () => {
  it('hides drafts on every read path, and token holders see them', async () => {
    const q = `query($draft: ID!, $file: ID!, $record: ID!, $run: ID!, $source: ID!) {
      release(id: $draft) { id }
      releases { name }
      draftsOfSurvey: releases(survey: "GAMA") { name }
      surveys { releases { name } }
      file(id: $file) { id }
      record(id: $record) { id }
      ingestionRun(id: $run) { id }
      source(id: $source) { records { release { name } } }
    }`;
    const { rows } = await database.pool.query(`SELECT id FROM records WHERE file_id = $1`, [s.draftFileIds[0]]);
    const vars = { draft: String(s.draftId), file: String(s.draftFileIds[0]), record: String(rows[0].id), run: String(s.draftRunId), source: String(s.sourceIds[0]) };

    const anon = await h.exec(q, vars);
    expect(anon.errors).toBeUndefined();
    expect(anon.data.release).toBeNull();
    expect(anon.data.releases).toEqual([{ name: 'DR1' }]);
    expect(anon.data.draftsOfSurvey).toEqual([{ name: 'DR1' }]);
    expect(anon.data.surveys).toEqual([{ releases: [{ name: 'DR1' }] }]);
    expect(anon.data.file).toBeNull();
    expect(anon.data.record).toBeNull();
    expect(anon.data.ingestionRun).toBeNull();
    expect(new Set(anon.data.source.records.map((r: any) => r.release.name))).toEqual(new Set(['DR1']));

    const admin = await h.exec(q, vars, INGEST);
    expect(admin.errors).toBeUndefined();
    expect(admin.data.release).toEqual({ id: String(s.draftId) });
    expect(admin.data.releases.map((r: any) => r.name)).toEqual(['DR1', 'DR2']);
    expect(admin.data.file).not.toBeNull();
    expect(admin.data.record).not.toBeNull();
    expect(admin.data.ingestionRun).not.toBeNull();
    expect(new Set(admin.data.source.records.map((r: any) => r.release.name))).toEqual(new Set(['DR1', 'DR2']));
  });

  it('hides a survey whose releases are all drafts', async () => {
    await database.pool.query(`WITH s AS (INSERT INTO surveys (name) VALUES ('SECRET') RETURNING id) INSERT INTO releases (survey_id, name) SELECT id, 'X' FROM s`);
    const anon = await h.exec(`{ surveys { name } }`);
    expect(anon.data.surveys.map((x: any) => x.name)).toEqual(['GAMA']);
    const admin = await h.exec(`{ surveys { name } }`, {}, ADMIN);
    expect(admin.data.surveys.map((x: any) => x.name)).toEqual(['GAMA', 'SECRET']);
  });
});

describe('mutations', () => {
  const publish = `mutation($id: ID!) { publishRelease(id: $id) { id status published } }`;

  it('needs the right role', async () => {
    expect(codes(await h.exec(publish, { id: String(s.draftId) }))).toEqual(['UNAUTHENTICATED']);
    const forbidden = await h.exec(publish, { id: String(s.draftId) }, INGEST);
    expect(codes(forbidden)).toEqual(['FORBIDDEN']);
    expect(forbidden.errors![0].message).toContain('admin');
    expect(codes(await h.exec(`mutation { createToken(name: "x", role: admin) { token } }`, {}, INGEST))).toEqual(['FORBIDDEN']);
    expect(codes(await h.exec(`mutation { ingestRelease(input: { survey: "A", release: "B", path: "." }) { id } }`))).toEqual(['UNAUTHENTICATED']);
  });

  it('mints tokens for admins; the new token is shown once and stored hashed', async () => {
    const r = await h.exec(`mutation { createToken(name: "robot", role: ingest) { id name role token } }`, {}, ADMIN);
    expect(r.errors).toBeUndefined();
    expect(r.data.createToken).toMatchObject({ name: 'robot', role: 'ingest' });
    const { rows } = await database.pool.query(`SELECT token_hash FROM api_tokens WHERE id = $1`, [r.data.createToken.id]);
    expect(rows[0].token_hash).not.toContain(r.data.createToken.token);
  });

  it('refuses to publish while a run is active, then publishes once, idempotently', async () => {
    const conflict = await h.exec(publish, { id: String(s.draftId) }, ADMIN);
    expect(codes(conflict)).toEqual(['CONFLICT']);
    expect(conflict.errors![0].message).toMatch(/wait/);
    await database.pool.query(`UPDATE ingestion_runs SET status = 'SUCCEEDED' WHERE id = $1`, [s.draftRunId]);
    const ok = await h.exec(publish, { id: String(s.draftId) }, ADMIN);
    expect(ok.data.publishRelease).toEqual({ id: String(s.draftId), status: 'published', published: true });
    const { rows } = await database.pool.query(`SELECT published_at FROM releases WHERE id = $1`, [s.draftId]);
    const again = await h.exec(publish, { id: String(s.draftId) }, ADMIN);
    expect(again.data.publishRelease.status).toBe('published');
    const { rows: after } = await database.pool.query(`SELECT published_at FROM releases WHERE id = $1`, [s.draftId]);
    expect(after[0].published_at.getTime()).toBe(rows[0].published_at.getTime());
  });

  it('NOT_FOUND for mutations on unknown ids, BAD_USER_INPUT for malformed ones', async () => {
    expect(codes(await h.exec(publish, { id: '987654' }, ADMIN))).toEqual(['NOT_FOUND']);
    expect(codes(await h.exec(`mutation { retryFailed(runId: "987654") { id } }`, {}, INGEST))).toEqual(['NOT_FOUND']);
    const bad = await h.exec(`mutation { retryFailed(runId: "x1") { id } }`, {}, INGEST);
    expect(codes(bad)).toEqual(['BAD_USER_INPUT']);
    expect(bad.errors![0].extensions?.field).toBe('runId');
  });

  it('retryFailed re-queues a finished run\'s FAILED files for an ingest token', async () => {
    const { rows } = await database.pool.query(
      `WITH rel AS (INSERT INTO releases (survey_id, name) VALUES ($1, 'DR9') RETURNING id),
            r AS (INSERT INTO ingestion_runs (release_id, status, path, scan_done, total_files, processed_files, failed_files, finished_at)
                  SELECT id, 'PARTIAL', '/data/x', true, 2, 2, 1, now() FROM rel RETURNING id, release_id),
            f AS (INSERT INTO files (release_id, path, size_bytes, mtime_ms, status, run_id)
                  SELECT release_id, 'a.fits', 1, 0, 'FAILED', id FROM r RETURNING id)
       SELECT r.id, f.id AS file_id FROM r, f`,
      [s.surveyId],
    );
    const r = await h.exec(`mutation($id: ID!) { retryFailed(runId: $id) { id status failedFiles processedFiles } }`, { id: String(rows[0].id) }, INGEST);
    expect(r.errors).toBeUndefined();
    expect(r.data.retryFailed).toEqual({ id: String(rows[0].id), status: 'RUNNING', failedFiles: 0, processedFiles: 1 });
    const { rows: file } = await database.pool.query(`SELECT status FROM files WHERE id = $1`, [rows[0].file_id]);
    expect(file[0].status).toBe('PENDING');
  });

  it('ingestRelease submits a run for an ingest token, and input errors carry BAD_USER_INPUT', async () => {
    fs.mkdirSync(path.join(h.config.dataRoot, 'incoming'), { recursive: true });
    const r = await h.exec(
      `mutation($input: IngestReleaseInput!) { ingestRelease(input: $input) { id status release { name status survey { name } } } }`,
      { input: { survey: 'SAMI', release: 'DR3', path: 'incoming' } },
      INGEST,
    );
    expect(r.errors).toBeUndefined();
    expect(r.data.ingestRelease).toMatchObject({ status: 'QUEUED', release: { name: 'DR3', status: 'draft', survey: { name: 'SAMI' } } });
    const outside = await h.exec(`mutation { ingestRelease(input: { survey: "SAMI", release: "DR4", path: "/etc" }) { id } }`, {}, INGEST);
    expect(codes(outside)).toEqual(['BAD_USER_INPUT']);
    expect(outside.errors![0].extensions?.field).toBe('input.path');
  });
});
