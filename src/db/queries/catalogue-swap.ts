/**
 * The statements of one table's load around its COPY (src/catalogue/load-file.ts):
 * a fresh staging table, its indexes after the rows are in, and the swap: in one transaction,
 * the old table dropped, the staging table renamed to the final name and the registry row
 * written. A crash before COMMIT leaves the old table and its registry row as they were (the
 * staging table is dropped by the next attempt); after it, the new ones. Identifiers come from
 * src/catalogue/names.ts and the plan, never from a request.
 */
import type pg from 'pg';
import { HPX_COLUMN, quoteIdent, ROW_COLUMN, shortHash, tableIdentifier } from '../../catalogue/names.js';
import type { LoadColumn } from '../../catalogue/plan.js';

export const stagingName = (fileId: number, hdu: number) => `_stage_${fileId}_${hdu}`;

export async function createStaging(client: pg.PoolClient, schema: string, staging: string, columns: LoadColumn[], sky: boolean): Promise<void> {
  const s = quoteIdent(schema);
  const defs = [`${quoteIdent(ROW_COLUMN)} bigint NOT NULL`, ...(sky ? [`${quoteIdent(HPX_COLUMN)} bigint`] : []), ...columns.map((c) => `${quoteIdent(c.sqlName)} ${c.type}`)];
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
  } catch (err) {
    // Two loads creating the same schema at once: one wins, the other finds it there.
    if ((err as { code?: string }).code !== '23505') throw err;
  }
  await client.query(`DROP TABLE IF EXISTS ${s}.${quoteIdent(staging)}; CREATE TABLE ${s}.${quoteIdent(staging)} (${defs.join(', ')})`);
}

/** Index names start with `_` (no table name does): they never take a name a table could want. */
function indexNames(table: string) {
  const h = shortHash(table);
  return { pk: `_pk_${h}`, hpx: `_hpx_${h}`, id: `_id_${h}` };
}

/** Indexes built after the rows are in (one sort each, not one insertion per row). */
export async function indexStaging(client: pg.PoolClient, schema: string, staging: string, sky: boolean, idColumn: string | null): Promise<void> {
  const t = `${quoteIdent(schema)}.${quoteIdent(staging)}`;
  const names = indexNames(staging);
  const sql = [`ALTER TABLE ${t} ADD CONSTRAINT ${quoteIdent(names.pk)} PRIMARY KEY (${quoteIdent(ROW_COLUMN)})`];
  if (sky) sql.push(`CREATE INDEX ${quoteIdent(names.hpx)} ON ${t} (${quoteIdent(HPX_COLUMN)})`);
  if (idColumn) sql.push(`CREATE INDEX ${quoteIdent(names.id)} ON ${t} (${quoteIdent(idColumn)})`);
  await client.query(sql.join('; '));
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
 * The name is `base` unless another file's table has it, then `base_<hash of file and HDU>`:
 * decided under a per-schema advisory lock, so two loads never take the same name.
 */
export async function swapIn(client: pg.PoolClient, staging: string, baseName: string, reg: RegistryRow, beforeCommit?: () => Promise<void>): Promise<string> {
  await client.query('BEGIN');
  try {
    await client.query(`SELECT pg_advisory_xact_lock(hashtext('catalogue schema ' || $1))`, [reg.schema]);
    const { rows } = await client.query<{ file_id: string; hdu: number; table_name: string }>(
      `SELECT file_id, hdu, table_name FROM catalogue_tables WHERE schema_name = $1`,
      [reg.schema],
    );
    const mine = rows.find((r) => Number(r.file_id) === reg.fileId && r.hdu === reg.hdu);
    const taken = new Set(rows.filter((r) => r !== mine).map((r) => r.table_name));
    const base = tableIdentifier(baseName);
    const name = taken.has(base) ? tableIdentifier(`${base.slice(0, 50)}_${shortHash(`${reg.fileId}#${reg.hdu}`)}`) : base;
    const s = quoteIdent(reg.schema);
    const ddl: string[] = [];
    if (mine) ddl.push(`DROP TABLE IF EXISTS ${s}.${quoteIdent(mine.table_name)}`);
    ddl.push(`DROP TABLE IF EXISTS ${s}.${quoteIdent(name)}`);
    ddl.push(`ALTER TABLE ${s}.${quoteIdent(staging)} RENAME TO ${quoteIdent(name)}`);
    const from = indexNames(staging);
    const to = indexNames(name);
    ddl.push(`ALTER INDEX ${s}.${quoteIdent(from.pk)} RENAME TO ${quoteIdent(to.pk)}`);
    if (reg.raColumn) ddl.push(`ALTER INDEX ${s}.${quoteIdent(from.hpx)} RENAME TO ${quoteIdent(to.hpx)}`);
    if (reg.idColumn) ddl.push(`ALTER INDEX ${s}.${quoteIdent(from.id)} RENAME TO ${quoteIdent(to.id)}`);
    await client.query(ddl.join('; '));
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

