/**
 * Drafts stay out of reach of anonymous TAP callers, whatever the query: ADQL through the real
 * path (parse, translate against the caller's catalogue, run in the caller's session), and raw
 * SQL under the anonymous role for what the translator would never write (the database's own
 * guard). Then a publication, with a catalogue load landing in the middle of it, opens the
 * release's tables to anonymous callers, read-only.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { publishRelease } from '../../src/graphql/publish.js';
import { createStaging, indexStaging, stagingName, swapIn } from '../../src/db/queries/catalogue-swap.js';
import { VoUsageError } from '../../src/vo/errors.js';
import { loadTapCatalogue } from '../../src/vo/tap/catalogue.js';
import { compileTapQuery } from '../../src/vo/tap/run-query.js';
import { TapExecutionError, withTapSession, type TapViewer } from '../../src/vo/tap/session.js';
import { tapDbArchive } from './tap-db-fixture.js';

const a = tapDbArchive('EMB');
/** A position only the draft has (its records are otherwise copies of the published ones). */
const DRAFT_RA = 123.456789;

beforeAll(async () => {
  await a.database.pool.query(`UPDATE records SET center_ra = $1 WHERE id = $2`, [DRAFT_RA, a.draft.recordId]);
  await a.database.pool.query(`ANALYZE records; ANALYZE ${a.draft.sqlName}; ANALYZE ${a.published.sqlName}`);
});

async function adql(viewer: TapViewer, text: string): Promise<Record<string, unknown>[]> {
  const q = await compileTapQuery(a.database.pool, viewer, text, 10_000);
  return withTapSession(a.database.pool, viewer, { timeoutMs: 20_000 }, async (c) => (await c.query(q.sql, q.params)).rows);
}

async function sql(viewer: TapViewer, text: string): Promise<Record<string, unknown>[]> {
  return withTapSession(a.database.pool, viewer, { timeoutMs: 20_000 }, async (c) => (await c.query(text)).rows);
}

const failure = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e as Error);

describe('ADQL as an anonymous caller', () => {
  it('sees only the published release in ivoa.obscore, counted, grouped or joined', async () => {
    expect(await adql('anonymous', 'SELECT COUNT(*) AS n FROM ivoa.obscore')).toEqual([{ n: a.published.obscoreRecords }]);
    expect(await adql('token', 'SELECT COUNT(*) AS n FROM ivoa.obscore')).toEqual([{ n: a.published.obscoreRecords + a.draft.obscoreRecords }]);
    expect(await adql('anonymous', 'SELECT obs_collection, COUNT(*) AS n FROM ivoa.obscore GROUP BY obs_collection')).toEqual([{ obs_collection: 'EMB/DR1', n: a.published.obscoreRecords }]);
    expect(await adql('anonymous', `SELECT COUNT(*) AS n FROM ivoa.obscore WHERE obs_collection = 'EMB/DR2' OR obs_id LIKE 'EMB/DR2/%'`)).toEqual([{ n: 0 }]);
    // A self-join and a subquery see the same rows.
    expect(await adql('anonymous', `SELECT COUNT(*) AS n FROM ivoa.obscore AS x JOIN ivoa.obscore AS y ON x.obs_id = y.obs_id WHERE y.obs_collection = 'EMB/DR2'`)).toEqual([{ n: 0 }]);
    expect(await adql('anonymous', `SELECT COUNT(*) AS n FROM ivoa.obscore WHERE s_ra IN (SELECT s_ra FROM ivoa.obscore WHERE s_ra = ${DRAFT_RA})`)).toEqual([{ n: 0 }]);
    expect(await adql('token', `SELECT COUNT(*) AS n FROM ivoa.obscore WHERE s_ra IN (SELECT s_ra FROM ivoa.obscore WHERE s_ra = ${DRAFT_RA})`)).toEqual([{ n: 1 }]);
  });

  it('cannot make a draft row raise an error: conditions run only on rows the caller may see', async () => {
    // Division by zero exactly at the draft's position: an error would tell the draft is there.
    const trick = `SELECT COUNT(*) AS n FROM ivoa.obscore WHERE 1 / (s_ra - ${DRAFT_RA}) > 0`;
    expect(await adql('anonymous', trick)).toEqual([{ n: expect.any(Number) }]);
    // The same query as a token holder, who sees the draft, does fail: the trick is real.
    expect(await failure(adql('token', trick))).toMatchObject({ message: expect.stringMatching(/division by zero/) });
    // A square root of a negative number, only near the draft's position.
    const trick2 = `SELECT COUNT(*) AS n FROM ivoa.obscore WHERE SQRT(ABS(s_ra - ${DRAFT_RA}) - 0.5) >= 0`;
    expect(await adql('anonymous', trick2)).toEqual([{ n: expect.any(Number) }]);
    expect(await failure(adql('token', trick2))).toMatchObject({ message: expect.stringMatching(/square root of a negative number/) });
  });

  it('finds no draft table, by name, in a join or in a subquery, and the error is the one for a table that does not exist', async () => {
    const draft = `${a.draft.schema}.${a.draft.table}`;
    const missing = `${a.draft.schema}_nothing.${a.draft.table}`;
    const forms = [
      (t: string) => `SELECT * FROM ${t}`,
      (t: string) => `SELECT o.obs_id FROM ivoa.obscore AS o JOIN ${t} AS s ON s.ra = o.s_ra`,
      (t: string) => `SELECT obs_id FROM ivoa.obscore WHERE EXISTS (SELECT 1 FROM ${t})`,
      (t: string) => `SELECT obs_id FROM ivoa.obscore WHERE s_ra IN (SELECT ra FROM ${t})`,
    ];
    for (const form of forms) {
      const hidden = await failure(adql('anonymous', form(draft)));
      const none = await failure(adql('anonymous', form(missing)));
      expect(hidden).toBeInstanceOf(VoUsageError);
      expect(hidden!.message.split(draft).join('<t>')).toBe(none!.message.split(missing).join('<t>'));
      // The token holder reaches it.
      expect(await failure(adql('token', form(draft)))).toBeUndefined();
    }
    // The published release's table is there for everyone.
    expect((await adql('anonymous', `SELECT COUNT(*) AS n FROM ${a.published.schema}.${a.published.table}`))[0].n).toBeGreaterThan(0);
  });

  it('TAP_SCHEMA lists no draft schema, table or column', async () => {
    const like = `'%${a.draft.schema}%'`;
    expect(await adql('anonymous', `SELECT COUNT(*) AS n FROM TAP_SCHEMA.schemas WHERE schema_name LIKE ${like}`)).toEqual([{ n: 0 }]);
    expect(await adql('anonymous', `SELECT COUNT(*) AS n FROM TAP_SCHEMA.tables WHERE table_name LIKE ${like} OR schema_name LIKE ${like}`)).toEqual([{ n: 0 }]);
    expect(await adql('anonymous', `SELECT COUNT(*) AS n FROM TAP_SCHEMA.columns WHERE table_name LIKE ${like}`)).toEqual([{ n: 0 }]);
    // Joined to obscore, or in a subquery, the same.
    expect(await adql('anonymous', `SELECT COUNT(*) AS n FROM TAP_SCHEMA.tables AS t JOIN TAP_SCHEMA.columns AS c ON c.table_name = t.table_name WHERE t.schema_name LIKE ${like}`)).toEqual([{ n: 0 }]);
    // The token holder sees them (so the filters above are not vacuous).
    expect((await adql('token', `SELECT COUNT(*) AS n FROM TAP_SCHEMA.columns WHERE table_name LIKE ${like}`))[0].n).toBeGreaterThan(0);
    const published = await adql('anonymous', `SELECT COUNT(*) AS n FROM TAP_SCHEMA.columns WHERE table_name = '${a.published.schema}.${a.published.table}'`);
    expect(published[0].n).toBeGreaterThan(0);
  });

  it('cannot name the archive\'s own tables or PostgreSQL\'s functions', async () => {
    for (const q of [
      'SELECT * FROM public.records',
      'SELECT * FROM api_tokens',
      'SELECT * FROM pg_catalog.pg_stats',
      'SELECT * FROM tap_schema.fixed_columns',
      `SELECT pg_read_file('/etc/passwd') FROM ivoa.obscore`,
      `SELECT set_config('role', 'none', true) FROM ivoa.obscore`,
      `SELECT current_setting('astroarchive.public_base') FROM ivoa.obscore`,
      `SELECT query_to_xml('select 1', true, true, '') FROM ivoa.obscore`,
    ]) {
      expect(await failure(adql('anonymous', q)), q).toBeInstanceOf(VoUsageError);
    }
  });
});

describe('the database itself, under the anonymous role (what the translator never writes)', () => {
  it('denies the draft\'s catalogue table, without naming it', async () => {
    for (const q of [`SELECT * FROM ${a.draft.sqlName}`, `SELECT count(*) FROM ivoa.obscore WHERE EXISTS (SELECT 1 FROM ${a.draft.sqlName})`]) {
      const err = await failure(sql('anonymous', q));
      expect(err).toBeInstanceOf(TapExecutionError);
      expect(err).toMatchObject({ reason: 'denied' });
      expect(err!.message).not.toContain(a.draft.table);
      expect(err!.message).not.toContain(a.draft.schema);
    }
    expect(await failure(sql('token', `SELECT * FROM ${a.draft.sqlName}`))).toBeUndefined();
  });

  it('denies the archive\'s tables, and the catalog shows no values of them or of the draft', async () => {
    for (const t of ['public.records', 'public.files', 'public.api_tokens', 'public.catalogue_tables', 'public.releases', 'public.sources', 'graphile_worker._private_jobs', 'pg_catalog.pg_statistic', 'pg_catalog.pg_authid']) {
      for (const viewer of ['anonymous', 'token'] as const) {
        expect(await failure(sql(viewer, `SELECT * FROM ${t} LIMIT 1`)), `${viewer} ${t}`).toBeInstanceOf(TapExecutionError);
      }
    }
    // pg_stats (readable by everyone) lists only columns the role may SELECT: the statistics'
    // sample values of records and of the draft's table stay hidden. The archive itself sees them.
    const stats = `SELECT count(*)::int AS n FROM pg_stats WHERE (schemaname = 'public' AND tablename = 'records') OR (schemaname = '${a.draft.schema}' AND tablename = '${a.draft.table}')`;
    expect(await sql('anonymous', stats)).toEqual([{ n: 0 }]);
    expect((await a.database.pool.query(stats)).rows[0].n).toBeGreaterThan(0);
    for (const f of [`pg_read_file('/etc/hostname')`, `pg_ls_dir('.')`, `lo_import('/etc/hostname')`]) {
      expect(await failure(sql('anonymous', `SELECT ${f}`)), f).toMatchObject({ reason: 'denied' });
    }
  });

  it('writes nothing, even where it can read', async () => {
    const writes = [
      `INSERT INTO ${a.published.sqlName} (_row) VALUES (424242)`,
      `UPDATE ${a.published.sqlName} SET _row = _row`,
      `DELETE FROM ${a.published.sqlName}`,
      `CREATE TABLE ivoa.x (a int)`,
    ];
    for (const w of writes) {
      for (const viewer of ['anonymous', 'token'] as const) expect(await failure(sql(viewer, w)), `${viewer}: ${w}`).toBeInstanceOf(TapExecutionError);
    }
    const { rows } = await a.database.pool.query(
      `SELECT bool_or(has_table_privilege(r, $1, p)) AS any FROM unnest(ARRAY['astroarchive_tap_anon', 'astroarchive_tap_token', 'public']) AS r, unnest(ARRAY['INSERT', 'UPDATE', 'DELETE', 'TRUNCATE']) AS p`,
      [a.published.sqlName],
    );
    expect(rows[0].any).toBe(false);
  });
});

describe('publishing', () => {
  it('a table loaded while the release is being published is granted with it; then anonymous callers read every table of it, and only read', async () => {
    const draftTables = () => a.database.pool.query(`SELECT record_id::int, file_id::int FROM catalogue_tables WHERE release_id = $1`, [a.draft.releaseId]);
    const { rows: [cat] } = await draftTables();
    const schema = a.draft.schema;
    const staging = stagingName(cat.file_id, 77);
    let published: Promise<unknown> | undefined;
    const client = await a.database.pool.connect();
    let name: string;
    try {
      await createStaging(client, schema, staging, [{ name: 'x', sqlName: 'x', type: 'integer', unit: null, ucd: null, description: null }], false);
      await client.query(`INSERT INTO "${schema}"."${staging}" (_row, x) VALUES (1, 42)`);
      await indexStaging(client, schema, staging, null, null);
      name = await swapIn(client, staging, 'late', {
        recordId: cat.record_id, fileId: cat.file_id, releaseId: a.draft.releaseId, hdu: 77, schema, columns: [{ name: 'x', sqlName: 'x', type: 'integer', unit: null, ucd: null, description: null }],
        rowCount: 1, raColumn: null, decColumn: null, idColumn: null, checksum: null,
      }, async () => {
        // The swap holds the release FOR SHARE: the publication waits for it to commit.
        published = publishRelease(a.database, a.draft.releaseId);
        const deadline = Date.now() + 30_000;
        for (;;) {
          const { rows } = await a.database.pool.query(
            `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%FROM releases r WHERE r.id = $1 FOR UPDATE%'`,
          );
          if (rows[0].n > 0) break;
          if (Date.now() > deadline) throw new Error('the publication never waited for the swap');
          await new Promise((r) => setTimeout(r, 20));
        }
      });
    } finally {
      client.release();
    }
    await published;
    // The late table and the release's own table: listed and readable for anonymous callers now.
    const anon = await loadTapCatalogue(a.database.pool, 'anonymous');
    expect(anon.table(schema, name!)).toBeDefined();
    expect(anon.table(a.draft.schema, a.draft.table)).toBeDefined();
    expect(await sql('anonymous', `SELECT x FROM "${schema}"."${name!}"`)).toEqual([{ x: 42 }]);
    expect((await adql('anonymous', `SELECT COUNT(*) AS n FROM ${a.draft.schema}.${a.draft.table}`))[0].n).toBeGreaterThan(0);
    expect(await adql('anonymous', 'SELECT COUNT(*) AS n FROM ivoa.obscore')).toEqual([{ n: a.published.obscoreRecords + a.draft.obscoreRecords }]);
    // Read-only: no role but the owner may write them.
    const { rows } = await a.database.pool.query(
      `SELECT bool_or(has_table_privilege(r, t, p)) AS any
         FROM unnest(ARRAY['astroarchive_tap_anon', 'astroarchive_tap_token', 'public']) AS r,
              unnest(ARRAY['INSERT', 'UPDATE', 'DELETE', 'TRUNCATE']) AS p,
              unnest($1::text[]) AS t`,
      [[a.draft.sqlName, `"${schema}"."${name!}"`]],
    );
    expect(rows[0].any).toBe(false);
    expect(await failure(sql('anonymous', `DELETE FROM "${schema}"."${name!}"`))).toBeInstanceOf(TapExecutionError);
  });
});
