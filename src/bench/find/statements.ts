/**
 * The statements the find benchmark times: the API's own (src/db/queries/record-search.ts, as
 * GraphQL `records(filter)` runs them for an anonymous caller: published releases, no INVALID
 * records, the default page), and q3c's cone as the same page with q3c_radial_query in place
 * of the hpx ranges and the exact distance.
 */
import { recordSearchSql, type RecordSearch } from '../../db/queries/record-search.js';

export interface BenchStatement {
  text: string;
  values: unknown[];
}
export interface Cone {
  ra: number;
  dec: number;
  /** Degrees. */
  radius: number;
}

/** The API's default page (first = 50): the statement asks one more row for hasNextPage. */
export const PAGE = 50;
export const STATEMENTS_SOURCE = "src/db/queries/record-search.ts recordSearchSql (the API's statements), anonymous caller";

/** The columns a page of records carries, the same on both servers. */
const COLUMNS = 'rec.id, rec.file_id, rec.release_id, rec.center_ra, rec.center_dec, rec.dataproduct_type, rec.em_min, rec.em_max, rec.t_min, rec.t_max';
const VISIBLE = `NOT rec.invalid AND rec.release_id = ANY (ARRAY(SELECT r.id FROM releases r WHERE r.status = 'published'))`;

function search(filter: RecordSearch): BenchStatement {
  return recordSearchSql({ ...filter, publishedOnly: true }, { limit: PAGE + 1, select: COLUMNS });
}

export function coneStatement(cone: Cone): BenchStatement {
  return search({ cone });
}

/** Cone + wavelength overlap (metres) + time overlap (MJD). */
export function combinedStatement(cone: Cone, em: [number, number], t: [number, number]): BenchStatement {
  return search({ cone, wavelength: { min: em[0], max: em[1] }, time: { min: t[0], max: t[1] } });
}

/** Records whose footprint covers the point. */
export function coversStatement(ra: number, dec: number): BenchStatement {
  return search({ covers: { ra, dec } });
}

/** Records of the source of that name (case-insensitive). */
export function nameStatement(name: string): BenchStatement {
  return search({ targetName: name });
}

/** The floor: one record by primary key, same columns. */
export function primaryKeyStatement(id: number): BenchStatement {
  return { text: `SELECT ${COLUMNS}, NULL::float8 AS distance FROM records rec WHERE rec.id = $1::int8`, values: [id] };
}

/** The same cone page on the q3c-indexed table (q3c's own exact test; its distance for the column). */
export function q3cConeStatement(cone: Cone): BenchStatement {
  return {
    text: `SELECT ${COLUMNS}, q3c_dist(rec.center_ra, rec.center_dec, $1::float8, $2::float8) AS distance FROM records rec
           WHERE ${VISIBLE} AND q3c_radial_query(rec.center_ra, rec.center_dec, $1::float8, $2::float8, $3::float8) ORDER BY rec.id LIMIT ${PAGE + 1}`,
    values: [cone.ra, cone.dec, cone.radius],
  };
}
