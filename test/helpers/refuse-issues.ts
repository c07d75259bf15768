/**
 * Makes the database refuse, for its first tries, the statement that records an issue of one
 * code: as a database failing at that moment would. A trigger raises on the issue's rows
 * while a sequence counts them (the raise rolls back anything else it could write).
 */
import type { Database } from '../../src/db/client.js';

export interface RefusedIssues {
  /** Issue rows of the code seen so far, refused ones included. */
  rowsSeen(): Promise<number>;
  drop(): Promise<void>;
}

export async function refuseIssues(database: Database, code: string, refusals: number): Promise<RefusedIssues> {
  await database.pool.query(`
    CREATE SEQUENCE test_refused_issue_rows;
    CREATE FUNCTION test_refuse_issue() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.code = '${code}' AND nextval('test_refused_issue_rows') <= ${refusals} THEN RAISE EXCEPTION 'test: recording refused'; END IF;
      RETURN NEW;
    END $$;
    CREATE TRIGGER test_refuse_issue BEFORE INSERT ON validation_issues FOR EACH ROW EXECUTE FUNCTION test_refuse_issue();`);
  return {
    rowsSeen: async () => (await database.pool.query(`SELECT last_value::int AS n FROM test_refused_issue_rows`)).rows[0].n,
    drop: async () => {
      await database.pool.query(`DROP TRIGGER test_refuse_issue ON validation_issues; DROP FUNCTION test_refuse_issue(); DROP SEQUENCE test_refused_issue_rows`);
    },
  };
}
