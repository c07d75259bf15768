/**
 * pyvo 1.2 (Debian's python3-pyvo, /usr/bin/python3) as an astronomer would use it against the
 * real server: SCSService.search, SSAService.search, sia2.SIAService.search (SIA 2.0, found through
 * /sia/capabilities) and DatalinkResults.from_result_url, anonymously and (for the cone) with a
 * bearer token in a requests session. The script runs asynchronously: the server lives in this
 * process and must keep answering while Python waits for it.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { did, servicesArchive } from './services-fixture.js';

const a = servicesArchive();

const SCRIPT = `
import json, sys
from urllib.parse import quote
import requests
import pyvo
from pyvo.dal import sia2
from pyvo.dal.adhoc import DatalinkResults

base, token, image_did, draft_did = sys.argv[1:5]
out = {}

cone = pyvo.dal.SCSService(base + '/scs').search(pos=(0, -85), radius=0.05)
out['scs'] = sorted(str(r.id) for r in cone)
out['scs_pos'] = sorted([round(float(r.pos.ra.deg), 6), round(float(r.pos.dec.deg), 6)] for r in cone)
s = requests.Session()
s.headers['Authorization'] = 'Bearer ' + token
out['scs_token'] = sorted(str(r.id) for r in pyvo.dal.SCSService(base + '/scs', session=s).search(pos=(0, -85), radius=0.05))

spectra = pyvo.dal.SSAService(base + '/ssa').search(pos=(0, -85), diameter=0.1)
out['ssa'] = sorted(str(r['ssa_pubdid']) for r in spectra)
out['ssa_acref'] = sorted(str(r.acref) for r in spectra)
out['ssa_format'] = sorted(str(r.format) for r in spectra)
out['ssa_band'] = len(pyvo.dal.SSAService(base + '/ssa').search(band=(1e-7, 2e-7)))

images = sia2.SIAService(base + '/sia').search(pos=(0, -85, 0.05))
out['sia'] = sorted(str(r['obs_publisher_did']) for r in images)
out['sia_types'] = sorted(str(r['dataproduct_type']) for r in images)
out['sia_cube'] = sorted(str(r['obs_publisher_did']) for r in sia2.SIAService(base + '/sia').search(data_type='cube'))

links = DatalinkResults.from_result_url(base + '/datalink?ID=' + quote(image_did) + '&ID=' + quote(draft_did))
out['dl'] = [[str(l['ID']), str(l['semantics']), str(l['access_url'] or ''), str(l['error_message'] or '')] for l in links]
# (links.bysemantics() would fetch the DataLink vocabulary from ivoa.net: no network here.)
out['dl_this'] = [str(l.access_url) for l in links if l.semantics == '#this' and not l['error_message']]
print(json.dumps(out))
`;

describe('pyvo against the simple services', () => {
  it('SCS, SSA, SIA 2.0 and DataLink searches get the expected rows', async () => {
    const pubDid = (p: string) => did(a.published.records.get(p)!);
    const draftDid = (p: string) => did(a.draft.records.get(p)!);
    const image = pubDid('images/0000/image_0000000.fits');
    const draftSpectrum = draftDid('spectra/0000/spectrum_0000000.fits');
    const { stdout } = await promisify(execFile)('/usr/bin/python3', ['-c', SCRIPT, a.base, a.token, image, draftSpectrum], { maxBuffer: 1 << 24, timeout: 120_000 });
    const out = JSON.parse(stdout);

    const atSource0 = ['spectra/0000/spectrum_0000000.fits', 'spectra/0000/spectrum_0000002.fits', 'images/0000/image_0000000.fits', 'cubes/0000/cube_0000000.fits'];
    expect(out.scs).toEqual(atSource0.map(pubDid).sort());
    expect(out.scs_pos.every(([ra, dec]: number[]) => Math.abs(dec + 85) < 0.01 && (ra < 0.1 || ra > 359.9))).toBe(true);
    expect(out.scs_token).toEqual([...atSource0.map(pubDid), ...atSource0.map(draftDid)].sort());

    expect(out.ssa).toEqual([pubDid(atSource0[0]), pubDid(atSource0[1])].sort());
    expect(out.ssa_acref.every((u: string) => u.startsWith(`${a.base}/files/`))).toBe(true);
    expect(out.ssa_format).toEqual(['application/fits', 'application/fits']);
    expect(out.ssa_band).toBe(0);

    expect(out.sia).toEqual([pubDid(atSource0[2]), pubDid(atSource0[3])].sort());
    expect(out.sia_types).toEqual(['cube', 'image']);
    expect(out.sia_cube).toEqual([pubDid('cubes/0000/cube_0000000.fits')]);

    expect(out.dl.map((l: string[]) => [l[0], l[1]])).toEqual([
      [image, '#this'],
      [image, '#preview'],
      [draftSpectrum, '#this'],
    ]);
    expect(out.dl[0][2]).toMatch(new RegExp(`^${a.base}/files/\\d+/content$`));
    expect(out.dl[2][3]).toMatch(/^NotFoundFault: /);
    expect(out.dl_this[0]).toBe(out.dl[0][2]);
  }, 180_000);
});
