/**
 * All-sky projections for the sky plot: Aitoff (not Hammer-Aitoff) and Mollweide, in
 * the astronomers' orientation (north up, RA growing to the left, the centre at `centerRa`).
 * Both map the sphere onto an ellipse twice as wide as it is high; here normalised to
 * x in [-1, 1] and y in [-0.5, 0.5]. Pure: unit-tested in test/web/sky-projection.test.ts.
 */

export type ProjectionName = 'aitoff' | 'mollweide';
export interface Sky {
  ra: number;
  dec: number;
}
export interface Point {
  x: number;
  y: number;
}

const RAD = Math.PI / 180;

/** Longitude from the centre in radians, in [-π, π], positive to the east (left on the plot). */
function offset(ra: number, centerRa: number): number {
  let d = ((((ra - centerRa) % 360) + 540) % 360) - 180;
  if (d === -180) d = 180;
  return d * RAD;
}

/** Aitoff: x = 2 cos φ sin(λ/2) / sinc α, y = sin φ / sinc α, α = acos(cos φ cos(λ/2)). */
function aitoff(lambda: number, phi: number): Point {
  const alpha = Math.acos(Math.cos(phi) * Math.cos(lambda / 2));
  const sinc = alpha < 1e-12 ? 1 : Math.sin(alpha) / alpha;
  return {
    x: (2 * Math.cos(phi) * Math.sin(lambda / 2)) / sinc / Math.PI,
    y: Math.sin(phi) / sinc / Math.PI,
  };
}

/** Mollweide: 2θ + sin 2θ = π sin φ (Newton), x = 2√2/π λ cos θ, y = √2 sin θ. */
function mollweide(lambda: number, phi: number): Point {
  let theta = phi;
  if (Math.abs(phi) < Math.PI / 2 - 1e-12) {
    const target = Math.PI * Math.sin(phi);
    for (let i = 0; i < 50; i++) {
      const f = 2 * theta + Math.sin(2 * theta) - target;
      const step = f / (2 + 2 * Math.cos(2 * theta));
      theta -= step;
      if (Math.abs(step) < 1e-13) break;
    }
  } else theta = Math.sign(phi) * (Math.PI / 2);
  const k = 2 * Math.SQRT2;
  return {
    x: (((2 * Math.SQRT2) / Math.PI) * lambda * Math.cos(theta)) / k,
    y: (Math.SQRT2 * Math.sin(theta)) / k,
  };
}

/** Normalised plot position of a sky position; x grows to the right, so RA east of the centre is negative x. */
export function project(name: ProjectionName, p: Sky, centerRa = 0): Point {
  const lambda = offset(p.ra, centerRa);
  const phi = Math.max(-90, Math.min(90, p.dec)) * RAD;
  const q = name === 'aitoff' ? aitoff(lambda, phi) : mollweide(lambda, phi);
  return { x: -q.x, y: q.y };
}

/** Inside the projection's ellipse (x² + 4y² <= 1). */
export function inside(p: Point): boolean {
  return p.x * p.x + 4 * p.y * p.y <= 1 + 1e-9;
}

function vector(p: Sky): [number, number, number] {
  const ra = p.ra * RAD;
  const dec = p.dec * RAD;
  return [Math.cos(dec) * Math.cos(ra), Math.cos(dec) * Math.sin(ra), Math.sin(dec)];
}

function sky(v: [number, number, number]): Sky {
  const ra = Math.atan2(v[1], v[0]) / RAD;
  return {
    ra: ra < 0 ? ra + 360 : ra,
    dec: Math.asin(Math.max(-1, Math.min(1, v[2]))) / RAD,
  };
}

/** `steps + 1` points along the great-circle arc from a to b (both included). */
export function greatCircle(a: Sky, b: Sky, steps: number): Sky[] {
  const va = vector(a);
  const vb = vector(b);
  const dot = Math.max(-1, Math.min(1, va[0] * vb[0] + va[1] * vb[1] + va[2] * vb[2]));
  const omega = Math.acos(dot);
  if (omega < 1e-12) return [a, b];
  const out: Sky[] = [];
  for (let i = 0; i <= steps; i++) {
    const t = i / steps;
    const s1 = Math.sin((1 - t) * omega) / Math.sin(omega);
    const s2 = Math.sin(t * omega) / Math.sin(omega);
    out.push(sky([s1 * va[0] + s2 * vb[0], s1 * va[1] + s2 * vb[1], s1 * va[2] + s2 * vb[2]]));
  }
  return out;
}

/** A small circle of `radius` degrees around `c`, as `steps` points. */
export function circle(c: Sky, radius: number, steps = 72): Sky[] {
  const r = radius * RAD;
  const dec = c.dec * RAD;
  const out: Sky[] = [];
  for (let i = 0; i <= steps; i++) {
    const az = (2 * Math.PI * i) / steps;
    const lat = Math.asin(Math.sin(dec) * Math.cos(r) + Math.cos(dec) * Math.sin(r) * Math.cos(az));
    const dra = Math.atan2(Math.sin(az) * Math.sin(r) * Math.cos(dec), Math.cos(r) - Math.sin(dec) * Math.sin(lat));
    out.push({ ra: (((c.ra + dra / RAD) % 360) + 360) % 360, dec: lat / RAD });
  }
  return out;
}

/**
 * Projects a line of sky points and splits it where it crosses the plot's edge (the meridian
 * opposite the centre), so nothing is drawn straight across the map.
 */
export function projectLine(name: ProjectionName, points: Sky[], centerRa = 0): Point[][] {
  const lines: Point[][] = [];
  let current: Point[] = [];
  let prevLambda: number | null = null;
  for (const p of points) {
    const lambda = offset(p.ra, centerRa);
    if (prevLambda !== null && Math.abs(lambda - prevLambda) > Math.PI) {
      if (current.length > 1) lines.push(current);
      current = [];
    }
    current.push(project(name, p, centerRa));
    prevLambda = lambda;
  }
  if (current.length > 1) lines.push(current);
  return lines;
}

/** Meridians every `stepRa` degrees and parallels every `stepDec` degrees, as sky polylines. */
export function graticule(stepRa = 30, stepDec = 30): Sky[][] {
  const lines: Sky[][] = [];
  for (let ra = 0; ra < 360; ra += stepRa) {
    const line: Sky[] = [];
    for (let dec = -90; dec <= 90; dec += 2) line.push({ ra, dec });
    lines.push(line);
  }
  for (let dec = -90 + stepDec; dec < 90; dec += stepDec) {
    const line: Sky[] = [];
    for (let ra = 0; ra <= 360; ra += 2) line.push({ ra: ra % 360, dec });
    lines.push(line);
  }
  return lines;
}

/**
 * Gnomonic (tangent-plane) projection about `center`, for the close-up of a cone: degrees on
 * the plane, x growing to the east (left on the plot, so negated as above), y to the north.
 * Null for points 90° or more from the centre (behind the plane).
 */
export function gnomonic(center: Sky, p: Sky): Point | null {
  const ra0 = center.ra * RAD;
  const dec0 = center.dec * RAD;
  const ra = p.ra * RAD;
  const dec = p.dec * RAD;
  const cosc = Math.sin(dec0) * Math.sin(dec) + Math.cos(dec0) * Math.cos(dec) * Math.cos(ra - ra0);
  if (cosc <= 1e-9) return null;
  const x = (Math.cos(dec) * Math.sin(ra - ra0)) / cosc;
  const y = (Math.cos(dec0) * Math.sin(dec) - Math.sin(dec0) * Math.cos(dec) * Math.cos(ra - ra0)) / cosc;
  return { x: -x / RAD, y: y / RAD };
}

/** A round grid step (degrees) giving about `lines` lines across `span` degrees: 1″, 2″, 5″, 10″, 30″, 1′, ... 30°. */
export function gridStep(span: number, lines = 4): number {
  const steps = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 18000, 36000, 54000, 108000].map((s) => s / 3600);
  return steps.find((s) => span / s <= lines) ?? 30;
}
