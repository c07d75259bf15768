/**
 * ADQL's geometry (POINT, CIRCLE, BOX, POLYGON, CONTAINS, INTERSECTS, DISTANCE, COORD1/2) as
 * SQL over ra/dec columns, the HEALPix pixel column and the ObsCore coverage multirange.
 *
 * - CONTAINS(POINT(t.ra, t.dec), CIRCLE(c, ra0, dec0, r)) on a table whose `position` names
 *   those columns, with a constant circle: the cone's pixel ranges on the hpx btree (coneRanges)
 *   AND the exact great-circle distance <= r. A POLYGON or BOX with constant corners: its
 *   coverage's ranges (polygonMoc) AND the exact inside-every-edge test. A circle that is not
 *   constant (a crossmatch's circle around another table's row, say) keeps only the exact test;
 *   a POLYGON or BOX must be constant to be tested (in a SELECT list any corners will do).
 *   A polygon that is not convex is cut into spherical triangles (triangulate.ts): an OR of
 *   their exact tests, on the union of their coverages.
 * - INTERSECTS(s_region, CIRCLE/POLYGON/BOX) and CONTAINS(POINT, s_region) on a table with a
 *   `coverage` column answer from the coverage alone (`coverage && ranges`, `coverage @> pixel`):
 *   the coverage holds every pixel the footprint touches, so no matching row is lost, but a
 *   footprint that passes within a pixel of the shape (a small fraction of its size) matches too.
 * - BOX(c, ra, dec, w, h) is the polygon with corners (ra +- w/2, dec +- h/2) joined by great
 *   circles; polygons need corners in order (either winding), edges that do not cross, and to
 *   be smaller than a hemisphere.
 * - Coordinate systems: '' and 'ICRS...' only; positions and radii are degrees.
 */
import type { Params } from '../../db/queries/record-search.js';
import { ang2pixNest, coneRanges, convexPolygon, polygonMoc, STORE_ORDER, type ConvexPolygon, type PixelRange } from '../../sky/index.js';
import { appendRange, capRanges, toPairs } from '../../sky/ranges.js';
import type { Expr, SourcePosition } from './ast.js';
import type { TapColumnInfo, TapTableInfo } from './catalogue.js';
import { AdqlError } from './errors.js';
import { distanceSql, insideConvexSql, multirangeSql, pixelRangesSql, type SqlPoint } from './sphere-sql.js';
import { triangulate } from './triangulate.js';

/** At most this many pixel ranges per shape in a query (more costs the planner more than it saves). */
const QUERY_RANGES = 32;
/** Corners of one POLYGON (cutting a non-convex one into triangles takes time cubic in them). */
export const MAX_POLYGON_CORNERS = 200;

export interface PointGeom extends SqlPoint {
  kind: 'point';
  /** The pixel column, when this point is a table's indexed position. */
  hpx?: string;
}
export interface CircleGeom {
  kind: 'circle';
  center: PointGeom;
  radius: string;
  radiusValue?: number;
}
export interface PolygonGeom {
  kind: 'polygon';
  at: SourcePosition;
  /** Corners as SQL, flat: ra1, dec1, ra2, ... (what a SELECT list shows). */
  corners: string[];
  /** Convex pieces for the tests (one for a convex polygon, triangles otherwise) when the corners are constants... */
  pieces?: ConvexPolygon[];
  /** ...or why not. */
  unusable?: string;
}
export interface RegionGeom {
  kind: 'region';
  coverage: string;
  name: string;
}
export type Geom = PointGeom | CircleGeom | PolygonGeom | RegionGeom;

export interface ResolvedColumn {
  sql: string;
  info: TapColumnInfo;
  /** The base table the column belongs to (not for a subquery's columns). */
  table?: TapTableInfo;
  /** How the column's relation is named in the SQL (its generated alias, quoted). */
  relation: string;
}

/** What geometry needs from the translator. */
export interface GeometryContext {
  params: Params;
  value(e: Expr): string;
  constant(e: Expr): number | undefined;
  column(e: Extract<Expr, { kind: 'column' }>): ResolvedColumn;
}

export const GEOMETRY_CONSTRUCTORS = new Set(['POINT', 'CIRCLE', 'BOX', 'POLYGON']);

export const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** Drops a leading coordinate system argument after checking it. */
function withoutCoordSys(args: Expr[]): Expr[] {
  const first = args[0];
  if (first?.kind !== 'string') return args;
  const cs = first.value.trim();
  if (cs !== '' && !/^ICRS(\s|$)/i.test(cs)) {
    throw new AdqlError(`coordinate system '${first.value}' is not supported: use 'ICRS' (or '')`, first.at);
  }
  return args.slice(1);
}

function geometryError(what: string, at: SourcePosition): never {
  throw new AdqlError(what, at);
}

export class Geometry {
  constructor(private readonly ctx: GeometryContext) {}

  /** The geometry an argument of CONTAINS, INTERSECTS, DISTANCE, COORD1/2 denotes. */
  of(e: Expr): Geom {
    if (e.kind === 'column') return this.column(e);
    if (e.kind !== 'call' || !GEOMETRY_CONSTRUCTORS.has(e.name)) {
      geometryError('expected a geometry here: POINT, CIRCLE, BOX, POLYGON or a geometry column', e.at);
    }
    const args = withoutCoordSys(e.args);
    if (e.name === 'POINT') {
      if (args.length !== 2) geometryError(`POINT takes a coordinate system and 2 coordinates, got ${e.args.length} arguments`, e.at);
      return this.point(args[0], args[1]);
    }
    if (e.name === 'CIRCLE') {
      if (args.length === 3) return this.circle(this.point(args[0], args[1]), args[2]);
      if (args.length === 2) return this.circle(this.pointOf(args[0]), args[1]);
      geometryError(`CIRCLE takes a coordinate system, a centre (2 coordinates or a POINT) and a radius, got ${e.args.length} arguments`, e.at);
    }
    if (e.name === 'BOX') {
      if (args.length === 4) return this.box(args[0], args[1], args[2], args[3], e.at);
      geometryError(`BOX takes a coordinate system, 2 centre coordinates, a width and a height, got ${e.args.length} arguments`, e.at);
    }
    return this.polygon(args, e.at);
  }

  private column(e: Extract<Expr, { kind: 'column' }>): Geom {
    const c = this.ctx.column(e);
    const xtype = c.info.xtype?.toLowerCase();
    if (c.table?.coverage && (c.info.name === 's_region' || xtype === 'adql:region' || xtype === 'polygon' || xtype === 'region')) {
      return { kind: 'region', coverage: `${c.relation}.${quoteIdent(c.table.coverage)}`, name: c.info.name };
    }
    if (xtype === 'point') return { kind: 'point', ra: `(${c.sql})[1]`, dec: `(${c.sql})[2]` };
    geometryError(`column ${c.info.name} is not a geometry (use POINT(ra, dec) of its coordinates)`, e.at);
  }

  private pointOf(e: Expr): PointGeom {
    const g = this.of(e);
    if (g.kind !== 'point') geometryError('expected a POINT here', e.at);
    return g;
  }

  private point(x: Expr, y: Expr): PointGeom {
    const ra = this.ctx.constant(x);
    const dec = this.ctx.constant(y);
    if (ra !== undefined && dec !== undefined) {
      if (!(dec >= -90 && dec <= 90) || !Number.isFinite(ra)) geometryError(`POINT(${ra}, ${dec}) is not on the sky: declination must be within [-90, 90]`, y.at);
      const p = this.ctx.params;
      return { kind: 'point', ra: p.add(ra, 'float8'), dec: p.add(dec, 'float8'), value: { ra, dec } };
    }
    const point: PointGeom = { kind: 'point', ra: this.ctx.value(x), dec: this.ctx.value(y) };
    if (x.kind === 'column' && y.kind === 'column') {
      const a = this.ctx.column(x);
      const b = this.ctx.column(y);
      const pos = a.table?.position;
      if (pos && a.relation === b.relation && a.info.name === pos.ra && b.info.name === pos.dec) point.hpx = `${a.relation}.${quoteIdent(pos.hpx)}`;
    }
    return point;
  }

  private circle(center: PointGeom, r: Expr): CircleGeom {
    const radius = this.ctx.constant(r);
    if (radius === undefined) return { kind: 'circle', center, radius: this.ctx.value(r) };
    if (!(radius >= 0 && radius <= 180)) geometryError(`CIRCLE radius ${radius} must be within [0, 180] degrees`, r.at);
    return { kind: 'circle', center, radius: this.ctx.params.add(radius, 'float8'), radiusValue: radius };
  }

  private box(x: Expr, y: Expr, w: Expr, h: Expr, at: SourcePosition): PolygonGeom {
    const values = [x, y, w, h].map((e) => this.ctx.constant(e));
    if (values.some((v) => v === undefined)) {
      // Corners as SQL (for a SELECT list); CONTAINS / INTERSECTS will ask for constants.
      const [ra, dec, width, height] = [x, y, w, h].map((e) => this.ctx.value(e));
      const corner = (sx: string, sy: string) => [`(${ra} ${sx} (${width}) / 2.0)`, `(${dec} ${sy} (${height}) / 2.0)`];
      return { kind: 'polygon', at, corners: [...corner('-', '-'), ...corner('+', '-'), ...corner('+', '+'), ...corner('-', '+')], unusable: 'a BOX tested by CONTAINS or INTERSECTS must be given by numeric constants' };
    }
    const [ra, dec, width, height] = values as number[];
    if (!(width > 0 && height > 0 && width < 180 && Math.abs(dec) + height / 2 < 90)) {
      geometryError(`BOX(${ra}, ${dec}, ${width}, ${height}) must have sides > 0, a width < 180 degrees and stay off the poles`, at);
    }
    const [w2, h2] = [width / 2, height / 2];
    return this.constantPolygon(
      [
        { ra: ra - w2, dec: dec - h2 },
        { ra: ra + w2, dec: dec - h2 },
        { ra: ra + w2, dec: dec + h2 },
        { ra: ra - w2, dec: dec + h2 },
      ],
      at,
    );
  }

  private polygon(args: Expr[], at: SourcePosition): PolygonGeom {
    const corners: PointGeom[] = [];
    if (args.length >= 3 && args.every((a) => a.kind === 'call' && a.name === 'POINT')) corners.push(...args.map((a) => this.pointOf(a)));
    else if (args.length >= 6 && args.length % 2 === 0) for (let i = 0; i < args.length; i += 2) corners.push(this.point(args[i], args[i + 1]));
    else geometryError(`POLYGON takes a coordinate system and at least 3 pairs of coordinates, got ${args.length} coordinates`, at);
    if (corners.length > MAX_POLYGON_CORNERS) geometryError(`POLYGON has ${corners.length} corners; at most ${MAX_POLYGON_CORNERS}`, at);
    const values = corners.map((c) => c.value);
    if (values.some((v) => v === undefined)) {
      return { kind: 'polygon', at, corners: corners.flatMap((c) => [c.ra, c.dec]), unusable: 'POLYGON corners must be given by numeric constants' };
    }
    return this.constantPolygon(values as { ra: number; dec: number }[], at);
  }

  /** Corners as parameters, and the polygon prepared for the tests when it is convex. */
  private constantPolygon(vertices: { ra: number; dec: number }[], at: SourcePosition): PolygonGeom {
    const p = this.ctx.params;
    const g: PolygonGeom = { kind: 'polygon', at, corners: vertices.flatMap((v) => [p.add(v.ra, 'float8'), p.add(v.dec, 'float8')]) };
    try {
      g.pieces = [convexPolygon(vertices)];
    } catch (err) {
      if (!(err instanceof RangeError)) throw err;
      try {
        // Not convex (or a corner on an edge): the outline's triangles, each convex.
        g.pieces = triangulate(vertices).map((t) => convexPolygon(t.map((i) => vertices[i])));
      } catch (e) {
        if (!(e instanceof RangeError)) throw e;
        g.unusable = `${e.message}: this service takes polygons with corners in order, edges that do not cross, smaller than a hemisphere`;
      }
    }
    return g;
  }

  /** The polygon's convex pieces, or the AdqlError saying why this one cannot be tested. */
  private pieces(g: PolygonGeom): ConvexPolygon[] {
    if (!g.pieces) geometryError(g.unusable ?? 'unusable polygon', g.at);
    return g.pieces;
  }

  /** Pixel ranges covering every piece (their union, at most QUERY_RANGES). */
  private polygonRanges(g: PolygonGeom): PixelRange[] {
    const pieces = this.pieces(g);
    if (pieces.length === 1) return polygonMoc(pieces[0], { maxRanges: QUERY_RANGES });
    const all = pieces.flatMap((piece) => polygonMoc(piece, { maxRanges: QUERY_RANGES })).sort((a, b) => a[0] - b[0]);
    const flat: number[] = [];
    for (const [a, b] of all) appendRange(flat, a, b);
    return toPairs(capRanges(flat, QUERY_RANGES));
  }

  private circleCondition(point: PointGeom, circle: CircleGeom): string {
    const p = this.ctx.params;
    const exact = `${distanceSql(circle.center, point, p)} <= ${circle.radius}`;
    const r = circle.radiusValue;
    if (r === undefined) return `(${exact})`;
    // The table's indexed position inside a constant cone; or a constant point inside a cone
    // around the table's position (the same set of rows).
    const indexed = point.hpx && circle.center.value ? { hpx: point.hpx, c: circle.center.value } : circle.center.hpx && point.value ? { hpx: circle.center.hpx, c: point.value } : null;
    if (!indexed) return `(${exact})`;
    return `(${pixelRangesSql(indexed.hpx, coneRanges(indexed.c.ra, indexed.c.dec, r, { maxRanges: QUERY_RANGES }))} AND ${exact})`;
  }

  private polygonCondition(point: PointGeom, g: PolygonGeom): string {
    const exact = `(${this.pieces(g).map((piece) => insideConvexSql(point, piece.normals, this.ctx.params)).join(' OR ')})`;
    if (!point.hpx) return exact;
    return `(${pixelRangesSql(point.hpx, this.polygonRanges(g))} AND ${exact})`;
  }

  /** Ranges covering a constant shape, for a coverage column. */
  private shapeRanges(g: CircleGeom | PolygonGeom, at: SourcePosition) {
    if (g.kind === 'polygon') return this.polygonRanges(g);
    if (!g.center.value || g.radiusValue === undefined) geometryError('a CIRCLE compared with a region column must be given by numeric constants', at);
    return coneRanges(g.center.value.ra, g.center.value.dec, g.radiusValue, { maxRanges: QUERY_RANGES });
  }

  private pointInRegion(point: PointGeom, region: RegionGeom, at: SourcePosition): string {
    if (!point.value) geometryError(`CONTAINS(POINT, ${region.name}) needs a POINT given by numeric constants`, at);
    return `${region.coverage} @> ${ang2pixNest(STORE_ORDER, point.value.ra, point.value.dec)}::int8`;
  }

  /** CONTAINS(a, b) as a condition: a lies within b. */
  contains(aExpr: Expr, bExpr: Expr, at: SourcePosition): string {
    const a = this.of(aExpr);
    const b = this.of(bExpr);
    if (a.kind === 'point' && b.kind === 'circle') return this.circleCondition(a, b);
    if (a.kind === 'point' && b.kind === 'polygon') return this.polygonCondition(a, b);
    if (a.kind === 'point' && b.kind === 'region') return this.pointInRegion(a, b, at);
    if (a.kind === 'circle' && b.kind === 'circle') {
      return `(${distanceSql(b.center, a.center, this.ctx.params)} + ${a.radius} <= ${b.radius})`;
    }
    geometryError(`CONTAINS(${a.kind.toUpperCase()}, ${b.kind.toUpperCase()}) is not supported: use a POINT in a CIRCLE, BOX or POLYGON, or INTERSECTS with a region column`, at);
  }

  /** INTERSECTS(a, b) as a condition (symmetric). */
  intersects(aExpr: Expr, bExpr: Expr, at: SourcePosition): string {
    let a = this.of(aExpr);
    let b = this.of(bExpr);
    if (b.kind === 'region' || b.kind === 'point') [a, b] = [b, a];
    if (a.kind === 'region' && (b.kind === 'circle' || b.kind === 'polygon')) return `${a.coverage} && ${multirangeSql(this.shapeRanges(b, at))}`;
    if (a.kind === 'point' && b.kind === 'region') return this.pointInRegion(a, b, at);
    if (a.kind === 'point' && b.kind === 'circle') return this.circleCondition(a, b);
    if (a.kind === 'point' && b.kind === 'polygon') return this.polygonCondition(a, b);
    if (a.kind === 'circle' && b.kind === 'circle') {
      return `(${distanceSql(a.center, b.center, this.ctx.params)} <= ${a.radius} + ${b.radius})`;
    }
    geometryError(`INTERSECTS(${a.kind.toUpperCase()}, ${b.kind.toUpperCase()}) is not supported: use a region column with a CIRCLE, BOX or POLYGON, or a POINT`, at);
  }

  /** DISTANCE(p1, p2), or DISTANCE(ra1, dec1, ra2, dec2) (ADQL 2.1), in degrees. */
  distance(args: Expr[], at: SourcePosition): string {
    let a: PointGeom;
    let b: PointGeom;
    if (args.length === 2) [a, b] = [this.pointOf(args[0]), this.pointOf(args[1])];
    else if (args.length === 4) [a, b] = [this.point(args[0], args[1]), this.point(args[2], args[3])];
    else geometryError(`DISTANCE takes 2 POINTs (or 4 coordinates), got ${args.length} arguments`, at);
    if (b.value && !a.value) [a, b] = [b, a]; // a constant first point becomes parameters
    return distanceSql(a, b, this.ctx.params);
  }

  /** COORD1 / COORD2 of a point. */
  coordinate(arg: Expr, which: 1 | 2): string {
    const p = this.pointOf(arg);
    return which === 1 ? p.ra : p.dec;
  }

  /** A geometry in the SELECT list, as DALI values (arrays of degrees) with their xtype. */
  asValue(e: Expr): { sql: string; xtype: string; arraysize: string } {
    const g = this.of(e);
    if (g.kind === 'point') return { sql: `ARRAY[${g.ra}, ${g.dec}]::float8[]`, xtype: 'point', arraysize: '2' };
    if (g.kind === 'circle') return { sql: `ARRAY[${g.center.ra}, ${g.center.dec}, ${g.radius}]::float8[]`, xtype: 'circle', arraysize: '3' };
    if (g.kind === 'polygon') return { sql: `ARRAY[${g.corners.join(', ')}]::float8[]`, xtype: 'polygon', arraysize: '*' };
    geometryError('a region column is selected by its name, not through a geometry function', e.at);
  }
}
