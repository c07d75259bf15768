/**
 * The source search (GraphQL `sources(filter)`): one statement per page, in source id order
 * (keyset). A source is listed only when the caller can see one of its records, and records
 * of INVALID files do not count (nor do they in Source.records and Source.ra/dec).
 *
 * - name: case-insensitive exact, namePrefix: case-insensitive prefix (LIKE 'abc%', escaped),
 *   both on sources_name_lower_idx (lower(name) text_pattern_ops, any collation);
 * - cone: on the source's position as Source.ra/dec defines it (src/loaders: the mean of the
 *   unit vectors of its visible records' centres). The candidates are the sources of visible
 *   records within the cone widened by CONE_MARGIN_DEG (records_hpx_idx, as for records),
 *   then each candidate's mean over all its visible records (records_source_idx) is tested
 *   exactly. A source whose records all lie more than the margin outside the cone while their
 *   mean lies inside it is not found: records of one source are arcseconds apart, not arcminutes.
 */
import { distanceSql, hpxRangesSql, Params, type Cone, type SqlStatement } from './record-search.js';

/** How far outside the cone a source's records may lie for its mean position to be tested. */
export const CONE_MARGIN_DEG = 1 / 60;

export interface SourceSearch {
  name?: string | null;
  namePrefix?: string | null;
  cone?: Cone | null;
  /** Only sources with a record in a published release (what an anonymous caller may see). */
  publishedOnly?: boolean;
}

export interface SourcePageOptions {
  /** Sources with id > afterId. */
  afterId?: number | null;
  limit: number;
}

/**
 * Rows: id, name, and with a cone `distance` (degrees) and `x`, `y`, `z`, the sums of the unit
 * vectors of the source's visible records (what the Source.ra/dec loader computes).
 */
export function sourceSearchSql(search: SourceSearch, page: SourcePageOptions): SqlStatement {
  const p = new Params();
  const visible = (alias: string) =>
    `NOT ${alias}.invalid` + (search.publishedOnly ? ` AND ${alias}.release_id = ANY (ARRAY(SELECT r.id FROM releases r WHERE r.status = 'published'))` : '');
  const w: string[] = [];
  if (search.name != null) w.push(`lower(src.name) = lower(${p.add(search.name, 'text')})`);
  if (search.namePrefix != null) {
    // Folded to a constant at planning (lower and replace are immutable), so the planner turns
    // the LIKE into an index range on text_pattern_ops.
    const prefix = p.add(search.namePrefix, 'text');
    w.push(`lower(src.name) LIKE replace(replace(replace(lower(${prefix}), '\\', '\\\\'), '%', '\\%'), '_', '\\_') || '%'`);
  }
  if (page.afterId != null) w.push(`src.id > ${p.add(page.afterId, 'int8')}`);
  const limit = () => p.add(page.limit, 'int8');
  if (!search.cone) {
    w.push(`EXISTS (SELECT 1 FROM records rec WHERE rec.source_id = src.id AND ${visible('rec')})`);
    return { text: `SELECT src.id AS "id", src.name AS "name" FROM sources src WHERE ${w.join(' AND ')} ORDER BY src.id LIMIT ${limit()}`, values: p.values };
  }
  const cone = search.cone;
  const wide: Cone = { ...cone, radius: Math.min(180, cone.radius + CONE_MARGIN_DEG) };
  const d = Math.PI / 180;
  const [cx, cy, cz] = [Math.cos(cone.dec * d) * Math.cos(cone.ra * d), Math.cos(cone.dec * d) * Math.sin(cone.ra * d), Math.sin(cone.dec * d)].map((v) =>
    p.add(v, 'float8'),
  );
  // Angle between the mean vector (any length) and the centre: atan2(|m x c|, m . c).
  const cross = `sqrt(power(m.y * ${cz} - m.z * ${cy}, 2) + power(m.z * ${cx} - m.x * ${cz}, 2) + power(m.x * ${cy} - m.y * ${cx}, 2))`;
  const dot = `(m.x * ${cx} + m.y * ${cy} + m.z * ${cz})`;
  const text = `WITH near AS MATERIALIZED (
    SELECT DISTINCT rec.source_id AS id FROM records rec
     WHERE ${hpxRangesSql(wide)} AND ${distanceSql(wide, p)} <= ${p.add(wide.radius, 'float8')}
       AND rec.source_id IS NOT NULL AND ${visible('rec')}
  ), m AS (
    SELECT rec.source_id AS id, sum(cos(radians(rec.center_dec)) * cos(radians(rec.center_ra))) AS x,
           sum(cos(radians(rec.center_dec)) * sin(radians(rec.center_ra))) AS y, sum(sin(radians(rec.center_dec))) AS z
      FROM records rec
     WHERE rec.source_id = ANY (ARRAY(SELECT id FROM near)) AND rec.center_ra IS NOT NULL AND rec.center_dec IS NOT NULL AND ${visible('rec')}
     GROUP BY rec.source_id
  )
  SELECT src.id AS "id", src.name AS "name", m.x, m.y, m.z, degrees(atan2(${cross}, ${dot})) AS distance
    FROM m JOIN sources src ON src.id = m.id
   WHERE sqrt(m.x * m.x + m.y * m.y + m.z * m.z) >= 1e-12 AND degrees(atan2(${cross}, ${dot})) <= ${p.add(cone.radius, 'float8')}${w.length ? ` AND ${w.join(' AND ')}` : ''}
   ORDER BY src.id LIMIT ${limit()}`;
  return { text, values: p.values };
}
