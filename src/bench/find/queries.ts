/**
 * What the find benchmark asks, deterministic from the seed: cone centres where users look
 * (inside survey fields, anywhere, at both poles, across RA 0), points for covers, source
 * names, a combined filter, and ids for the primary-key floor.
 */
import { angularDistanceDeg } from '../../sky/index.js';
import { pointInField, uniformPosition, type Field } from './data.js';
import { rng } from '../../util/rng.js';
import { sourceName } from './load.js';
import { coneStatement, combinedStatement, coversStatement, nameStatement, primaryKeyStatement, q3cConeStatement, type BenchStatement, type Cone } from './statements.js';

export const RADII: Array<{ label: string; deg: number }> = [
  { label: '1"', deg: 1 / 3600 },
  { label: "1'", deg: 1 / 60 },
  { label: "6'", deg: 0.1 },
  { label: "30'", deg: 0.5 },
  { label: '1 deg', deg: 1 },
];

export interface QuerySet {
  name: string;
  ours: BenchStatement[];
  /** The same question on the q3c table (cones only). */
  q3c?: BenchStatement[];
  /** The cones asked (cone sets), for the brute-force check. */
  cones?: Cone[];
}

/** Centre number i: 2 in 6 inside a field, then anywhere, near each pole, across RA 0. */
function centre(i: number, fields: Field[], random: () => number): [number, number] {
  switch (i % 6) {
    case 0:
    case 1:
      return fields.length ? pointInField(fields[Math.floor(random() * fields.length)], random) : uniformPosition(random);
    case 2:
      return uniformPosition(random);
    case 3:
      return [random() * 360, 88 + 2 * random()];
    case 4:
      return [random() * 360, -88 - 2 * random()];
    default: {
      const ra = (random() - 0.5) * 1;
      return [ra < 0 ? ra + 360 : ra, (random() - 0.5) * 120];
    }
  }
}

export function querySets(fields: Field[], rows: number, sources: number, perSet: number, seed: number): QuerySet[] {
  const random = rng(seed + 1);
  const sets: QuerySet[] = [];
  for (const r of RADII) {
    const cones = Array.from({ length: perSet }, (_, i) => {
      const [ra, dec] = centre(i, fields, random);
      return { ra, dec, radius: r.deg };
    });
    sets.push({ name: `cone ${r.label}`, ours: cones.map(coneStatement), q3c: cones.map(q3cConeStatement), cones });
  }
  const points = Array.from({ length: perSet }, (_, i) => centre(i % 3 === 2 ? 2 : 0, fields, random));
  sets.push({ name: 'covers point', ours: points.map(([ra, dec]) => coversStatement(ra, dec)) });
  sets.push({ name: 'name', ours: Array.from({ length: perSet }, () => nameStatement(sourceName(1 + Math.floor(random() * sources)).toLowerCase())) });
  sets.push({
    name: "cone 30' + wavelength + time",
    ours: Array.from({ length: perSet }, (_, i) => {
      const [ra, dec] = centre(i % 2, fields, random);
      const t0 = 51000 + random() * 9000;
      return combinedStatement({ ra, dec, radius: 0.5 }, [5e-7, 6e-7], [t0, t0 + 365]);
    }),
  });
  sets.push({ name: 'primary key', ours: Array.from({ length: perSet }, () => primaryKeyStatement(1 + Math.floor(random() * rows))) });
  return sets;
}

/** The page a cone must return, by brute force over every record (ids in order). */
export function bruteForcePage(cone: Cone, all: { id: number[]; ra: number[]; dec: number[] }, page: number): number[] {
  const hits: number[] = [];
  for (let i = 0; i < all.id.length; i++) {
    if (angularDistanceDeg(cone.ra, cone.dec, all.ra[i], all.dec[i]) <= cone.radius) hits.push(all.id[i]);
  }
  return hits.sort((a, b) => a - b).slice(0, page);
}
