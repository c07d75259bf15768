/**
 * Simple Cone Search 1.03 against a real server over real ingests (test/vo/services-fixture.ts):
 * the required fields (UCD1 ucds, read back by astropy with verify='exception'), cone contents
 * nearest first, VERB, MAXREC overflow, SR=0, the error document (HTTP 200, INFO name="Error"),
 * catalogue tables, and drafts: invisible anonymously (a draft's table reads as unknown),
 * visible with a token.
 */
import { describe, expect, it } from 'vitest';
import { angularDistanceDeg } from '../../src/sky/index.js';
import { parseScs, scsObscoreSql } from '../../src/vo/services/scs.js';
import { ServiceParams } from '../../src/vo/services/params.js';
import { withTapSession } from '../../src/vo/tap/session.js';
import { astropyRead } from './fixtures/readers.js';
import { column, did, servicesArchive, votlint } from './services-fixture.js';

const a = servicesArchive();
/** Records at (0, -85): source 0's spectra 0 and 2, image 0, cube 0. */
const AT_SOURCE_0 = ['spectra/0000/spectrum_0000000.fits', 'spectra/0000/spectrum_0000002.fits', 'images/0000/image_0000000.fits', 'cubes/0000/cube_0000000.fits'];

async function cone(query: string, token = false) {
  const res = await a.get(`/scs?${query}`, { token });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/xml/);
  return astropyRead(await res.text());
}

describe('Simple Cone Search over ivoa.obscore', () => {
  it('answers the cone with the required fields, nearest first; drafts only with a token', async () => {
    const anon = await cone('RA=0&DEC=-85&SR=0.05');
    for (const ucd of ['ID_MAIN', 'POS_EQ_RA_MAIN', 'POS_EQ_DEC_MAIN']) expect(anon.fields.filter((f) => f.ucd === ucd)).toHaveLength(1);
    expect(anon.fields.find((f) => f.ucd === 'ID_MAIN')!.datatype).toMatch(/char/i);
    expect(anon.fields.find((f) => f.ucd === 'POS_EQ_RA_MAIN')!.datatype).toBe('double');
    expect(anon.fields.find((f) => f.ucd === 'POS_EQ_DEC_MAIN')!.datatype).toBe('double');
    const published = AT_SOURCE_0.map((p) => did(a.published.records.get(p)!));
    const draft = AT_SOURCE_0.map((p) => did(a.draft.records.get(p)!));
    expect(column<string>(anon, 'id').sort()).toEqual([...published].sort());
    const distances = column<string>(anon, 'distance').map(Number);
    expect(distances).toEqual([...distances].sort((x, y) => x - y));
    expect(Math.max(...distances)).toBeLessThanOrEqual(0.05);
    const ras = column<string>(anon, 'ra').map(Number);
    const decs = column<string>(anon, 'dec').map(Number);
    ras.forEach((ra, i) => expect(angularDistanceDeg(0, -85, ra, decs[i])).toBeCloseTo(distances[i], 9));

    const withToken = await cone('RA=0&DEC=-85&SR=0.05', true);
    expect(column<string>(withToken, 'id').sort()).toEqual([...published, ...draft].sort());
  });

  it('VERB 1 gives the minimum, 3 more than the default 2', async () => {
    const v1 = await cone('RA=0&DEC=-85&SR=0.05&VERB=1');
    const v2 = await cone('RA=0&DEC=-85&SR=0.05');
    const v3 = await cone('RA=0&DEC=-85&SR=0.05&VERB=3');
    expect(v1.fields.map((f) => f.name)).toEqual(['id', 'ra', 'dec', 'distance']);
    expect(v2.fields.length).toBeGreaterThan(4);
    expect(v3.fields.length).toBeGreaterThan(v2.fields.length);
    expect(column(v2, 'dataproduct_type').sort()).toEqual(['cube', 'image', 'spectrum', 'spectrum']);
  });

  it('MAXREC cuts the answer and says OVERFLOW; SR=0 is a metadata answer, not an error', async () => {
    const cutDoc = await (await a.get('/scs?RA=0&DEC=-85&SR=0.05&MAXREC=2')).text();
    expect(await votlint(cutDoc)).toEqual([]);
    const cut = astropyRead(cutDoc);
    expect(cut.rows).toHaveLength(2);
    expect(cut.infos.map((i) => `${i[0]}=${i[1]}`)).toContain('QUERY_STATUS=OVERFLOW');
    const zero = await cone('RA=10&DEC=10&SR=0');
    expect(zero.rows).toHaveLength(0);
    expect(zero.fields.filter((f) => f.ucd === 'ID_MAIN')).toHaveLength(1);
    expect(zero.infos.map((i) => `${i[0]}=${i[1]}`)).toContain('QUERY_STATUS=OK');
  });

  it.each([
    ['RA=as3f&DEC=-85&SR=0.1', /RA: &quot;as3f&quot; is not a number/],
    ['RA=0&DEC=-85', /SR is required/],
    ['RA=0&DEC=91&SR=0.1', /DEC: 91 is out of range/],
    ['RA=0&DEC=0&SR=11', /largest search radius, 10 degrees/],
    ['RA=0&DEC=0&SR=1&VERB=9', /VERB/],
  ])('%s: HTTP 200 and a VOTable whose INFO name="Error" says why', async (query, message) => {
    const res = await a.get(`/scs?${query}`);
    expect(res.status).toBe(200);
    const body = await res.text();
    expect(body).toMatch(/<VOTABLE[^>]*>\s*<INFO ID="Error" name="Error" value="[^"]+"\/>/);
    expect(body).toMatch(message);
    // The same document is a valid VOTable whose results resource says ERROR (DALI clients).
    expect(astropyRead(body).infos[0].slice(0, 2)).toEqual(['QUERY_STATUS', 'ERROR']);
  });

  it('a wrong token is refused (401), not treated as anonymous', async () => {
    const res = await fetch(`${a.base}/scs?RA=0&DEC=-85&SR=0.05`, { headers: { authorization: 'Bearer nope' } });
    expect(res.status).toBe(401);
    expect(await res.text()).toMatch(/name="Error"/);
  });

  it("the cone's pixel ranges reach the records' hpx btree through the view's security barrier", async () => {
    const stmt = scsObscoreSql(parseScs(ServiceParams.from({ RA: '0', DEC: '-85', SR: '0.05' }), 100));
    const plan = await withTapSession(a.database.pool, 'anonymous', { timeoutMs: 10_000 }, async (c) => {
      // Few rows here: without this the planner reads the table whatever the indexes.
      await c.query('SET LOCAL enable_seqscan = off');
      return (await c.query(`EXPLAIN ${stmt.sql}`, stmt.params)).rows.map((r) => r['QUERY PLAN']).join('\n');
    });
    expect(plan).toMatch(/records_hpx_idx/);
  });

  it('VOSI capabilities and availability', async () => {
    const caps = await (await a.get('/scs/capabilities')).text();
    expect(caps).toContain('standardID="ivo://ivoa.net/std/ConeSearch"');
    expect(caps).toContain(`<accessURL use="base">${a.base}/scs?</accessURL>`);
    expect(caps).toMatch(/<maxSR>10<\/maxSR>/);
    expect(await (await a.get('/scs/availability')).text()).toMatch(/<avail:available>true<\/avail:available>/);
  });
});

describe('Simple Cone Search over a catalogue table', () => {
  it('rows within the cone, ID_MAIN the row number, RA/Dec with the SCS ucds', async () => {
    const res = await a.get(`/scs/${a.published.catalogue}?RA=160&DEC=-20&SR=0.3`);
    expect(res.status).toBe(200);
    const t = astropyRead(await res.text());
    expect(t.fields.find((f) => f.ucd === 'ID_MAIN')!.name).toBe('_row');
    const ra = t.fields.find((f) => f.ucd === 'POS_EQ_RA_MAIN')!.name;
    const dec = t.fields.find((f) => f.ucd === 'POS_EQ_DEC_MAIN')!.name;
    expect(t.rows.length).toBeGreaterThan(0);
    const ras = column<string>(t, ra).map(Number);
    const decs = column<string>(t, dec).map(Number);
    ras.forEach((r, i) => expect(angularDistanceDeg(160, -20, r, decs[i])).toBeLessThanOrEqual(0.3 + 1e-9));
    expect(new Set(column(t, '_row')).size).toBe(t.rows.length);
    // Brute force over the whole table: the same rows.
    const all = await a.database.pool.query(`SELECT "_row"::text AS r, ${JSON.stringify(ra)} AS ra, ${JSON.stringify(dec)} AS dec FROM ${a.published.catalogue}`);
    const expected = all.rows.filter((r) => angularDistanceDeg(160, -20, Number(r.ra), Number(r.dec)) <= 0.3).map((r) => r.r);
    expect(column<string>(t, '_row').sort()).toEqual(expected.sort());
    const v3 = astropyRead(await (await a.get(`/scs/${a.published.catalogue}?RA=160&DEC=-20&SR=0.3&VERB=3`)).text());
    expect(v3.fields.map((f) => f.name)).toEqual(expect.arrayContaining(['cataid', 'mag_r']));
  });

  it("a draft's table is unknown to anonymous callers (same answer as a missing one) and there with a token", async () => {
    const hidden = await a.get(`/scs/${a.draft.catalogue}?RA=160&DEC=-20&SR=0.3`);
    const missing = await a.get(`/scs/nosuch.table?RA=160&DEC=-20&SR=0.3`);
    expect(hidden.status).toBe(404);
    expect(missing.status).toBe(404);
    const strip = (s: string, name: string) => s.replaceAll(name, 'NAME');
    expect(strip(await hidden.text(), a.draft.catalogue)).toBe(strip(await missing.text(), 'nosuch.table'));
    const seen = await a.get(`/scs/${a.draft.catalogue}?RA=160&DEC=-20&SR=0.3`, { token: true });
    expect(seen.status).toBe(200);
    expect(astropyRead(await seen.text()).rows.length).toBeGreaterThan(0);
  });
});
