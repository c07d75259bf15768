/** Registry rows of loaded catalogue tables, by id or by record, one statement per batch of keys. */
import type pg from 'pg';
import type { CatalogueTableModel } from '../../graphql/resolvers/catalogue-model.js';

const COLUMNS = `id, record_id, release_id, schema_name, table_name, row_count, columns, ra_column, dec_column`;

function model(r: Record<string, unknown>): CatalogueTableModel {
  return {
    id: Number(r.id),
    recordId: Number(r.record_id),
    releaseId: Number(r.release_id),
    schemaName: r.schema_name as string,
    tableName: r.table_name as string,
    rowCount: Number(r.row_count),
    columns: r.columns as CatalogueTableModel['columns'],
    raColumn: r.ra_column as string | null,
    decColumn: r.dec_column as string | null,
  };
}

export async function catalogueTablesById(pool: pg.Pool, ids: readonly number[]): Promise<(CatalogueTableModel | null)[]> {
  const { rows } = await pool.query(`SELECT ${COLUMNS} FROM catalogue_tables WHERE id = ANY($1::bigint[])`, [ids]);
  const byId = new Map(rows.map((r) => [Number(r.id), model(r)]));
  return ids.map((id) => byId.get(id) ?? null);
}

export async function catalogueTablesByRecord(pool: pg.Pool, recordIds: readonly number[]): Promise<CatalogueTableModel[][]> {
  const { rows } = await pool.query(`SELECT ${COLUMNS} FROM catalogue_tables WHERE record_id = ANY($1::bigint[]) ORDER BY record_id, hdu`, [recordIds]);
  const by = new Map<number, CatalogueTableModel[]>();
  for (const r of rows) {
    const m = model(r);
    const list = by.get(m.recordId) ?? [];
    list.push(m);
    by.set(m.recordId, list);
  }
  return recordIds.map((id) => by.get(id) ?? []);
}

/** A table by its qualified name (`schema.table`, as TAP and the CLI name it), with its release's status. */
export async function catalogueTableByName(pool: pg.Pool, qualified: string): Promise<(CatalogueTableModel & { published: boolean }) | null> {
  const { rows } = await pool.query(
    `SELECT ${COLUMNS.split(', ').map((c) => `t.${c}`).join(', ')}, rel.status = 'published' AS published
     FROM catalogue_tables t JOIN releases rel ON rel.id = t.release_id WHERE t.schema_name || '.' || t.table_name = lower($1)`,
    [qualified],
  );
  return rows[0] ? { ...model(rows[0]), published: rows[0].published } : null;
}
