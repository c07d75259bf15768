/**
 * Who may read a catalogue table through TAP (roles of migration 0023), granted in the
 * transaction that changes it, so no moment exists where a table is there but wrongly readable:
 *
 * - at each load's swap (catalogue-swap.ts): SELECT to astroarchive_tap_token, and to
 *   astroarchive_tap_anon as well when the release is already published;
 * - at publish (src/graphql/publish.ts): SELECT to astroarchive_tap_anon on every table of the
 *   release, and INSERT/UPDATE/DELETE/TRUNCATE revoked from PUBLIC (no role but the tables'
 *   owner, the archive itself, ever has them; the revoke says so in the catalog).
 *
 * Neither role ever gets a write privilege, and TAP queries run READ ONLY besides.
 * Identifiers come from catalogue_tables (src/catalogue/names.ts), never from a request.
 */
import { quoteIdent } from '../../catalogue/names.js';

const ANON = 'astroarchive_tap_anon';
const TOKEN = 'astroarchive_tap_token';

/** The statements granting a freshly swapped-in table; `published`: the release's status, read under FOR SHARE. */
export function swapGrantStatements(schema: string, table: string, published: boolean): string[] {
  const s = quoteIdent(schema);
  const t = `${s}.${quoteIdent(table)}`;
  const sql = [`GRANT USAGE ON SCHEMA ${s} TO ${TOKEN}`, `GRANT SELECT ON ${t} TO ${TOKEN}`];
  if (published) sql.push(...publishedStatements(s, t));
  return sql;
}

function publishedStatements(s: string, t: string): string[] {
  return [`GRANT USAGE ON SCHEMA ${s} TO ${ANON}`, `GRANT SELECT ON ${t} TO ${ANON}`, `REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON ${t} FROM PUBLIC`];
}

/**
 * One statement (a DO block) granting every catalogue table of the release to the anonymous
 * role; run in the publish transaction, after the release row is locked FOR UPDATE (a swap
 * reads the status FOR SHARE, so it either committed before, and its table is found here, or
 * waits and sees `published`).
 */
export function publishGrantSql(releaseId: number): string {
  if (!Number.isSafeInteger(releaseId)) throw new TypeError(`release id ${releaseId} is not an integer`);
  return `DO $$
DECLARE t record;
BEGIN
  FOR t IN SELECT schema_name, table_name FROM catalogue_tables WHERE release_id = ${releaseId} LOOP
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO ${ANON}', t.schema_name);
    EXECUTE format('GRANT SELECT ON %I.%I TO ${ANON}', t.schema_name, t.table_name);
    EXECUTE format('REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON %I.%I FROM PUBLIC', t.schema_name, t.table_name);
  END LOOP;
END
$$`;
}
