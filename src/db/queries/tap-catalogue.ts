/**
 * What src/vo/tap/catalogue.ts reads as the archive's own role (not a TAP role): a stamp of
 * everything TAP_SCHEMA's catalogue rows depend on, and the RA/Dec columns of catalogue tables.
 * Both from small tables (one row per catalogue table, one per release).
 */
import type pg from 'pg';

/**
 * Changes whenever tap_schema's output can: a table loaded, reloaded or renamed (each swap
 * writes its row's loaded_at; a rename happens in another table's swap), dropped (the count,
 * the id sum), a release published.
 */
export async function tapCatalogueStamp(pool: pg.Pool): Promise<string> {
  const { rows } = await pool.query<{ stamp: string }>(
    `SELECT concat_ws('/', count(*), sum(id), max(loaded_at),
       (SELECT concat_ws('/', count(*), max(published_at)) FROM releases WHERE status = 'published')) AS stamp
     FROM catalogue_tables`,
  );
  return rows[0].stamp;
}

/** "<schema>.<table>" -> its RA and Dec columns (SQL names), for tables with a sky index (`_hpx`). */
export async function tapSkyColumns(pool: pg.Pool): Promise<Map<string, { ra: string; dec: string }>> {
  const { rows } = await pool.query<{ name: string; ra: string; dec: string }>(
    `SELECT schema_name || '.' || table_name AS name, ra_column AS ra, dec_column AS dec
     FROM catalogue_tables WHERE ra_column IS NOT NULL AND dec_column IS NOT NULL`,
  );
  return new Map(rows.map((r) => [r.name, { ra: r.ra, dec: r.dec }]));
}
