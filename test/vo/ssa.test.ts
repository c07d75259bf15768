/**
 * SSA 1.1 against a real server over real ingests (test/vo/services-fixture.ts): spectra only,
 * the required utypes (read by astropy with verify='exception'), POS/SIZE, BAND and TIME range
 * lists (elements OR, parameters AND), FORMAT (METADATA describes the inputs), getData as a
 * redirect, errors as QUERY_STATUS=ERROR, and drafts visible only with a token.
 */
import { describe, expect, it } from 'vitest';
import { astropyRead } from './fixtures/readers.js';
import { column, did, servicesArchive, votlint } from './services-fixture.js';

const a = servicesArchive();
const SPECTRA = [0, 1, 2, 3].map((i) => `spectra/0000/spectrum_000000${i}.fits`);
const ids = (release: { records: Map<string, number> }, paths: string[]) => paths.map((p) => did(release.records.get(p)!)).sort();

async function ssa(query: string, token = false) {
  const res = await a.get(`/ssa?REQUEST=queryData&${query}`, { token });
  expect(res.status).toBe(200);
  return astropyRead(await res.text());
}
const status = (t: { infos: [string, string, string | null][] }) => t.infos.filter((i) => i[0] === 'QUERY_STATUS').map((i) => i[1]);

describe('SSA queryData', () => {
  it('spectra in the region with the required utypes; drafts only with a token', async () => {
    const t = await ssa('POS=0,-85&SIZE=0.1');
    for (const utype of [
      'ssa:Access.Reference', 'ssa:Access.Format', 'ssa:Access.Size', 'ssa:DataID.Title', 'ssa:Target.Name', 'ssa:Dataset.Length', 'ssa:Dataset.DataModel',
      'ssa:Char.SpatialAxis.Coverage.Location.Value', 'ssa:Char.SpectralAxis.Coverage.Location.Value', 'ssa:Char.SpectralAxis.Coverage.Bounds.Extent',
      'ssa:Char.SpectralAxis.Coverage.Bounds.Start', 'ssa:Char.SpectralAxis.Coverage.Bounds.Stop', 'ssa:Char.TimeAxis.Coverage.Location.Value',
      'ssa:Curation.Publisher', 'ssa:Curation.PublisherDID', 'ssa:CoordSys.SpaceFrame.Name',
    ]) {
      expect(t.fields.filter((f) => f.utype === utype), utype).toHaveLength(1);
    }
    expect(column(t, 'ssa_pubdid').sort()).toEqual(ids(a.published, [SPECTRA[0], SPECTRA[2]]));
    expect(column(t, 'ssa_targname')).toEqual(['SRC 000000', 'SRC 000000']);
    const start = column<string>(t, 'ssa_specstart').map(Number);
    expect(start.every((w) => w > 4.7e-7 && w < 4.73e-7)).toBe(true); // 4715-4721 Å, 1024 pixels of 0.046 Å
    // The access reference is the file itself, absolute, and fetches.
    const url = column<string>(t, 'accref')[0];
    expect(url.startsWith(`${a.base}/files/`)).toBe(true);
    const file = await fetch(url);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('application/fits');

    const withToken = await ssa('POS=0,-85&SIZE=0.1', true);
    expect(column(withToken, 'ssa_pubdid').sort()).toEqual([...ids(a.published, [SPECTRA[0], SPECTRA[2]]), ...ids(a.draft, [SPECTRA[0], SPECTRA[2]])].sort());
  });

  it('BAND and TIME ranges: elements OR, parameters AND', async () => {
    const all = ids(a.published, SPECTRA);
    expect(column(await ssa('BAND=1e-7/2e-7'), 'ssa_pubdid')).toEqual([]);
    expect(column(await ssa('BAND=1e-7/2e-7,4.74e-7/4.9e-7'), 'ssa_pubdid').sort()).toEqual(all);
    expect(column(await ssa('BAND=4.75e-7'), 'ssa_pubdid').sort()).toEqual(all);
    expect(column(await ssa('BAND=/4e-7'), 'ssa_pubdid')).toEqual([]);
    expect(column(await ssa('TIME=2019-04-12/2019-04-13'), 'ssa_pubdid').sort()).toEqual(all);
    expect(column(await ssa('TIME=2020-01-01/'), 'ssa_pubdid')).toEqual([]);
    expect(column(await ssa('TIME=2019-04-12/2019-04-13&BAND=1e-7/2e-7'), 'ssa_pubdid')).toEqual([]);
    expect(column(await ssa('TARGETNAME=src%20000001'), 'ssa_pubdid').sort()).toEqual(ids(a.published, [SPECTRA[1], SPECTRA[3]]));
  });

  it('FORMAT: fits and all find the FITS spectra, votable none; METADATA describes the inputs', async () => {
    expect(column(await ssa('FORMAT=fits'), 'ssa_pubdid')).toHaveLength(4);
    expect(column(await ssa('FORMAT=ALL'), 'ssa_pubdid')).toHaveLength(4);
    expect(column(await ssa('FORMAT=votable'), 'ssa_pubdid')).toHaveLength(0);
    const res = await a.get('/ssa?REQUEST=queryData&FORMAT=METADATA');
    const body = await res.text();
    for (const p of ['POS', 'SIZE', 'BAND', 'TIME', 'FORMAT']) expect(body).toContain(`name="INPUT:${p}"`);
    const meta = astropyRead(body);
    expect(meta.rows).toHaveLength(0);
    expect(meta.fields.map((f) => f.utype)).toContain('ssa:Access.Reference');
  });

  it('MAXREC cuts and says OVERFLOW (a valid VOTable for stilts votlint too)', async () => {
    const doc = await (await a.get('/ssa?REQUEST=queryData&MAXREC=1')).text();
    expect(await votlint(doc)).toEqual([]);
    const t = astropyRead(doc);
    expect(t.rows).toHaveLength(1);
    expect(status(t)).toEqual(['OK', 'OVERFLOW']);
  });

  it.each([
    ['POS=abc', /POS/],
    ['POS=0,-85;GALACTIC', /ICRS/],
    ['BAND=optical', /metres/],
    ['TIME=last%20week', /ISO 8601/],
    ['FORMAT=pdfx', /FORMAT/],
    ['SIZE=1', /SIZE needs POS/],
  ])('%s: HTTP 200 and QUERY_STATUS=ERROR saying why', async (query, message) => {
    const res = await a.get(`/ssa?REQUEST=queryData&${query}`);
    expect(res.status).toBe(200);
    const t = astropyRead(await res.text());
    expect(t.infos[0][0]).toBe('QUERY_STATUS');
    expect(t.infos[0][1]).toBe('ERROR');
    expect(t.infos[0][2]).toMatch(message);
  });

  it("getData redirects to a visible spectrum's file; a draft's reads as unknown without a token", async () => {
    const pub = did(a.published.records.get(SPECTRA[0])!);
    const res = await a.get(`/ssa?REQUEST=getData&PUBDID=${encodeURIComponent(pub)}`, { redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toMatch(new RegExp(`^${a.base}/files/\\d+/content$`));
    const draft = did(a.draft.records.get(SPECTRA[0])!);
    const hidden = await a.get(`/ssa?REQUEST=getData&PUBDID=${encodeURIComponent(draft)}`, { redirect: 'manual' });
    const unknown = await a.get(`/ssa?REQUEST=getData&PUBDID=${encodeURIComponent(did(987654321))}`, { redirect: 'manual' });
    expect(hidden.status).toBe(200);
    expect((await hidden.text()).replace(draft, 'X')).toBe((await unknown.text()).replace(did(987654321), 'X'));
    expect((await a.get(`/ssa?REQUEST=getData&PUBDID=${encodeURIComponent(draft)}`, { token: true, redirect: 'manual' })).status).toBe(303);
  });

  it('VOSI capabilities', async () => {
    const caps = await (await a.get('/ssa/capabilities')).text();
    expect(caps).toContain('standardID="ivo://ivoa.net/std/SSA"');
    expect(caps).toContain(`<accessURL use="base">${a.base}/ssa?</accessURL>`);
    expect(await (await a.get('/ssa/availability')).text()).toContain('<avail:available>true</avail:available>');
  });
});
