/**
 * DataLink 1.1 against a real server over real ingests (test/vo/services-fixture.ts): the
 * {links} table (astropy verify='exception', and stilts datalinklint, the IVOA's validator),
 * #this with the file's exact size, #preview for images and cubes, catalogue tables as links,
 * several IDs in one request (GET and POST), and unknown or invisible IDs answered with the
 * same NotFoundFault row, so nothing tells that a draft exists; a token sees drafts.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { astropyRead } from './fixtures/readers.js';
import { did, fetchRetry, servicesArchive } from './services-fixture.js';

const a = servicesArchive();
const SPECTRUM = 'spectra/0000/spectrum_0000000.fits';
const IMAGE = 'images/0000/image_0000000.fits';
const CATALOGUE = 'catalogues/0000/catalogue_0000000.fits';

type Link = { ID: string; access_url: string | null; error_message: string | null; semantics: string; content_type: string | null; content_length: string | null; link_auth: string | null; description: string | null };

async function links(query: string, token = false): Promise<Link[]> {
  const res = await a.get(`/datalink?${query}`, { token });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^application\/x-votable\+xml; ?content=datalink/);
  const t = astropyRead(await res.text());
  return t.rows.map((r) => Object.fromEntries(t.fields.map((f, i) => [f.name, r[i]])) as Link);
}
const idq = (...ids: string[]) => ids.map((i) => `ID=${encodeURIComponent(i)}`).join('&');

describe('DataLink {links}', () => {
  it('#this is the file with its exact size; a spectrum has no preview', async () => {
    const id = did(a.published.records.get(SPECTRUM)!);
    const rows = await links(idq(id));
    expect(rows.map((r) => r.semantics)).toEqual(['#this']);
    const [self] = rows;
    expect(self.ID).toBe(id);
    expect(self.error_message || null).toBeNull(); // astropy reads a NULL string as ''
    expect(self.content_type).toBe('application/fits');
    expect(self.link_auth).toBe('false');
    expect(self.access_url!.startsWith(`${a.base}/files/`)).toBe(true);
    const file = await fetchRetry(self.access_url!);
    expect(file.status).toBe(200);
    expect((await file.arrayBuffer()).byteLength).toBe(Number(self.content_length));
  });

  it('an image has its #preview; a catalogue has its tables, through TAP', async () => {
    const image = await links(idq(did(a.published.records.get(IMAGE)!)));
    expect(image.map((r) => r.semantics)).toEqual(['#this', '#preview']);
    const png = await fetchRetry(image[1].access_url!);
    expect(png.status).toBe(200);
    expect(png.headers.get('content-type')).toBe('image/png');

    const cat = await links(idq(did(a.published.records.get(CATALOGUE)!)));
    expect(cat.map((r) => r.semantics)).toEqual(['#this', '#derivation']);
    expect(cat[1].access_url).toBe(`${a.base}/tap/sync?REQUEST=doQuery&LANG=ADQL&QUERY=${encodeURIComponent(`SELECT * FROM ${a.published.catalogue}`)}`);
    expect(cat[1].description).toContain(`/scs/${a.published.catalogue}`);
    expect(cat[1].content_type).toBe('application/x-votable+xml');
  });

  it('several IDs in one request, in order, GET and POST alike', async () => {
    const ids = [did(a.published.records.get(IMAGE)!), did(a.published.records.get(SPECTRUM)!)];
    const get = await links(idq(...ids));
    expect(get.map((r) => `${r.ID} ${r.semantics}`)).toEqual([`${ids[0]} #this`, `${ids[0]} #preview`, `${ids[1]} #this`]);
    const post = await fetchRetry(`${a.base}/datalink`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: idq(...ids) });
    expect(post.status).toBe(200);
    expect(astropyRead(await post.text()).rows.map((r) => `${r[0]} ${r[4]}`)).toEqual(get.map((r) => `${r.ID} ${r.semantics}`));
  });

  it("a draft's ID reads exactly as an unknown one without a token; with one it is there", async () => {
    const draft = did(a.draft.records.get(SPECTRUM)!);
    const unknown = did(987654321);
    const [hidden] = await links(idq(draft));
    const [missing] = await links(idq(unknown));
    expect(hidden.error_message).toMatch(/^NotFoundFault: /);
    expect(hidden.error_message!.replace(draft, 'X')).toBe(missing.error_message!.replace(unknown, 'X'));
    expect({ ...hidden, ID: 'X', error_message: 'X' }).toEqual({ ...missing, ID: 'X', error_message: 'X' });
    const [malformed] = await links(idq('not an ivo id'));
    expect(malformed.error_message).toMatch(/^NotFoundFault: /);
    const seen = await links(idq(draft), true);
    expect(seen.map((r) => r.semantics)).toEqual(['#this']);
    expect(seen[0].link_auth).toBe('true');
    expect(seen[0].error_message || null).toBeNull();
  });

  it('without ID: HTTP 400 and QUERY_STATUS=ERROR', async () => {
    const res = await a.get('/datalink');
    expect(res.status).toBe(400);
    const t = astropyRead(await res.text());
    expect(t.infos[0].slice(0, 2)).toEqual(['QUERY_STATUS', 'ERROR']);
    expect(t.infos[0][2]).toMatch(/ID is required/);
  });

  it('stilts datalinklint finds no error or failure', async () => {
    const ids = [did(a.published.records.get(IMAGE)!), did(a.published.records.get(CATALOGUE)!), did(a.draft.records.get(SPECTRUM)!)];
    const { stdout } = await promisify(execFile)('stilts', ['datalinklint', 'report=EWF', `votable=${a.base}/datalink?${idq(...ids)}`], { maxBuffer: 1 << 24 });
    const problems = stdout.split('\n').filter((l) => /^[EF]-/.test(l));
    expect(stdout).toMatch(/Totals:/);
    expect(problems, stdout).toEqual([]);
  }, 120_000);

  it('VOSI capabilities', async () => {
    const caps = await (await a.get('/datalink/capabilities')).text();
    expect(caps).toContain('standardID="ivo://ivoa.net/std/DataLink#links-1.1"');
    expect(caps).toContain(`<accessURL use="base">${a.base}/datalink</accessURL>`);
  });
});
