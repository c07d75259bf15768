/**
 * SIA 2.0 against a real server over real ingests (test/vo/services-fixture.ts): ObsCore columns
 * (read by astropy), images and cubes only, POS CIRCLE/RANGE/POLYGON on the footprints, every
 * parameter's semantics (values of one parameter OR, different parameters AND), MAXREC,
 * RESPONSEFORMAT, GET and POST, errors (HTTP 400, QUERY_STATUS=ERROR) and drafts.
 */
import { describe, expect, it } from 'vitest';
import { ServiceParams } from '../../src/vo/services/params.js';
import { parseSia, SIA_COLUMNS, siaQuerySql } from '../../src/vo/services/sia.js';
import { withTapSession } from '../../src/vo/tap/session.js';
import { astropyReadObscore, column, did, fetchRetry, servicesArchive, votlint } from './services-fixture.js';

const a = servicesArchive();
const IMAGE0 = 'images/0000/image_0000000.fits';
const IMAGE1 = 'images/0000/image_0000001.fits';
const CUBE0 = 'cubes/0000/cube_0000000.fits';
const pub = (...paths: string[]) => paths.map((p) => did(a.published.records.get(p)!));
const drf = (...paths: string[]) => paths.map((p) => did(a.draft.records.get(p)!));

async function sia(query: string, token = false) {
  const res = await a.get(`/sia/query?${query}`, { token });
  const body = await res.text();
  expect(res.status, body).toBe(200);
  return astropyReadObscore(body);
}
const found = async (query: string, token = false) => column<string>(await sia(query, token), 'obs_publisher_did').sort();
const q = (o: Record<string, string | string[]>) => {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(o)) for (const x of [v].flat()) u.append(k, x);
  return u.toString();
};

describe('SIA 2.0 query', () => {
  it('answers with the ObsCore columns, images and cubes only; drafts only with a token', async () => {
    const t = await sia(q({ POS: 'CIRCLE 0 -85 0.05' }));
    expect(t.fields.map((f) => f.name)).toEqual([...SIA_COLUMNS]);
    expect(t.fields.find((f) => f.name === 's_ra')!.ucd).toBe('pos.eq.ra');
    expect(column<string>(t, 'obs_publisher_did').sort()).toEqual(pub(IMAGE0, CUBE0).sort());
    expect(column(t, 'dataproduct_type').sort()).toEqual(['cube', 'image']);
    expect(await found(q({ POS: 'CIRCLE 0 -85 0.05' }), true)).toEqual([...pub(IMAGE0, CUBE0), ...drf(IMAGE0, CUBE0)].sort());
    // Without any parameter: every visible image and cube, never a spectrum.
    expect(await found('')).toEqual(pub(IMAGE0, IMAGE1, CUBE0).sort());
  });

  it('POS: CIRCLE, RANGE, POLYGON; repeated POS values OR', async () => {
    expect(await found(q({ POS: 'CIRCLE 0.137 -84.929 0.01' }))).toEqual(pub(IMAGE1));
    expect(await found(q({ POS: ['CIRCLE 0 -85 0.01', 'CIRCLE 0.137 -84.929 0.01'] }))).toEqual(pub(IMAGE0, IMAGE1, CUBE0).sort());
    expect(await found(q({ POS: 'RANGE 359 1 -85.1 -84.99' }))).toEqual(pub(IMAGE0, CUBE0).sort());
    expect(await found(q({ POS: 'RANGE 0 360 -90 -84.95' }))).toEqual(pub(IMAGE0, CUBE0).sort());
    expect(await found(q({ POS: 'POLYGON 359.5 -85.2 0.5 -85.2 0.5 -84.97 359.5 -84.97' }))).toEqual(pub(IMAGE0, CUBE0).sort());
    expect(await found(q({ POS: 'CIRCLE 180 0 1' }))).toEqual([]);
  });

  it('BAND, TIME, COLLECTION, DPTYPE, CALIB, TARGET, ID, INSTRUMENT, FORMAT: one parameter ORs, different ones AND', async () => {
    // Only the cube has a spectral axis (3700 Å + 32 planes of 1.25 Å).
    expect(await found(q({ BAND: '3.7e-7 3.71e-7' }))).toEqual(pub(CUBE0));
    expect(await found(q({ BAND: '3.705e-7' }))).toEqual(pub(CUBE0));
    expect(await found(q({ BAND: ['1e-7 2e-7', '3.7e-7 +Inf'] }))).toEqual(pub(CUBE0));
    expect(await found(q({ BAND: '1e-7 2e-7' }))).toEqual([]);
    expect(await found(q({ DPTYPE: 'cube' }))).toEqual(pub(CUBE0));
    expect(await found(q({ DPTYPE: ['cube', 'image'] }))).toEqual(pub(IMAGE0, IMAGE1, CUBE0).sort());
    expect(await found(q({ DPTYPE: 'image', POS: 'CIRCLE 0 -85 0.01' }))).toEqual(pub(IMAGE0));
    expect(await found(q({ COLLECTION: 'SVC/DR1', DPTYPE: 'cube' }))).toEqual(pub(CUBE0));
    expect(await found(q({ COLLECTION: 'SVC/DR2' }))).toEqual([]);
    expect(await found(q({ COLLECTION: 'SVC/DR2' }), true)).toEqual(drf(IMAGE0, IMAGE1, CUBE0).sort());
    expect(await found(q({ CALIB: '2' }))).toEqual(pub(IMAGE0, IMAGE1, CUBE0).sort());
    expect(await found(q({ CALIB: ['0', '1'] }))).toEqual([]);
    expect(await found(q({ TARGET: 'src 000001' }))).toEqual(pub(IMAGE1));
    expect(await found(q({ ID: [pub(IMAGE0)[0], pub(CUBE0)[0], drf(IMAGE0)[0]] }))).toEqual(pub(IMAGE0, CUBE0).sort());
    expect(await found(q({ FORMAT: 'application/fits', DPTYPE: 'image' }))).toEqual(pub(IMAGE0, IMAGE1).sort());
    expect(await found(q({ FORMAT: 'image/png' }))).toEqual([]);
    expect(await found(q({ INSTRUMENT: 'no such instrument' }))).toEqual([]);
    // The synthetic images and cubes carry no DATE-OBS: the published cube is given a time here.
    expect(await found(q({ TIME: '-Inf +Inf' }))).toEqual([]);
    await a.database.pool.query(`UPDATE records SET t_min = 58585.5, t_max = 58585.6, t_exptime = 1200 WHERE id = $1`, [a.published.records.get(CUBE0)]);
    expect(await found(q({ TIME: '58585.55' }))).toEqual(pub(CUBE0));
    expect(await found(q({ TIME: ['50000 50001', '58585.59 58590'] }))).toEqual(pub(CUBE0));
    expect(await found(q({ TIME: '58585.7 +Inf' }))).toEqual([]);
    expect(await found(q({ TIME: '58585 58586', BAND: '1e-7 2e-7' }))).toEqual([]);
    expect(await found(q({ EXPTIME: '1000 1300' }))).toEqual(pub(CUBE0));
    expect(await found(q({ EXPTIME: ['1 2', '3 4'] }))).toEqual([]);
  });

  it('MAXREC cuts (OVERFLOW); MAXREC=0 gives the columns only; RESPONSEFORMAT=csv; POST as GET', async () => {
    const cutDoc = await (await a.get(`/sia/query?${q({ MAXREC: '1' })}`)).text();
    expect(await votlint(cutDoc)).toEqual([]);
    const cut = astropyReadObscore(cutDoc);
    expect(cut.rows).toHaveLength(1);
    expect(cut.infos.filter((i) => i[0] === 'QUERY_STATUS').map((i) => i[1])).toEqual(['OK', 'OVERFLOW']);
    const none = await sia(q({ MAXREC: '0' }));
    expect(none.rows).toHaveLength(0);
    expect(none.fields).toHaveLength(SIA_COLUMNS.length);
    const csv = await a.get(`/sia/query?${q({ DPTYPE: 'cube', RESPONSEFORMAT: 'csv' })}`);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (await csv.text()).trim().split(/\r?\n/);
    expect(lines[0].split(',').slice(0, 3)).toEqual(['dataproduct_type', 'calib_level', 'obs_collection']);
    expect(lines).toHaveLength(2);
    const post = await fetchRetry(`${a.base}/sia/query`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: q({ POS: 'CIRCLE 0 -85 0.05', DPTYPE: 'image' }) });
    expect(post.status).toBe(200);
    expect(column(astropyReadObscore(await post.text()), 'obs_publisher_did')).toEqual(pub(IMAGE0));
  });

  it.each([
    [{ POS: 'CIRCLE 1 2' }, /CIRCLE takes 3 numbers/],
    [{ POS: 'POLYGON 0 0 2 0 2 2 1 1 0 2' }, /not convex/],
    [{ DPTYPE: 'spectrum' }, /DPTYPE/],
    [{ CALIB: 'x' }, /CALIB/],
    [{ BAND: '5e-7 4e-7' }, /reversed/],
    [{ RESPONSEFORMAT: 'application/pdf' }, /RESPONSEFORMAT|format/i],
    [{ MAXREC: '-1' }, /MAXREC/],
  ])('%o: HTTP 400 and QUERY_STATUS=ERROR saying why', async (params, message) => {
    const res = await a.get(`/sia/query?${q(params)}`);
    expect(res.status).toBe(400);
    const t = astropyReadObscore(await res.text());
    expect(t.infos[0].slice(0, 2)).toEqual(['QUERY_STATUS', 'ERROR']);
    expect(t.infos[0][2]).toMatch(message);
  });

  it("POS reaches the footprints' GiST index through the view's security barrier", async () => {
    const stmt = siaQuerySql(parseSia(ServiceParams.from({ POS: 'CIRCLE 0 -85 0.05' }), 100));
    const plan = await withTapSession(a.database.pool, 'anonymous', { timeoutMs: 10_000 }, async (c) => {
      await c.query('SET LOCAL enable_seqscan = off'); // few rows here: the planner would read them all
      return (await c.query(`EXPLAIN ${stmt.sql}`, stmt.params)).rows.map((r) => r['QUERY PLAN']).join('\n');
    });
    expect(plan).toMatch(/records_coverage_idx/);
  });

  it('VOSI capabilities name the query endpoint', async () => {
    const caps = await (await a.get('/sia/capabilities')).text();
    expect(caps).toContain('standardID="ivo://ivoa.net/std/SIA#query-2.0"');
    expect(caps).toContain(`<accessURL use="base">${a.base}/sia/query</accessURL>`);
    expect(await (await a.get('/sia/availability')).text()).toContain('<avail:available>true</avail:available>');
  });
});
