/**
 * The translator over the real TAP database: ivoa.obscore and a loaded catalogue table (two
 * ingested releases, one published: test/vo/tap-db-fixture.ts), the catalogue read from
 * tap_schema as each viewer (loadTapCatalogue), run through withTapSession. Cones through
 * CONTAINS return the brute-force rows and are answered by the HEALPix btree behind the
 * security barrier; `*` gives exactly the tap_schema columns; a draft's table does not exist for
 * the anonymous viewer.
 */
import { describe, expect, it } from 'vitest';
import { angularDistanceDeg } from '../../src/sky/index.js';
import { AdqlError, parseAdql, translateAdql } from '../../src/vo/adql/index.js';
import { loadTapCatalogue } from '../../src/vo/tap/catalogue.js';
import { withTapSession, type TapViewer } from '../../src/vo/tap/session.js';
import { tapDbArchive } from './tap-db-fixture.js';

const a = tapDbArchive('ADQLOBS');

async function compile(viewer: TapViewer, adql: string, maxrec = 10_000) {
  return translateAdql(parseAdql(adql), await loadTapCatalogue(a.database.pool, viewer), { maxrec });
}

async function query(viewer: TapViewer, adql: string) {
  const q = await compile(viewer, adql);
  return withTapSession(a.database.pool, viewer, { timeoutMs: 20_000 }, async (c) => (await c.query(q.sql, q.params)).rows);
}

/** The plan with sequential scans off: whether the index CAN answer through the view's barrier. */
async function plan(viewer: TapViewer, adql: string): Promise<string> {
  const q = await compile(viewer, adql);
  return withTapSession(a.database.pool, viewer, { timeoutMs: 20_000 }, async (c) => {
    await c.query('SET LOCAL enable_seqscan = off');
    return (await c.query(`EXPLAIN (COSTS OFF) ${q.sql}`, q.params)).rows.map((r) => r['QUERY PLAN']).join('\n');
  });
}

describe('ADQL over ivoa.obscore', () => {
  it('SELECT * returns the tap_schema columns (not hpx, coverage or record_id) of the published records only', async () => {
    const q = await compile('anonymous', 'SELECT * FROM ivoa.obscore');
    const names = q.columns.map((c) => c.name);
    expect(names).toEqual(expect.arrayContaining(['obs_id', 's_ra', 's_dec', 's_region', 'access_url']));
    expect(names).not.toEqual(expect.arrayContaining(['hpx']));
    expect(names.filter((n) => ['hpx', 'coverage', 'record_id'].includes(n))).toEqual([]);
    expect(await query('anonymous', 'SELECT * FROM ivoa.obscore')).toHaveLength(a.published.obscoreRecords);
    expect(await query('token', 'SELECT * FROM ivoa.obscore')).toHaveLength(a.published.obscoreRecords + a.draft.obscoreRecords);
  });

  it('a CONTAINS cone returns the brute-force rows and uses records_hpx_idx through the barrier', async () => {
    const all = await query('token', 'SELECT obs_id, s_ra, s_dec FROM ivoa.obscore WHERE s_ra IS NOT NULL');
    expect(all.length).toBeGreaterThan(2);
    const [c] = all;
    for (const r of [0.5, 5, 60]) {
      const adql = `SELECT obs_id FROM ivoa.obscore AS o WHERE CONTAINS(POINT('ICRS', o.s_ra, o.s_dec), CIRCLE('ICRS', ${c.s_ra}, ${c.s_dec}, ${r})) = 1`;
      const got = (await query('token', adql)).map((x) => x.obs_id).sort();
      expect(got).toEqual(all.filter((x) => angularDistanceDeg(c.s_ra, c.s_dec, x.s_ra, x.s_dec) <= r).map((x) => x.obs_id).sort());
      expect(got.length).toBeGreaterThan(0);
    }
    const p = await plan('anonymous', `SELECT obs_id FROM ivoa.obscore WHERE 1 = CONTAINS(POINT('ICRS', s_ra, s_dec), CIRCLE('ICRS', ${c.s_ra}, ${c.s_dec}, 0.5))`);
    expect(p).toMatch(/Index Scan using records_hpx_idx|Bitmap Index Scan on records_hpx_idx/);
    expect(p).not.toMatch(/Seq Scan on records/);
  });

  it('INTERSECTS(s_region, CIRCLE) uses records_coverage_idx and finds the footprint around its own centre', async () => {
    const [r] = await query('anonymous', `SELECT obs_id, s_ra, s_dec FROM ivoa.obscore WHERE s_region IS NOT NULL`);
    expect(r).toBeDefined();
    const adql = `SELECT obs_id FROM ivoa.obscore WHERE INTERSECTS(s_region, CIRCLE('ICRS', ${r.s_ra}, ${r.s_dec}, 0.001)) = 1`;
    expect((await query('anonymous', adql)).map((x) => x.obs_id)).toContain(r.obs_id);
    const p = await plan('anonymous', adql);
    expect(p).toMatch(/records_coverage_idx/);
    expect(p).not.toMatch(/Seq Scan on records/);
  });
});

describe('ADQL over a catalogue table', () => {
  it('a cone on the published table uses its _hpx btree; the draft table is unknown to the anonymous viewer', async () => {
    const table = `"${a.published.schema}"."${a.published.table}"`;
    const rows = await query('anonymous', `SELECT * FROM ${table}`);
    expect(rows.length).toBe(30);
    const columns = (await compile('anonymous', `SELECT * FROM ${table}`)).columns.map((c) => c.name);
    expect(columns).toEqual(expect.arrayContaining(['name', 'ra', 'dec', 'mag']));
    expect(columns.filter((n) => n.startsWith('_'))).toEqual([]);
    const c = rows[0];
    const adql = `SELECT name FROM ${table} AS t WHERE CONTAINS(POINT('ICRS', t.ra, t.dec), CIRCLE('ICRS', ${c.ra}, ${c.dec}, 20)) = 1`;
    const got = (await query('anonymous', adql)).map((x) => x.name).sort();
    expect(got).toEqual(rows.filter((x) => angularDistanceDeg(c.ra, c.dec, x.ra, x.dec) <= 20).map((x) => x.name).sort());
    expect(await plan('anonymous', adql)).toMatch(/Index (Only )?Scan using _hpx_|Bitmap Index Scan on _hpx_/);

    const draft = `"${a.draft.schema}"."${a.draft.table}"`;
    await expect(compile('anonymous', `SELECT * FROM ${draft}`)).rejects.toThrow(AdqlError);
    await expect(compile('anonymous', `SELECT * FROM ${draft}`)).rejects.toThrow(/unknown table/);
    expect(await query('token', `SELECT COUNT(*) AS n FROM ${draft}`)).toEqual([{ n: expect.anything() }]);
  });
});
