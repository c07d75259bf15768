/**
 * TAP over HTTP against a real server, worker and ingested releases (one published, one draft):
 * /tap/sync status codes, parameters (names in any case), formats read back by astropy and
 * Python's csv, MAXREC (default, 0, ceiling, overflow), errors as VOTable documents, drafts
 * hidden from anonymous callers and shown to tokens, a bad token, the statement timeout, a client
 * that goes away; /tap/async jobs (create, run, wait, result file, error, abort, delete, owner
 * rules, destruction); VOSI documents.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { astropyRead, delimitedRead } from './fixtures/readers.js';
import { eventually, tapArchive } from './tap-http-fixture.js';

// One async job at a time (the worker itself would run two).
const a = tapArchive({ ARCHIVE_TAP_MAXREC_DEFAULT: '7', ARCHIVE_TAP_MAXREC_LIMIT: '50', ARCHIVE_TAP_SYNC_TIMEOUT_MS: '4000', ARCHIVE_TAP_ASYNC_CONCURRENCY: '1' });

const auth = (token: string | undefined): Record<string, string> => (token ? { authorization: `Bearer ${token}` } : {});

async function sync(params: Record<string, string>, o: { token?: string; method?: 'GET' | 'POST' } = {}) {
  const body = new URLSearchParams(params);
  const res =
    o.method === 'POST'
      ? await fetch(`${a.tap}/sync`, { method: 'POST', body, headers: auth(o.token) })
      : await fetch(`${a.tap}/sync?${body}`, { headers: auth(o.token) });
  return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
}

const adql = (query: string, extra: Record<string, string> = {}) => ({ LANG: 'ADQL', QUERY: query, ...extra });
const status = (doc: string) => [...doc.matchAll(/<INFO name="QUERY_STATUS" value="([A-Z]+)"/g)].map((m) => m[1]);
/**
 * A query PostgreSQL needs far longer than any limit here for, whatever the machine: a six-way
 * cross join of the 30-row catalogue (7e8 rows to count). Plain tables, so it plans at once.
 */
const slow = () => `SELECT COUNT(*) AS n FROM ${['a', 'b', 'c', 'd', 'e', 'f'].map((x) => `${a.published.catalogue} ${x}`).join(', ')}`;

describe('/tap/sync', () => {
  it('answers a query with a VOTable astropy reads, by GET and by POST, parameter names in any case', async () => {
    const get = await sync(adql('SELECT COUNT(*) AS n FROM ivoa.obscore'));
    expect(get.status).toBe(200);
    expect(get.type).toBe('application/x-votable+xml');
    const n = Number(astropyRead(get.text).rows[0][0]);
    expect(n).toBe(a.published.records);
    const post = await sync({ lang: 'ADQL', query: 'SELECT TOP 3 obs_id, s_ra, s_dec FROM ivoa.obscore ORDER BY obs_id', request: 'doQuery' }, { method: 'POST' });
    expect(post.status).toBe(200);
    const t = astropyRead(post.text);
    expect(t.fields.map((f) => f.name)).toEqual(['obs_id', 's_ra', 's_dec']);
    expect(t.rows).toHaveLength(3);
  });

  it('shows drafts to a token and hides them from anonymous callers (ObsCore rows and catalogue tables)', async () => {
    const anon = Number(astropyRead((await sync(adql('SELECT COUNT(*) AS n FROM ivoa.obscore'))).text).rows[0][0]);
    const token = Number(astropyRead((await sync(adql('SELECT COUNT(*) AS n FROM ivoa.obscore'), { token: a.admin })).text).rows[0][0]);
    expect(anon).toBe(a.published.records);
    expect(token).toBe(a.published.records + a.draft.records);
    const hidden = await sync(adql(`SELECT COUNT(*) FROM ${a.draft.catalogue}`));
    expect(hidden.status).toBe(400);
    expect(status(hidden.text)).toEqual(['ERROR']);
    expect(hidden.text).toContain(a.draft.catalogue.split('.')[1]);
    const shown = await sync(adql(`SELECT COUNT(*) AS n FROM ${a.draft.catalogue}`), { token: a.other });
    expect(shown.status).toBe(200);
    expect(Number(astropyRead(shown.text).rows[0][0])).toBeGreaterThan(0);
    const published = await sync(adql(`SELECT COUNT(*) AS n FROM ${a.published.catalogue}`));
    expect(published.status).toBe(200);
  });

  it('applies MAXREC: the default, 0 (metadata only), a cut with OVERFLOW, and the ceiling', async () => {
    const all = 'SELECT obs_id FROM ivoa.obscore';
    const byDefault = await sync(adql(all));
    expect(astropyRead(byDefault.text).rows).toHaveLength(7);
    expect(status(byDefault.text)).toEqual(['OK', 'OVERFLOW']);
    const zero = astropyRead((await sync(adql(all, { MAXREC: '0' }))).text);
    expect(zero.rows).toHaveLength(0);
    expect(zero.fields.map((f) => f.name)).toEqual(['obs_id']);
    const three = await sync(adql(all, { maxrec: '3' }));
    expect(astropyRead(three.text).rows).toHaveLength(3);
    expect(status(three.text)).toEqual(['OK', 'OVERFLOW']);
    const enough = await sync(adql(all, { MAXREC: String(a.published.records) }));
    expect(astropyRead(enough.text).rows).toHaveLength(a.published.records);
    expect(status(enough.text)).toEqual(['OK']);
    // The ceiling (50 here) wins over a larger ask, quietly (TAP 1.1 §2.7.4).
    const big = await sync(adql(`SELECT TOP 60 a.obs_id FROM ivoa.obscore a, ivoa.obscore b`, { MAXREC: '1000000' }), { token: a.admin });
    expect(astropyRead(big.text).rows).toHaveLength(50);
    expect(status(big.text)).toEqual(['OK', 'OVERFLOW']);
  });

  it('writes BINARY2, CSV and TSV, and echoes a requested media type', async () => {
    const q = 'SELECT TOP 4 obs_id, s_ra FROM ivoa.obscore ORDER BY obs_id';
    const td = astropyRead((await sync(adql(q))).text).rows;
    const b2 = await sync(adql(q, { RESPONSEFORMAT: 'votable/b2' }));
    expect(b2.type).toBe('application/x-votable+xml;serialization=binary2');
    expect(b2.text).toContain('<BINARY2>');
    expect(astropyRead(b2.text).rows).toEqual(td);
    const csv = await sync(adql(q, { RESPONSEFORMAT: 'csv' }));
    expect(csv.type).toMatch(/^text\/csv/);
    const c = delimitedRead('csv', csv.text);
    expect(c.header).toEqual(['obs_id', 's_ra']);
    expect(c.rows.map((r) => r[0])).toEqual(td.map((r) => r[0]));
    const tsv = await sync(adql(q, { FORMAT: 'text/tab-separated-values' }));
    expect(tsv.type).toBe('text/tab-separated-values');
    expect(delimitedRead('tsv', tsv.text).rows).toHaveLength(4);
    const xml = await sync(adql(q, { RESPONSEFORMAT: 'text/xml' }));
    expect(xml.type).toBe('text/xml');
    expect(astropyRead(xml.text).rows).toEqual(td);
  });

  it('answers mistakes with 400 and a VOTable error document that says what to fix', async () => {
    const cases: [Record<string, string>, RegExp][] = [
      [adql('SELECT FROM WHERE'), /line 1, column \d+/],
      [adql('SELECT nothing FROM no_such.table'), /no_such/],
      [adql('SELECT no_such_column FROM ivoa.obscore'), /no_such_column/],
      [{ LANG: 'ADQL' }, /QUERY is missing/],
      [{ QUERY: 'SELECT 1 FROM ivoa.obscore' }, /LANG is missing/],
      [adql('SELECT TOP 1 s_ra FROM ivoa.obscore', { LANG: 'SQL' }), /LANG=SQL/],
      [adql('SELECT TOP 1 s_ra FROM ivoa.obscore', { REQUEST: 'getCapabilities' }), /REQUEST=getCapabilities/],
      [adql('SELECT TOP 1 s_ra FROM ivoa.obscore', { MAXREC: '-1' }), /MAXREC/],
      [adql('SELECT TOP 1 s_ra FROM ivoa.obscore', { RESPONSEFORMAT: 'fits' }), /RESPONSEFORMAT/],
    ];
    for (const [params, message] of cases) {
      const r = await sync(params);
      expect(r.status, JSON.stringify(params)).toBe(400);
      expect(r.type).toMatch(/^application\/x-votable\+xml/);
      expect(status(r.text)).toEqual(['ERROR']);
      expect(r.text).toMatch(message);
    }
    const badToken = await fetch(`${a.tap}/sync?${new URLSearchParams(adql('SELECT TOP 1 s_ra FROM ivoa.obscore'))}`, { headers: auth('aa_nonsense') });
    expect(badToken.status).toBe(401);
    expect(badToken.headers.get('www-authenticate')).toBe('Bearer');
    expect(status(await badToken.text())).toEqual(['ERROR']);
  });

  it('stops a query at the sync time limit and says so', async () => {
    const r = await sync(adql(slow()), { token: a.admin });
    expect(r.status).toBe(400);
    expect(status(r.text)).toEqual(['ERROR']);
    expect(r.text).toMatch(/limit of 4 s/);
  });

  it('cancels the query in the database when the client goes away', async () => {
    const controller = new AbortController();
    const req = fetch(`${a.tap}/sync?${new URLSearchParams(adql(slow()))}`, { headers: auth(a.admin), signal: controller.signal }).catch((e: Error) => e);
    const running = () => a.database.pool.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND query LIKE '%count(*) AS "n"%AS "t6"%' AND state = 'active' AND pid <> pg_backend_pid()`);
    await eventually(async () => ((await running()).rows[0].n > 0 ? true : undefined), 10_000, 'the query starting');
    controller.abort();
    await req;
    // Well before the 4 s statement timeout would have ended it.
    const t0 = Date.now();
    await eventually(async () => ((await running()).rows[0].n === 0 ? true : undefined), 5_000, 'the query being cancelled');
    expect(Date.now() - t0).toBeLessThan(3000);
  });
});

interface Job {
  url: string;
  id: string;
}

async function create(params: Record<string, string>, token?: string): Promise<Job> {
  const res = await fetch(`${a.tap}/async`, { method: 'POST', body: new URLSearchParams(params), headers: auth(token), redirect: 'manual' });
  expect(res.status).toBe(303);
  const url = res.headers.get('location')!;
  expect(url).toMatch(/\/tap\/async\/[0-9a-f]{32}$/);
  return { url, id: url.split('/').pop()! };
}

const get = async (url: string, token?: string) => {
  const res = await fetch(url, { headers: auth(token) });
  return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
};
const post = (url: string, params: Record<string, string>, token?: string) =>
  fetch(url, { method: 'POST', body: new URLSearchParams(params), headers: auth(token), redirect: 'manual' });
const phaseOf = (doc: string) => /<uws:phase>([A-Z]+)<\/uws:phase>/.exec(doc)?.[1];

async function waitDone(job: Job, token?: string): Promise<string> {
  return eventually(async () => {
    const doc = (await get(`${job.url}?WAIT=5`, token)).text;
    return ['COMPLETED', 'ERROR', 'ABORTED'].includes(phaseOf(doc)!) ? doc : undefined;
  }, 120_000, `job ${job.id} ending`);
}

describe('/tap/async', () => {
  it('creates a PENDING job, runs it on PHASE=RUN and serves the result file, then deletes job and file', async () => {
    const job = await create(adql('SELECT TOP 5 obs_id, s_ra FROM ivoa.obscore ORDER BY obs_id', { RUNID: 'mine' }));
    const pending = await get(job.url);
    expect(pending.status).toBe(200);
    expect(pending.type).toMatch(/^text\/xml/);
    expect(phaseOf(pending.text)).toBe('PENDING');
    expect(pending.text).toContain('<uws:runId>mine</uws:runId>');
    expect(pending.text).toMatch(/<uws:parameter id="query">SELECT TOP 5/);
    expect((await get(`${job.url}/phase`)).text).toBe('PENDING');
    expect((await get(`${job.url}/executionduration`)).text).toBe(String(a.config.tapLimits.asyncDurationDefaultS));
    expect(new Date((await get(`${job.url}/destruction`)).text).getTime()).toBeGreaterThan(Date.now());

    const run = await post(`${job.url}/phase`, { PHASE: 'RUN' });
    expect(run.status).toBe(303);
    const done = await waitDone(job);
    expect(phaseOf(done)).toBe('COMPLETED');
    expect(done).toMatch(/<uws:result id="result" xlink:type="simple" xlink:href="[^"]+\/results\/result" mime-type="application\/x-votable\+xml" size="\d+"\/>/);
    const result = await get(`${job.url}/results/result`);
    expect(result.status).toBe(200);
    expect(result.type).toBe('application/x-votable+xml');
    const sync5 = astropyRead((await sync(adql('SELECT TOP 5 obs_id, s_ra FROM ivoa.obscore ORDER BY obs_id'))).text).rows;
    expect(astropyRead(result.text).rows).toEqual(sync5);
    const file = path.join(a.root, 'tap-results', `${job.id}.vot`);
    expect(fs.existsSync(file)).toBe(true);

    const del = await fetch(job.url, { method: 'DELETE', redirect: 'manual' });
    expect(del.status).toBe(303);
    expect((await get(job.url)).status).toBe(404);
    expect(fs.existsSync(file)).toBe(false);
  });

  it('runs at once with PHASE=RUN, writes CSV when asked, and deletes with POST ACTION=DELETE', async () => {
    const job = await create(adql('SELECT TOP 2 s_ra FROM ivoa.obscore', { PHASE: 'RUN', RESPONSEFORMAT: 'csv' }));
    expect(phaseOf(await waitDone(job))).toBe('COMPLETED');
    const csv = await get(`${job.url}/results/result`);
    expect(csv.type).toMatch(/^text\/csv/);
    expect(delimitedRead('csv', csv.text).rows).toHaveLength(2);
    const del = await post(job.url, { ACTION: 'DELETE' });
    expect(del.status).toBe(303);
    expect(del.headers.get('location')).toMatch(/\/tap\/async$/);
    expect((await get(job.url)).status).toBe(404);
  });

  it('ends a bad query in ERROR with the message in errorSummary and /error', async () => {
    const job = await create(adql('SELECT nothing FROM no_such_table', { PHASE: 'RUN' }));
    const doc = await waitDone(job);
    expect(phaseOf(doc)).toBe('ERROR');
    expect(doc).toMatch(/<uws:errorSummary type="fatal" hasDetail="true">\s*<uws:message>[^<]*no_such_table/);
    const error = await get(`${job.url}/error`);
    expect(error.status).toBe(200);
    expect(status(error.text)).toEqual(['ERROR']);
    expect(error.text).toContain('no_such_table');
    expect((await get(`${job.url}/results/result`)).status).toBe(404);
    // Parameters are checked when the job runs: it is created whatever they say (TAP 1.1 §2.2).
    const badLang = await create(adql('SELECT TOP 1 s_ra FROM ivoa.obscore', { LANG: 'SQL', PHASE: 'RUN' }));
    const bad = await waitDone(badLang);
    expect(phaseOf(bad)).toBe('ERROR');
    expect(bad).toContain('LANG=SQL is not supported');
  });

  it('ends a job past its execution duration, and aborts a running one', async () => {
    const timed = await create({ ...adql(slow()), EXECUTIONDURATION: '1' }, a.admin);
    expect((await get(`${timed.url}/executionduration`, a.admin)).text).toBe('1');
    await post(`${timed.url}/phase`, { PHASE: 'RUN' }, a.admin);
    const doc = await waitDone(timed, a.admin);
    expect(phaseOf(doc)).toBe('ERROR');
    expect(doc).toMatch(/limit of 1 s|execution duration/);

    const long = await create({ ...adql(slow()), PHASE: 'RUN' }, a.admin);
    await eventually(async () => (phaseOf((await get(long.url, a.admin)).text) === 'EXECUTING' ? true : undefined), 60_000, 'the job executing');
    const abort = await post(`${long.url}/phase`, { PHASE: 'ABORT' }, a.admin);
    expect(abort.status).toBe(303);
    expect(phaseOf((await get(long.url, a.admin)).text)).toBe('ABORTED');
    // The worker notices and the database stops the statement (well before the 600 s duration).
    await eventually(async () => {
      const { rows } = await a.database.pool.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND query LIKE '%count(*) AS "n"%AS "t6"%' AND state = 'active' AND pid <> pg_backend_pid()`);
      return rows[0].n === 0 ? true : undefined;
    }, 15_000, 'the aborted query stopping');
    expect(phaseOf((await get(long.url, a.admin)).text)).toBe('ABORTED');
  });

  it('executes no more async jobs at once than the cap; the next one waits QUEUED', async () => {
    const first = await create({ ...adql(slow()), PHASE: 'RUN' });
    const second = await create({ ...adql(slow()), PHASE: 'RUN' });
    await eventually(async () => (phaseOf((await get(first.url)).text) === 'EXECUTING' ? true : undefined), 60_000, 'the first job executing');
    // The worker has a free slot (it runs two jobs at once), but the cap is one.
    const t0 = Date.now();
    while (Date.now() - t0 < 1500) {
      const [one, two] = [phaseOf((await get(first.url)).text), phaseOf((await get(second.url)).text)];
      expect(two, `the first job is ${one}`).toBe('QUEUED');
      await new Promise((r) => setTimeout(r, 100));
    }
    await post(`${first.url}/phase`, { PHASE: 'ABORT' });
    await eventually(async () => (phaseOf((await get(second.url)).text) === 'EXECUTING' ? true : undefined), 60_000, 'the second job executing');
    await post(`${second.url}/phase`, { PHASE: 'ABORT' });
    expect(phaseOf((await get(second.url)).text)).toBe('ABORTED');
  });

  it('shows a token job to its token only, an anonymous one to anyone with its id; lists only the caller\'s jobs', async () => {
    const mine = await create(adql('SELECT TOP 1 s_ra FROM ivoa.obscore'), a.admin);
    expect((await get(mine.url, a.admin)).status).toBe(200);
    expect((await get(mine.url)).status).toBe(404);
    expect((await get(mine.url, a.other)).status).toBe(404);
    expect((await post(`${mine.url}/phase`, { PHASE: 'RUN' }, a.other)).status).toBe(404);
    expect((await fetch(mine.url, { method: 'DELETE', headers: auth(a.other) })).status).toBe(404);
    expect((await get(`${mine.url}/owner`, a.admin)).text).toBe('tap admin');

    const anon = await create(adql('SELECT TOP 1 s_ra FROM ivoa.obscore'));
    expect((await get(anon.url)).status).toBe(200);
    expect((await get(anon.url, a.other)).status).toBe(200);
    expect((await get(`${a.tap}/async/${'0'.repeat(32)}`)).status).toBe(404);

    const list = (await get(`${a.tap}/async`, a.admin)).text;
    expect(list).toContain(`id="${mine.id}"`);
    expect(list).not.toContain(anon.id);
    expect((await get(`${a.tap}/async`, a.other)).text).not.toContain(mine.id);
    expect((await get(`${a.tap}/async`)).text).not.toContain(anon.id);
    expect((await get(`${a.tap}/async?PHASE=COMPLETED`, a.admin)).text).not.toContain(mine.id);
    expect((await get(`${a.tap}/async?PHASE=PENDING&LAST=1`, a.admin)).text).toContain(mine.id);
  });

  it('runs a token job as the token (drafts visible) and an anonymous one without', async () => {
    const q = adql('SELECT COUNT(*) AS n FROM ivoa.obscore', { PHASE: 'RUN' });
    const withToken = await create(q, a.admin);
    const anonymous = await create(q);
    await waitDone(withToken, a.admin);
    await waitDone(anonymous);
    expect(Number(astropyRead((await get(`${withToken.url}/results/result`, a.admin)).text).rows[0][0])).toBe(a.published.records + a.draft.records);
    expect(Number(astropyRead((await get(`${anonymous.url}/results/result`)).text).rows[0][0])).toBe(a.published.records);
  });

  it('changes parameters, execution duration and destruction while PENDING, and destroys the job at its destruction time', async () => {
    const job = await create(adql('SELECT TOP 1 s_ra FROM ivoa.obscore'));
    expect((await post(`${job.url}/parameters`, { QUERY: 'SELECT TOP 2 s_ra FROM ivoa.obscore' })).status).toBe(303);
    expect((await get(`${job.url}/parameters`)).text).toContain('SELECT TOP 2 s_ra');
    expect((await post(`${job.url}/executionduration`, { EXECUTIONDURATION: '100000' })).status).toBe(303);
    expect((await get(`${job.url}/executionduration`)).text).toBe(String(a.config.tapLimits.asyncDurationLimitS));
    // WAIT on a PENDING job returns after the wait, still PENDING.
    const t0 = Date.now();
    expect(phaseOf((await get(`${job.url}?WAIT=1`)).text)).toBe('PENDING');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
    await post(`${job.url}/phase`, { PHASE: 'RUN' });
    expect(phaseOf(await waitDone(job))).toBe('COMPLETED');
    expect(astropyRead((await get(`${job.url}/results/result`)).text).rows).toHaveLength(2);
    expect((await post(`${job.url}/parameters`, { QUERY: 'SELECT 1' })).status).toBe(409);
    const file = path.join(a.root, 'tap-results', `${job.id}.vot`);
    expect(fs.existsSync(file)).toBe(true);
    const soon = new Date(Date.now() + 1500).toISOString();
    expect((await post(`${job.url}/destruction`, { DESTRUCTION: soon })).status).toBe(303);
    await eventually(async () => ((await get(job.url)).status === 404 && !fs.existsSync(file) ? true : undefined), 30_000, 'the job being destroyed');
    const { rows } = await a.database.pool.query(`SELECT count(*)::int AS n FROM tap_jobs WHERE id = $1`, [job.id]);
    expect(rows[0].n).toBe(0);
  });
});

describe('VOSI', () => {
  it('describes the service: capabilities with TAPRegExt, availability, tables from TAP_SCHEMA as the caller sees them', async () => {
    const caps = await get(`${a.tap}/capabilities`);
    expect(caps.status).toBe(200);
    expect(caps.text).toContain('standardID="ivo://ivoa.net/std/TAP" xsi:type="tr:TableAccess"');
    expect(caps.text).toContain(`<accessURL use="base">${a.tap}</accessURL>`);
    expect(caps.text).toContain('<hard unit="row">50</hard>');
    expect(caps.text).toContain('<alias>votable/b2</alias>');
    const avail = await get(`${a.tap}/availability`);
    expect(avail.text).toContain('<avail:available>true</avail:available>');
    const anon = await get(`${a.tap}/tables`);
    expect(anon.text).toContain('<name>ivoa.obscore</name>');
    expect(anon.text).toContain(`<name>${a.published.catalogue}</name>`);
    expect(anon.text).not.toContain(`<name>${a.draft.catalogue}</name>`);
    expect((await get(`${a.tap}/tables`, a.admin)).text).toContain(`<name>${a.draft.catalogue}</name>`);
    const one = await get(`${a.tap}/tables/ivoa.obscore`);
    expect(one.status).toBe(200);
    expect(one.text).toContain('<name>s_ra</name>');
    expect((await get(`${a.tap}/tables/${a.draft.catalogue}`)).status).toBe(404);
    expect((await get(`${a.tap}/tables/${a.draft.catalogue}`, a.admin)).status).toBe(200);
    const landing = await get(a.tap);
    expect(landing.status).toBe(200);
  });
});
