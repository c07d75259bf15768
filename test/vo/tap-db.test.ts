/**
 * The database side of TAP (migration 0023, src/vo/tap/session.ts, src/vo/tap/catalogue.ts):
 * roles and their privileges, ivoa.obscore against the records and the GraphQL definitions,
 * TAP_SCHEMA against what queries return, the indexes through the security barrier, and the
 * session's limits. Access by each role to drafts: embargo.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { connectDatabase } from '../../src/db/client.js';
import { BY_EXTENSION, recordContentType } from '../../src/http/download/content-type.js';
import { fileContentUrl } from '../../src/http/download/links.js';
import { coneRanges } from '../../src/sky/index.js';
import { loadTapCatalogue } from '../../src/vo/tap/catalogue.js';
import { TapExecutionError, withTapSession, type TapViewer } from '../../src/vo/tap/session.js';
import { voFieldForPgType } from '../../src/vo/votable/fields.js';
import { tapDbArchive } from './tap-db-fixture.js';

const a = tapDbArchive();

const ROLES = ['astroarchive_tap_anon', 'astroarchive_tap_token'];
const OBSCORE_MANDATORY = [
  'dataproduct_type', 'calib_level', 'obs_collection', 'obs_id', 'obs_publisher_did', 'access_url', 'access_format', 'access_estsize',
  'target_name', 's_ra', 's_dec', 's_fov', 's_region', 's_resolution', 't_min', 't_max', 't_exptime', 't_resolution', 'em_min', 'em_max',
  'em_res_power', 'o_ucd', 'pol_states', 'facility_name', 'instrument_name', 's_xel1', 's_xel2', 't_xel', 'em_xel', 'pol_xel',
];

const asRole = <T>(viewer: TapViewer, fn: Parameters<typeof withTapSession<T>>[3], o: { timeoutMs?: number; publicBase?: string } = {}) =>
  withTapSession(a.database.pool, viewer, { timeoutMs: o.timeoutMs ?? 20_000, publicBase: o.publicBase }, fn);

/** `col >= a AND col < b OR ...` over the cone's HEALPix ranges, literal integers as the services write them. */
const coneSql = (col: string, ra: number, dec: number, r: number) =>
  `(${coneRanges(ra, dec, r).map(([lo, hi]) => `(${col} >= ${lo} AND ${col} < ${hi})`).join(' OR ')})`;

/** Polls `probe` until it gives a value (not undefined), for at most 20 s. */
async function waitFor<T>(probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error('condition not met in 20 s');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('TAP roles', () => {
  it('exist once in the cluster, log in to nothing, are not members of each other or of the archive role', async () => {
    const { rows } = await a.database.pool.query(
      `SELECT rolname, rolcanlogin, rolsuper, rolinherit,
              pg_has_role(rolname, 'astroarchive_tap_token', 'MEMBER') AS token_member
         FROM pg_roles WHERE rolname = ANY($1) ORDER BY rolname`,
      [ROLES],
    );
    expect(rows).toEqual([
      { rolname: 'astroarchive_tap_anon', rolcanlogin: false, rolsuper: false, rolinherit: false, token_member: false },
      { rolname: 'astroarchive_tap_token', rolcanlogin: false, rolsuper: false, rolinherit: false, token_member: true },
    ]);
  });

  it('read ivoa and tap_schema and nothing of public; no function that reads or writes server files', async () => {
    const { rows } = await a.database.pool.query(
      `SELECT r AS role,
              has_schema_privilege(r, 'public', 'USAGE') AS public_usage,
              has_schema_privilege(r, 'ivoa', 'USAGE') AS ivoa_usage,
              has_schema_privilege(r, 'tap_schema', 'USAGE') AS tap_schema_usage,
              (SELECT bool_or(has_table_privilege(r, c.oid, 'SELECT') OR has_table_privilege(r, c.oid, 'INSERT') OR has_table_privilege(r, c.oid, 'UPDATE'))
                 FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'v', 'm', 'p')) AS any_public_table,
              (SELECT bool_or(has_table_privilege(r, c.oid, 'SELECT'))
                 FROM pg_class c WHERE c.relnamespace IN ('graphile_worker'::regnamespace) AND c.relkind IN ('r', 'v')) AS any_worker_table,
              has_table_privilege(r, 'ivoa.obscore', 'SELECT') AS obscore,
              has_table_privilege(r, 'ivoa.obscore', 'INSERT') OR has_table_privilege(r, 'ivoa.obscore', 'UPDATE') AS obscore_write,
              has_table_privilege(r, 'tap_schema.fixed_columns', 'SELECT') AS fixed_columns,
              (SELECT array_agg(f ORDER BY f) FROM unnest(ARRAY['pg_read_file(text)', 'pg_read_binary_file(text)', 'pg_ls_dir(text)', 'pg_stat_file(text)',
                 'lo_import(text)', 'lo_export(oid,text)', 'pg_file_write(text,text,boolean)']) AS f
                 WHERE to_regprocedure(f) IS NOT NULL AND has_function_privilege(r, f, 'EXECUTE')) AS file_functions
         FROM unnest($1::text[]) AS r ORDER BY r`,
      [ROLES],
    );
    for (const row of rows) {
      expect(row).toEqual({
        role: row.role, public_usage: false, ivoa_usage: true, tap_schema_usage: true, any_public_table: false, any_worker_table: false,
        obscore: true, obscore_write: false, fixed_columns: false, file_functions: null,
      });
    }
  });

  it('the archive itself still reads and writes its tables (it owns schema public or is a superuser)', async () => {
    const { rows } = await a.database.pool.query(`SELECT has_schema_privilege('public', 'USAGE') AS usage, has_schema_privilege('public', 'CREATE') AS create, (SELECT count(*)::int FROM records) AS records`);
    expect(rows[0]).toEqual({ usage: true, create: true, records: a.published.records + a.draft.records });
  });
});

describe('ivoa.obscore', () => {
  it('has every ObsCore 1.1 mandatory column, and TAP_SCHEMA declares every column of every table with the datatype its values are sent as', async () => {
    const catalogue = await loadTapCatalogue(a.database.pool, 'token');
    const obscore = catalogue.table('ivoa', 'obscore')!;
    expect(obscore.columns.map((c) => c.name)).toEqual(expect.arrayContaining([...OBSCORE_MANDATORY, 'obs_release_date']));
    // Every listed table, as the query returns it: declared columns exist, have the declared
    // VOTable type (taplint compares them), and the only undeclared ones are the services' own.
    const extras: Record<string, string[]> = { 'ivoa.obscore': ['coverage', 'hpx', 'record_id'], [`${a.published.schema}.${a.published.table}`]: ['_hpx', '_row'], [`${a.draft.schema}.${a.draft.table}`]: ['_hpx', '_row'] };
    expect(catalogue.tables.map((t) => `${t.schema}.${t.name}`).sort()).toEqual(
      ['ivoa.obscore', 'tap_schema.columns', 'tap_schema.key_columns', 'tap_schema.keys', 'tap_schema.schemas', 'tap_schema.tables', `${a.published.schema}.${a.published.table}`, `${a.draft.schema}.${a.draft.table}`].sort(),
    );
    for (const table of catalogue.tables) {
      const fields = await asRole('token', async (c) => {
        const r = await c.query(`SELECT * FROM ${table.sqlName} LIMIT 0`);
        const types = await c.query<{ oid: number; typname: string }>(`SELECT oid::int, typname FROM pg_type WHERE oid = ANY($1)`, [r.fields.map((f) => f.dataTypeID)]);
        const typname = new Map(types.rows.map((t) => [t.oid, t.typname]));
        return r.fields.map((f) => ({ name: f.name, typname: typname.get(f.dataTypeID)! }));
      });
      const key = `${table.schema}.${table.name}`;
      expect(fields.map((f) => f.name).filter((n) => !table.columns.some((c) => c.name === n)).sort(), key).toEqual(extras[key] ?? []);
      for (const col of table.columns) {
        const field = fields.find((f) => f.name === col.name);
        expect(field, `${key}.${col.name}`).toBeDefined();
        const sent = voFieldForPgType(col.name, field!.typname);
        expect({ column: `${key}.${col.name}`, datatype: col.datatype, arraysize: col.arraysize }).toEqual({ column: `${key}.${col.name}`, datatype: sent.datatype, arraysize: sent.arraysize });
      }
    }
  });

  it('says for each record what GraphQL says (accessUrl, accessFormat, obsId, ...), with the session\'s public base', async () => {
    const base = 'https://archive.example.org/aa';
    const rows = await asRole('token', async (c) => (await c.query(`SELECT * FROM ivoa.obscore ORDER BY record_id`)).rows, { publicBase: base });
    const { rows: records } = await a.database.pool.query(
      `SELECT r.id::int, r.file_id::int, r.obs_id, r.dataproduct_type, r.calib_level, r.center_ra, r.center_dec, r.fov, r.em_min, r.em_max,
              r.t_min, r.t_max, r.t_exptime, r.facility_name, r.instrument_name, r.hpx, f.size_bytes::float8 AS size, s.name AS source,
              sv.name || '/' || rel.name AS collection
         FROM records r JOIN files f ON f.id = r.file_id JOIN releases rel ON rel.id = r.release_id JOIN surveys sv ON sv.id = rel.survey_id
         LEFT JOIN sources s ON s.id = r.source_id
        WHERE r.dataproduct_type <> 'other' AND NOT r.invalid ORDER BY r.id`,
    );
    expect(records.length).toBe(a.published.obscoreRecords + a.draft.obscoreRecords);
    expect(rows.map((r) => Number(r.record_id))).toEqual(records.map((r) => r.id));
    for (const [i, r] of records.entries()) {
      const o = rows[i];
      expect(o).toMatchObject({
        dataproduct_type: r.dataproduct_type, calib_level: r.calib_level, obs_collection: r.collection, obs_id: r.obs_id,
        obs_publisher_did: `ivo://astroarchive.local/astroarchive?${r.id}`,
        access_url: fileContentUrl(base, r.file_id), access_format: recordContentType(r.obs_id, r.dataproduct_type),
        access_estsize: Math.ceil(r.size / 1024), target_name: r.source,
        s_ra: r.center_ra, s_dec: r.center_dec, s_fov: r.fov, em_min: r.em_min, em_max: r.em_max, t_min: r.t_min, t_max: r.t_max,
        t_exptime: r.t_exptime, facility_name: r.facility_name, instrument_name: r.instrument_name, hpx: r.hpx,
        preview: r.dataproduct_type === 'image' ? `${base}/records/${r.id}/preview.png` : null,
      });
    }
    // Images have footprints: s_region is an STC-S polygon of their corners.
    const image = rows.find((o) => o.dataproduct_type === 'image');
    expect(image.s_region).toMatch(/^POLYGON ICRS( -?\d+(\.\d+)?(e-?\d+)?){6,}$/);
    // Blobs are not ObsCore data products.
    expect(rows.some((o) => o.dataproduct_type === 'other')).toBe(false);
  });

  it('access_format in SQL is recordContentType for every extension and product type', async () => {
    const names = [...Object.keys(BY_EXTENSION).flatMap((e) => [`s/r/dir.x/a.${e}`, `s/r/A.${e.toUpperCase()}`]), 's/r/noext', 's/r/.hidden', 's/r/a.', 's/r/a.unknown', 's/r/d.fits/file', 's/r/..csv', 's/r/.', 's/r/dir/', 's/r/a.b.PNG', 'noslash.txt'];
    const types = ['spectrum', 'cube', 'image', 'measurements', 'other'];
    const pairs = names.flatMap((n) => types.map((t) => [n, t] as const));
    const { rows } = await a.database.pool.query<{ f: string }>(`SELECT ivoa.access_format(n, t) AS f FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS x(n, t, o) ORDER BY o`, [pairs.map((p) => p[0]), pairs.map((p) => p[1])]);
    expect(rows.map((r) => r.f)).toEqual(pairs.map(([n, t]) => recordContentType(n, t)));
  });

  it('a cone as HEALPix ranges and a region on coverage reach records_hpx_idx and records_coverage_idx through the security barrier', async () => {
    const plans = await asRole('anonymous', async (c) => {
      // Seq scans off: what matters is whether the index CAN be used through the view (a
      // condition the barrier kept above it could not use it at any cost), not what a
      // ten-row table's plan prefers.
      await c.query('SET LOCAL enable_seqscan = off');
      const plan = async (where: string) => (await c.query(`EXPLAIN (COSTS OFF) SELECT obs_id, s_ra, s_dec FROM ivoa.obscore WHERE ${where}`)).rows.map((r) => r['QUERY PLAN']).join('\n');
      return { cone: await plan(coneSql('hpx', 10, -20, 0.5)), coverage: await plan(`coverage && '{[1000,2000)}'::int8multirange`) };
    });
    expect(plans.cone).toMatch(/Index Scan using records_hpx_idx|Bitmap Index Scan on records_hpx_idx/);
    expect(plans.cone).not.toMatch(/Seq Scan on records/);
    expect(plans.coverage).toMatch(/records_coverage_idx/);
    expect(plans.coverage).not.toMatch(/Seq Scan on records/);
  });
});

describe('TAP_SCHEMA', () => {
  it('gives names as ADQL writes them (reserved words delimited), and the translator\'s catalogue plain', async () => {
    const listed = await asRole('anonymous', async (c) =>
      (await c.query<{ table_name: string; column_name: string }>(
        `SELECT table_name, column_name FROM tap_schema.columns WHERE column_name IN ('"size"', 'size', '"order"', 'order', 'mag')`,
      )).rows,
    );
    listed.sort((x, y) => (x.table_name + x.column_name < y.table_name + y.column_name ? -1 : 1));
    const sky = `${a.published.schema}.${a.published.table}`;
    expect(listed).toEqual([
      { table_name: 'tap_schema.columns', column_name: '"size"' },
      { table_name: sky, column_name: '"order"' },
      { table_name: sky, column_name: 'mag' },
    ]);
    const { rows } = await a.database.pool.query(`SELECT array_agg(tap_schema.adql_identifier(n) ORDER BY o) AS names FROM unnest($1::text[]) WITH ORDINALITY AS x(n, o)`, [['mag', 'null', 'select', 'ra_j2000', '_row', 'a"b', 'x1']]);
    expect(rows[0].names).toEqual(['mag', '"null"', '"select"', 'ra_j2000', '"_row"', '"a""b"', 'x1']);
    const catalogue = await loadTapCatalogue(a.database.pool, 'anonymous');
    expect(catalogue.table('tap_schema', 'columns')!.columns.map((c) => c.name)).toContain('size');
    expect(catalogue.table(a.published.schema, a.published.table)!.columns.map((c) => c.name)).toEqual(expect.arrayContaining(['order', 'mag']));
  });
});

describe('withTapSession', () => {
  it('runs READ ONLY as the role, stops a statement at the timeout with a message that says so, and leaves the pooled connection as it was', async () => {
    // A pool of one connection: the session and the check after it use the same one.
    const one = connectDatabase(a.database.url, { poolSize: 1 });
    try {
      const inside = await withTapSession(one.pool, 'token', { timeoutMs: 1500, publicBase: 'https://x.test' }, async (c) =>
        (await c.query(`SELECT current_user AS u, current_setting('transaction_read_only') AS ro, current_setting('statement_timeout') AS st, current_setting('astroarchive.public_base') AS base`)).rows[0],
      );
      expect(inside).toEqual({ u: 'astroarchive_tap_token', ro: 'on', st: '1500ms', base: 'https://x.test' });
      const started = Date.now();
      const err = await withTapSession(one.pool, 'anonymous', { timeoutMs: 300 }, (c) => c.query('SELECT pg_sleep(30)')).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TapExecutionError);
      expect(err).toMatchObject({ reason: 'timeout', message: expect.stringMatching(/longer than this service's limit of 0\.3 s/) });
      expect(Date.now() - started).toBeLessThan(20_000);
      // The connection went back as it came: the archive's role, no timeout, no public base, read-write.
      const { rows } = await one.pool.query(
        `SELECT current_user = session_user AS own, current_setting('statement_timeout') AS st, coalesce(current_setting('astroarchive.public_base', true), '') AS base, current_setting('transaction_read_only') AS ro, pg_backend_pid() AS pid`,
      );
      expect(rows[0]).toMatchObject({ own: true, st: '0', base: '', ro: 'off' });
    } finally {
      await one.close();
    }
  });

  it('says "cancelled" for a query cancelled from outside, and keeps the connection', async () => {
    const one = connectDatabase(a.database.url, { poolSize: 1 });
    try {
      // Its error is caught from the start: the cancel may reject it before pg_cancel_backend's
      // own answer is read, and a rejection with no handler yet is an unhandled one.
      const running = withTapSession(one.pool, 'anonymous', { timeoutMs: 60_000 }, (c) => c.query('SELECT pg_sleep(60)')).catch((e: unknown) => e);
      const pid = await waitFor(async () => (await a.database.pool.query(`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query = 'SELECT pg_sleep(60)' AND state = 'active'`)).rows[0]?.pid);
      await a.database.pool.query('SELECT pg_cancel_backend($1)', [pid]);
      const err = await running;
      expect(err).toMatchObject({ name: 'TapExecutionError', reason: 'cancelled', message: 'the query was cancelled' });
      expect((await one.pool.query('SELECT pg_backend_pid() AS pid')).rows[0].pid).toBe(pid);
    } finally {
      await one.close();
    }
  });

  it('never pools the connection of a session whose caller gave up (a cancel sent for it may still be on its way)', async () => {
    const one = connectDatabase(a.database.url, { poolSize: 1 });
    try {
      const gaveUp = new AbortController();
      const pid = await withTapSession(one.pool, 'anonymous', { timeoutMs: 60_000, signal: gaveUp.signal }, async (c) => {
        const { rows } = await c.query('SELECT pg_backend_pid() AS pid');
        gaveUp.abort();
        return rows[0].pid as number;
      });
      expect((await one.pool.query('SELECT pg_backend_pid() AS pid')).rows[0].pid).not.toBe(pid);
      // A session that ran to its end keeps its connection.
      const kept = await withTapSession(one.pool, 'anonymous', { timeoutMs: 60_000, signal: new AbortController().signal }, async (c) => (await c.query('SELECT pg_backend_pid() AS pid')).rows[0].pid as number);
      expect((await one.pool.query('SELECT pg_backend_pid() AS pid')).rows[0].pid).toBe(kept);
    } finally {
      await one.close();
    }
  });

  it('ends a session whose result is not read (idle in transaction), says so, and does not pool the dead connection', async () => {
    const one = connectDatabase(a.database.url, { poolSize: 1 });
    try {
      let firstPid = 0;
      const err = await withTapSession(one.pool, 'anonymous', { timeoutMs: 5_000, idleMs: 200 }, async (c) => {
        firstPid = (await c.query('SELECT pg_backend_pid() AS pid')).rows[0].pid;
        // A consumer that stopped reading: the server ends the session after 200 ms idle.
        await waitFor(async () => (await a.database.pool.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE pid = $1', [firstPid])).rows[0].n === 0 || undefined);
        return c.query('SELECT 1');
      }).catch((e: unknown) => e);
      expect(err).toMatchObject({ name: 'TapExecutionError', reason: 'timeout', message: expect.stringMatching(/not read for 0\.2 s/) });
      const next = (await one.pool.query('SELECT pg_backend_pid() AS pid')).rows[0].pid;
      expect(next).not.toBe(firstPid);
    } finally {
      await one.close();
    }
  });

  it('refuses writes even to a table the role can read', async () => {
    const err = await asRole('token', (c) => c.query(`INSERT INTO ${a.draft.sqlName} (_row) VALUES (999999)`)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TapExecutionError);
    expect((err as TapExecutionError).reason).toMatch(/read-only|denied/);
    const { rows } = await a.database.pool.query(`SELECT count(*)::int AS n FROM ${a.draft.sqlName} WHERE _row = 999999`);
    expect(rows[0].n).toBe(0);
  });
});

describe('loadTapCatalogue', () => {
  it('lists what the role may see, with the sky columns the translator uses for CONTAINS', async () => {
    const anon = await loadTapCatalogue(a.database.pool, 'anonymous');
    const token = await loadTapCatalogue(a.database.pool, 'token');
    expect(anon.table(a.published.schema, a.published.table)).toMatchObject({ sqlName: a.published.sqlName, position: { ra: 'ra', dec: 'dec', hpx: '_hpx' } });
    expect(anon.table(a.draft.schema, a.draft.table)).toBeUndefined();
    expect(token.table(a.draft.schema, a.draft.table)).toMatchObject({ sqlName: a.draft.sqlName, position: { ra: 'ra', dec: 'dec', hpx: '_hpx' } });
    expect(anon.table('ivoa', 'obscore')).toMatchObject({ sqlName: '"ivoa"."obscore"', position: { ra: 's_ra', dec: 's_dec', hpx: 'hpx' }, coverage: 'coverage' });
    // A bare name: found when one schema has it, not when two do (sky is in both releases' schemas for the token).
    expect(anon.table(undefined, a.published.table)?.schema).toBe(a.published.schema);
    expect(token.table(undefined, a.published.table)).toBeUndefined();
    const mag = anon.table(a.published.schema, a.published.table)!.columns.find((c) => c.name === 'mag');
    expect(mag).toMatchObject({ datatype: 'double' });
    // Cached: the same object until a load or a publication changes the stamp.
    expect(await loadTapCatalogue(a.database.pool, 'anonymous')).toBe(anon);
  });
});
