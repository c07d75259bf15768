/**
 * What one anonymous TAP or simple-service request may cost, against a real server with small
 * limits: rows too large to hold (a CAST to CHAR(n) pads every value; 600 rows of 10 MB once
 * took the process past its heap), a result past its byte limit (sync and async, whose file is
 * kept for days), queries past the process's bound on sessions at once (503, while GraphQL and
 * /healthz still answer: slow TAP readers once held the whole pool), and the caller's mistakes
 * the database finds (types, a NUL character, an expression nested past the stack): 400s.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { executeTapJob } from '../../src/vo/tap/uws-run.js';
import { eventually, tapArchive } from './tap-http-fixture.js';

const a = tapArchive({
  ARCHIVE_TAP_MAX_BATCH_BYTES: '1000000',
  ARCHIVE_TAP_MAX_RESULT_BYTES: '60000',
  ARCHIVE_TAP_SESSIONS: '1',
  ARCHIVE_TAP_SESSION_WAIT_MS: '300',
  ARCHIVE_TAP_SYNC_TIMEOUT_MS: '4000',
  ARCHIVE_TAP_RESULTS_MAX_BYTES: '100000',
});

const adql = (query: string, extra: Record<string, string> = {}) => ({ LANG: 'ADQL', QUERY: query, ...extra });
const status = (doc: string) => [...doc.matchAll(/<INFO name="QUERY_STATUS" value="([A-Z]+)"/g)].map((m) => m[1]);
const auth = (token?: string): Record<string, string> => (token ? { authorization: `Bearer ${token}` } : {});

async function sync(params: Record<string, string>, token?: string) {
  // POST: the longest query here (95 kB) is past what a URL may hold.
  const res = await fetch(`${a.tap}/sync`, { method: 'POST', body: new URLSearchParams(params), headers: auth(token) });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

/** A value grown tenfold at each of `levels` nested subqueries, from obs_id. */
function nested(levels: number): string {
  let q = 'SELECT TOP 1 obs_id AS x0 FROM ivoa.obscore';
  for (let i = 1; i <= levels; i++) q = `SELECT TOP 1 ${Array(10).fill(`t${i}.x${i - 1}`).join(' || ')} AS x${i} FROM (${q}) AS t${i}`;
  return q;
}

/** POST /tap/async: the new job's URL. */
async function createJob(params: Record<string, string>): Promise<string> {
  const created = await fetch(`${a.tap}/async`, { method: 'POST', body: new URLSearchParams(params), redirect: 'manual' });
  expect(created.status).toBe(303);
  return created.headers.get('location')!;
}

/** The job's document once it has COMPLETED or ended in ERROR. */
const ended = (url: string) =>
  eventually(async () => {
    const t = await (await fetch(`${url}?WAIT=5`)).text();
    return /<uws:phase>(ERROR|COMPLETED)<\/uws:phase>/.test(t) ? t : undefined;
  }, 120_000, 'the async job ending');

const healthy = async () => (await fetch(`${a.served.base}/healthz`)).status;

describe('TAP limits', () => {
  it('rows too large to hold are a 400 that says which limit, and the process lives on', async () => {
    // 16 published records: 256 rows of 5,000 characters is past 1,000,000 bytes held at once.
    const wide = await sync(adql('SELECT TOP 600 CAST(a.obs_id AS CHAR(5000)) AS w FROM ivoa.obscore a, ivoa.obscore b'));
    expect(wide.status).toBe(400);
    expect(status(wide.text)).toEqual(['ERROR']);
    expect(wide.text).toMatch(/rows are too large: [\d,]+ rows went past 1,000,000 bytes held at once \(ARCHIVE_TAP_MAX_BATCH_BYTES\)/);
    // Read through a cursor (no TOP: MAXREC+1 rows, more than one FETCH's worth) the same.
    const cursor = await sync(adql('SELECT CAST(a.obs_id AS CHAR(5000)) AS w FROM ivoa.obscore a, ivoa.obscore b, ivoa.obscore c'));
    expect(cursor.status).toBe(400);
    expect(cursor.text).toContain('ARCHIVE_TAP_MAX_BATCH_BYTES');
    // The reported request: CHAR(10485760) is refused before it runs.
    const huge = await sync(adql('SELECT TOP 600 CAST(a.obs_id AS CHAR(10485760)) FROM ivoa.obscore a, ivoa.obscore b'));
    expect(huge.status).toBe(400);
    expect(huge.text).toMatch(/CAST to CHAR\(10485760\): the length may be at most 65,535/);
    expect(await healthy()).toBe(200);
    // The cancelled session was not handed to the next caller: the next query is fine.
    expect((await sync(adql('SELECT TOP 1 obs_id FROM ivoa.obscore'))).status).toBe(200);
  });

  it('a result past ARCHIVE_TAP_MAX_RESULT_BYTES ends with an error: in the sync VOTable, and as the async job\'s error with no file kept', async () => {
    const query = 'SELECT a.obs_id, b.obs_id AS o2 FROM ivoa.obscore a, ivoa.obscore b, ivoa.obscore c';
    const r = await sync(adql(query));
    expect(r.status).toBe(200); // the answer had begun
    expect(status(r.text)).toEqual(['OK', 'ERROR']);
    expect(r.text).toMatch(/the result went past 60,000 bytes \(ARCHIVE_TAP_MAX_RESULT_BYTES\)/);
    expect(r.text.length).toBeLessThan(60_000 + 5_000);

    const url = await createJob(adql(query, { PHASE: 'RUN' }));
    const doc = await ended(url);
    expect(doc).toContain('<uws:phase>ERROR</uws:phase>');
    expect(doc).toMatch(/the result went past 60,000 bytes/);
    const id = url.split('/').pop()!;
    const dir = path.join(a.root, 'tap-results');
    expect(fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.startsWith(id)) : []).toEqual([]);
  });

  it('queries past ARCHIVE_TAP_SESSIONS wait, then get 503 with Retry-After; GraphQL and /healthz answer meanwhile', async () => {
    // A six-way cross join of the 30-row catalogue: runs until the 4 s statement timeout.
    const slow = `SELECT COUNT(*) AS n FROM ${['a', 'b', 'c', 'd', 'e', 'f'].map((x) => `${a.published.catalogue} ${x}`).join(', ')}`;
    const running = sync(adql(slow), a.admin);
    try {
      // The join itself, FETCHed from its cursor in its session (so holding the one place): not its
      // compilation, whose catalogue statements run before the session is entered.
      await eventually(async () => {
        const { rows } = await a.database.pool.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'FETCH % FROM vo\\_stream\\_%' AND state = 'active'`);
        return rows[0].n > 0 ? true : undefined;
      }, 30_000, 'the slow query running');
      const busy = await sync(adql('SELECT TOP 1 obs_id FROM ivoa.obscore'));
      expect(busy.status).toBe(503);
      expect(busy.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(busy.text).toContain('ARCHIVE_TAP_SESSIONS');
      const scs = await fetch(`${a.served.base}/scs?RA=0&DEC=0&SR=1`);
      expect(scs.status).toBe(503);
      expect(await healthy()).toBe(200);
      const gql = await fetch(`${a.served.base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ surveys { name } }' }) });
      expect(gql.status).toBe(200);
      expect((await running).text).toMatch(/limit of 4 s/);
    } finally {
      await running; // its session ends before the next test, pass or fail
    }
    // Its place is free again.
    expect((await sync(adql('SELECT TOP 1 obs_id FROM ivoa.obscore'))).status).toBe(200);
  });

  it('mistakes the database finds are 400s that say what: types, a NUL character, an expression nested past the stack', async () => {
    const cases: [Record<string, string>, RegExp][] = [
      [adql('SELECT TOP 1 obs_id + 1 FROM ivoa.obscore'), /does not type-check: operator does not exist/],
      [adql('SELECT TOP 1 s_ra FROM ivoa.obscore WHERE obs_id = 1'), /does not type-check/],
      [adql('SELECT TOP 1 SUM(obs_id) FROM ivoa.obscore'), /does not type-check/],
      [adql(`SELECT TOP 1 obs_id FROM ivoa.obscore WHERE obs_id = 'a\u0000b'`), /NUL character/],
      [adql(`SELECT TOP 1 ${Array(19_000).fill('s_ra').join('+')} FROM ivoa.obscore`), /nests more than 500 operations deep/],
      // Each level of subquery repeats the one below ten times: no expression is deep, no CAST,
      // and the value would be ~40 x 10^4 characters (seven levels killed the process).
      [adql(nested(4)), /a string concatenation \(\|\|\) in the query grew past 65,535 characters/],
    ];
    for (const [params, message] of cases) {
      const r = await sync(params);
      expect(r.status, params.QUERY.slice(0, 60)).toBe(400);
      expect(status(r.text)).toEqual(['ERROR']);
      expect(r.text).toMatch(message);
    }
    const table = await fetch(`${a.tap}/tables/tapt_dr1.sky%00`);
    expect(table.status).toBe(400);
    expect(await table.text()).toMatch(/NUL/);
    const sia = await fetch(`${a.served.base}/sia/query?COLLECTION=a%00b`);
    expect(sia.status).toBe(400);
    expect(await sia.text()).toMatch(/COLLECTION contains a NUL character/);
    const ssa = await fetch(`${a.served.base}/ssa?REQUEST=queryData&TARGETNAME=a%00b`);
    expect(ssa.status).toBe(200); // SSA reports errors in the document
    expect(await ssa.text()).toMatch(/TARGETNAME contains a NUL character/);
  });

  it('an async job whose process died running it ends in ERROR at its next attempt, not run again (it may have been what killed it)', async () => {
    const url = await createJob(adql('SELECT TOP 1 obs_id FROM ivoa.obscore'));
    const id = url.split('/').pop()!;
    // As a worker leaves it when the process dies mid-query: claimed, started, a partial file.
    const { rows } = await a.database.pool.query<{ result_path: string }>(`UPDATE tap_jobs SET phase = 'EXECUTING', started_at = now() - interval '1 minute' WHERE id = $1 RETURNING result_path`, [id]);
    fs.mkdirSync(path.dirname(rows[0].result_path), { recursive: true });
    fs.writeFileSync(`${rows[0].result_path}.part`, 'partial');
    await executeTapJob(a.database.pool, id, createLogger('silent'));
    const doc = await (await fetch(url)).text();
    expect(doc).toContain('<uws:phase>ERROR</uws:phase>');
    expect(doc).toMatch(/the service stopped while this job ran .*it was not run again/);
    expect(fs.existsSync(`${rows[0].result_path}.part`)).toBe(false);
  });

  it('an async job finds the store of results full (ARCHIVE_TAP_RESULTS_MAX_BYTES) and ends in ERROR, writing nothing', async () => {
    // Results kept from earlier jobs: 100,000 bytes, the whole quota here.
    const dir = path.join(a.root, 'tap-results');
    fs.mkdirSync(dir, { recursive: true });
    const kept = path.join(dir, 'kept-earlier.vot');
    fs.writeFileSync(kept, Buffer.alloc(100_000));
    try {
      const doc = await ended(await createJob(adql('SELECT TOP 1 obs_id FROM ivoa.obscore', { PHASE: 'RUN' })));
      expect(doc).toContain('<uws:phase>ERROR</uws:phase>');
      expect(doc).toMatch(/store of async results is full \(ARCHIVE_TAP_RESULTS_MAX_BYTES, 100,000 bytes\)/);
      expect(fs.readdirSync(dir)).toEqual(['kept-earlier.vot']);
    } finally {
      fs.rmSync(kept);
    }
  });
});
