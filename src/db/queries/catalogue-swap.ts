/**
 * The statements of one table's load around its COPY (src/catalogue/load-file.ts):
 * a fresh staging table, its indexes after the rows are in, and the swap: in one transaction,
 * the old table dropped, the staging table renamed to the final name and the registry row
 * written, and the table granted to the TAP roles (tap-grants.ts). A crash before COMMIT leaves
 * the old table and its registry row as they were (the staging table is dropped by the next
 * attempt); after it, the new ones. Identifiers come from
 * src/catalogue/names.ts and the plan, never from a request.
 */
import type pg from 'pg';
import { HPX_COLUMN, quoteIdent, ROW_COLUMN, shortHash, tableIdentifier } from '../../catalogue/names.js';
import type { LoadColumn } from '../../catalogue/plan.js';
import { swapGrantStatements } from './tap-grants.js';

export const stagingName = (fileId: number, hdu: number) => `_stage_${fileId}_${hdu}`;

/** The release's schema, created by the first load into it. */
export async function createSchema(client: pg.PoolClient, schema: string): Promise<void> {
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`);
  } catch (err) {
    // Two loads creating the same schema at once: one wins, the other finds it there.
    if ((err as { code?: string }).code !== '23505') throw err;
  }
}

/**
 * A fresh staging table, an earlier attempt's dropped. `schemaToo`: create the schema first
 * (not inside a transaction: a lost race for the schema would abort it).
 */
export async function createStaging(client: pg.PoolClient, schema: string, staging: string, columns: LoadColumn[], sky: boolean, schemaToo = true): Promise<void> {
  const s = quoteIdent(schema);
  const defs = [`${quoteIdent(ROW_COLUMN)} bigint NOT NULL`, ...(sky ? [`${quoteIdent(HPX_COLUMN)} bigint`] : []), ...columns.map((c) => `${quoteIdent(c.sqlName)} ${c.type}`)];
  if (schemaToo) await createSchema(client, schema);
  await client.query(`DROP TABLE IF EXISTS ${s}.${quoteIdent(staging)}; CREATE TABLE ${s}.${quoteIdent(staging)} (${defs.join(', ')})`);
}

/** Index names start with `_` (no table name does): they never take a name a table could want. */
function indexNames(table: string) {
  const h = shortHash(table);
  return { pk: `_pk_${h}`, hpx: `_hpx_${h}`, id: `_id_${h}` };
}

/**
 * Indexes built after the rows are in (one sort each, not one insertion per row): `_row`'s
 * unique index (made the primary key afterwards, USING INDEX: no second build, and no scan, the
 * column being NOT NULL already), `_hpx`'s and the id column's. Given `pool`, they are built two
 * at a time on two sessions: each build is a scan of the table and a sort, mostly one
 * process's CPU, and the machine has more than one (a 3M-row table: 3.8-4.1 s instead of 5.7).
 */
export async function indexStaging(
  client: pg.PoolClient,
  schema: string,
  staging: string,
  position: { ra: string; dec: string } | null,
  idColumn: string | null,
  pool?: pg.Pool,
): Promise<void> {
  const t = `${quoteIdent(schema)}.${quoteIdent(staging)}`;
  const names = indexNames(staging);
  const builds = [`CREATE UNIQUE INDEX ${quoteIdent(names.pk)} ON ${t} (${quoteIdent(ROW_COLUMN)})`];
  // `_hpx` carries the row number and the position (INCLUDE) so that a cross-match against
  // the table reads only this index (src/db/queries/crossmatch.ts): one random heap page per
  // match otherwise, most of a large match's time (as for records_hpx_idx, migration 0026).
  if (position) {
    const include = [ROW_COLUMN, position.ra, position.dec].map(quoteIdent).join(', ');
    builds.push(`CREATE INDEX ${quoteIdent(names.hpx)} ON ${t} (${quoteIdent(HPX_COLUMN)}) INCLUDE (${include})`);
  }
  if (idColumn) builds.push(`CREATE INDEX ${quoteIdent(names.id)} ON ${t} (${quoteIdent(idColumn)})`);
  const other = pool && builds.length > 1 ? await pool.connect() : null;
  let broken: Error | undefined;
  try {
    const queues: string[][] = other ? [[], []] : [builds, []];
    if (other) builds.forEach((sql, i) => queues[i % 2].push(sql));
    // The sorts in memory where they fit (the default 64MB spills a few million rows to disk).
    // On two sessions, the first (`_row`'s unique index, a presorted column: the shorter build)
    // gets no parallel workers, since the two builds keep two cores busy already and workers'
    // start-up and merge cost CPU (index stage of 2M narrow rows: 1.65-1.68 s of server CPU
    // without, 1.91-2.13 s with). The second (`_hpx`'s with its INCLUDE columns, if any: the long one)
    // may have one, which PostgreSQL starts only for a large table: it takes the core that
    // `_row`'s build leaves idle (10M narrow rows: index stage 9.6-9.7 s without, 7.8 s with, the
    // server's CPU for the load 20.4-21.2 s and 19.6-19.7 s). SET LOCAL: the multi-statement
    // query is its own transaction, and the settings end with it.
    const settings = (workers: number | null) => [`SET LOCAL maintenance_work_mem = '256MB'`, ...(workers === null ? [] : [`SET LOCAL max_parallel_maintenance_workers = ${workers}`])];
    const run = (c: pg.PoolClient, sqls: string[], workers: number | null) => (sqls.length ? c.query([...settings(workers), ...sqls].join('; ')) : Promise.resolve());
    const results = await Promise.allSettled([run(client, queues[0], other ? 0 : null), other ? run(other, queues[1], 1).catch((e: Error) => Promise.reject((broken = e))) : Promise.resolve()]);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  } finally {
    other?.release(broken);
  }
  await client.query(`ALTER TABLE ${t} ADD CONSTRAINT ${quoteIdent(names.pk)} PRIMARY KEY USING INDEX ${quoteIdent(names.pk)}`);
}

/** Sources named by the id column, created when new: one statement over the distinct names. */
export async function linkSources(client: pg.PoolClient, schema: string, staging: string, idColumn: string): Promise<void> {
  const name = `regexp_replace(btrim(${quoteIdent(idColumn)}::text), '\\s+', ' ', 'g')`;
  await client.query(
    `INSERT INTO sources (name)
     SELECT DISTINCT ${name} FROM ${quoteIdent(schema)}.${quoteIdent(staging)} WHERE ${quoteIdent(idColumn)} IS NOT NULL AND ${name} <> ''
     ON CONFLICT (name) DO NOTHING`,
  );
}

export interface RegistryRow {
  recordId: number;
  fileId: number;
  releaseId: number;
  hdu: number;
  schema: string;
  columns: LoadColumn[];
  rowCount: number;
  raColumn: string | null;
  decColumn: string | null;
  idColumn: string | null;
  checksum: string | null;
}

/**
 * Swaps the staging table in under its final name, in one transaction; returns that name.
 * The name is `base` unless a table of a lower (file id, HDU) wants it, then
 * `base_<hash of file and HDU>`: decided under a per-schema advisory lock, so two loads never
 * take the same name, and the same names come out whatever order the loads ran in.
 */
export async function swapIn(client: pg.PoolClient, staging: string, baseName: string, reg: RegistryRow, beforeCommit?: () => Promise<void>): Promise<string> {
  await client.query('BEGIN');
  try {
    // The release's status FOR SHARE: a publish (FOR UPDATE) either committed before, and the
    // table is granted to anonymous TAP callers here, or waits for this swap and grants it itself.
    const { rows: lock } = await client.query<{ status: string }>(
      `SELECT pg_advisory_xact_lock(hashtext('catalogue schema ' || $1)), (SELECT status FROM releases WHERE id = $2 FOR SHARE) AS status`,
      [reg.schema, reg.releaseId],
    );
    const { rows } = await client.query<{ file_id: string; hdu: number; table_name: string; ra_column: string | null; id_column: string | null }>(
      `SELECT file_id, hdu, table_name, ra_column, id_column FROM catalogue_tables WHERE schema_name = $1`,
      [reg.schema],
    );
    const mine = rows.find((r) => Number(r.file_id) === reg.fileId && r.hdu === reg.hdu);
    const base = tableIdentifier(baseName);
    const hashed = (fileId: number, hdu: number) => tableIdentifier(`${base.slice(0, 50)}_${shortHash(`${fileId}#${hdu}`)}`);
    const s = quoteIdent(reg.schema);
    const ddl: string[] = [];
    // Deterministic whatever order the loads run in: `base` belongs to the lowest (file id, HDU)
    // that wants it. A later load with a lower one takes it over, and the holder moves to its
    // own hashed name (table, indexes and registry row in this transaction).
    const holder = rows.find((r) => r !== mine && r.table_name === base);
    const before = (a: { fileId: number; hdu: number }, b: { fileId: number; hdu: number }) => a.fileId < b.fileId || (a.fileId === b.fileId && a.hdu < b.hdu);
    let name = base;
    let movedHolder: { fileId: number; hdu: number; tableName: string } | null = null;
    if (holder) {
      const held = { fileId: Number(holder.file_id), hdu: holder.hdu };
      if (before(held, reg)) name = hashed(reg.fileId, reg.hdu);
      else {
        const moved = hashed(held.fileId, held.hdu);
        const [from, to] = [indexNames(base), indexNames(moved)];
        ddl.push(`DROP TABLE IF EXISTS ${s}.${quoteIdent(moved)}`);
        ddl.push(`ALTER TABLE ${s}.${quoteIdent(base)} RENAME TO ${quoteIdent(moved)}`);
        ddl.push(`ALTER INDEX ${s}.${quoteIdent(from.pk)} RENAME TO ${quoteIdent(to.pk)}`);
        if (holder.ra_column) ddl.push(`ALTER INDEX ${s}.${quoteIdent(from.hpx)} RENAME TO ${quoteIdent(to.hpx)}`);
        if (holder.id_column) ddl.push(`ALTER INDEX ${s}.${quoteIdent(from.id)} RENAME TO ${quoteIdent(to.id)}`);
        movedHolder = { ...held, tableName: moved };
      }
    }
    if (mine) ddl.push(`DROP TABLE IF EXISTS ${s}.${quoteIdent(mine.table_name)}`);
    ddl.push(`DROP TABLE IF EXISTS ${s}.${quoteIdent(name)}`);
    ddl.push(`ALTER TABLE ${s}.${quoteIdent(staging)} RENAME TO ${quoteIdent(name)}`);
    const from = indexNames(staging);
    const to = indexNames(name);
    ddl.push(`ALTER INDEX ${s}.${quoteIdent(from.pk)} RENAME TO ${quoteIdent(to.pk)}`);
    if (reg.raColumn) ddl.push(`ALTER INDEX ${s}.${quoteIdent(from.hpx)} RENAME TO ${quoteIdent(to.hpx)}`);
    if (reg.idColumn) ddl.push(`ALTER INDEX ${s}.${quoteIdent(from.id)} RENAME TO ${quoteIdent(to.id)}`);
    ddl.push(...swapGrantStatements(reg.schema, name, lock[0].status === 'published'));
    await client.query(ddl.join('; '));
    if (movedHolder) {
      await client.query(`UPDATE catalogue_tables SET table_name = $3 WHERE file_id = $1 AND hdu = $2`, [movedHolder.fileId, movedHolder.hdu, movedHolder.tableName]);
    }
    await client.query(
      `INSERT INTO catalogue_tables (record_id, file_id, release_id, hdu, schema_name, table_name, row_count, columns, ra_column, dec_column, id_column, loaded_checksum, loaded_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, now())
       ON CONFLICT (file_id, hdu) DO UPDATE SET record_id = EXCLUDED.record_id, schema_name = EXCLUDED.schema_name, table_name = EXCLUDED.table_name,
         row_count = EXCLUDED.row_count, columns = EXCLUDED.columns, ra_column = EXCLUDED.ra_column, dec_column = EXCLUDED.dec_column,
         id_column = EXCLUDED.id_column, loaded_checksum = EXCLUDED.loaded_checksum, loaded_at = now()`,
      [reg.recordId, reg.fileId, reg.releaseId, reg.hdu, reg.schema, name, reg.rowCount, JSON.stringify(reg.columns), reg.raColumn, reg.decColumn, reg.idColumn, reg.checksum],
    );
    await beforeCommit?.();
    await client.query('COMMIT');
    return name;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

/** Tables of the file that are gone from it (an HDU removed by a new version): dropped with their registry rows. */
export async function dropTables(client: pg.PoolClient, fileId: number, tables: Array<{ hdu: number; schemaName: string; tableName: string }>): Promise<void> {
  if (!tables.length) return;
  await client.query('BEGIN');
  try {
    await client.query(tables.map((t) => `DROP TABLE IF EXISTS ${quoteIdent(t.schemaName)}.${quoteIdent(t.tableName)}`).join('; '));
    await client.query(`DELETE FROM catalogue_tables WHERE file_id = $1 AND hdu = ANY($2::int[])`, [fileId, tables.map((t) => t.hdu)]);
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

/** A staging table left by a load that failed (its rows are of no use). */
export async function dropStaging(client: pg.PoolClient, schema: string, staging: string): Promise<void> {
  await client.query(`DROP TABLE IF EXISTS ${quoteIdent(schema)}.${quoteIdent(staging)}`);
}

