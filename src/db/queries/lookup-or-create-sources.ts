/**
 * Sources by name, created when new: one statement for any number of names. The common case
 * (names already known) is a plain index lookup; only new names are inserted. A name inserted
 * by a concurrent batch after this statement's snapshot is not returned here; the caller
 * looks those few up again (see src/ingest/loaders.ts).
 */
import type pg from 'pg';

export async function lookupOrCreateSources(pool: pg.Pool, names: readonly string[]): Promise<Map<string, number>> {
  const { rows } = await pool.query<{ id: number; name: string }>(
    `WITH input AS (SELECT DISTINCT unnest($1::text[]) AS name),
          existing AS (SELECT s.id, s.name FROM sources s JOIN input USING (name)),
          created AS (
            INSERT INTO sources (name) SELECT name FROM input WHERE name NOT IN (SELECT name FROM existing)
            ON CONFLICT (name) DO NOTHING RETURNING id, name)
     SELECT id, name FROM existing UNION ALL SELECT id, name FROM created`,
    [names],
  );
  return new Map(rows.map((r) => [r.name, Number(r.id)]));
}
