/**
 * The sky plot: the records of the page shown (their footprints when the API gives them, else
 * their centres) and the search cone, either on an all-sky Aitoff or Mollweide map or, for a
 * cone, as a close-up of the cone (gnomonic), drawn on a canvas with our own projection code
 * (sky/projection.ts, sky/field.ts). Linked with the list: the highlighted record is drawn on
 * top in another colour; hovering a marker reports it, clicking selects it.
 * Keyboard: the canvas takes focus; the arrow keys move to the nearest marker in that direction
 * on the screen (Home/End: the first/last record of the list), Enter opens the chosen record,
 * Escape lets go; each move is announced (a polite live region) with the record's name, product
 * and position, so the plot is usable without a pointer or a screen. The list beside it holds
 * the same records (and those without a position).
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { fieldLayout } from '../sky/field';
import { plotLayout } from '../sky/layout';
import { circle, graticule, greatCircle, project, projectLine, type ProjectionName, type Sky } from '../sky/projection';
import { formatAngle } from '../search/query';

export interface SkyItem {
  id: string;
  /** What a screen reader says when the keyboard lands on its marker. */
  name: string;
  center: Sky | null;
  footprint: Sky[] | null;
}

export type SkyView = ProjectionName | 'field';

interface Props {
  items: SkyItem[];
  cone: { ra: number; dec: number; radius: number } | null;
  view: SkyView;
  highlighted: string | null;
  onHover(id: string | null): void;
  onSelect(id: string): void;
  /** Enter on a marker chosen with the keyboard. */
  onOpen(id: string): void;
  label: string;
}

const COLORS = {
  sky: '#0f2138',
  edge: '#8da2b8',
  grid: 'rgba(180, 200, 225, 0.28)',
  text: '#d7e1ec',
  item: '#6fd3ff',
  highlight: '#ffb020',
  cone: '#ff6b6b',
};
const CENTER_RA = 0;

type Px = [number, number];

/** How one view maps the sky to the canvas: single points, and lines (split where they leave the view). */
interface View {
  width: number;
  height: number;
  point(s: Sky): Px | null;
  line(points: Sky[]): Px[][];
}

function strokeLines(ctx: CanvasRenderingContext2D, lines: Px[][]): void {
  for (const line of lines) {
    ctx.beginPath();
    line.forEach(([x, y], i) => (i === 0 ? ctx.moveTo(x, y) : ctx.lineTo(x, y)));
    ctx.stroke();
  }
}

function densify(fp: Sky[]): Sky[] {
  const pts: Sky[] = [];
  for (let i = 0; i < fp.length; i++) pts.push(...greatCircle(fp[i], fp[(i + 1) % fp.length], 8));
  return pts;
}

/** The all-sky map: background, outline, graticule and hour/degree labels; returns the view. */
function drawAllSky(ctx: CanvasRenderingContext2D, width: number, projection: ProjectionName): View {
  const l = plotLayout(width);
  const point = (s: Sky): Px => l.toPx(project(projection, s, CENTER_RA));
  const line = (points: Sky[]): Px[][] => projectLine(projection, points, CENTER_RA).map((part) => part.map((p) => l.toPx(p)));
  // The sky's outline: the meridian opposite the centre, both sides.
  const edge: Sky[] = [];
  for (let dec = -90; dec <= 90; dec += 1) edge.push({ ra: CENTER_RA + 180 - 1e-9, dec });
  for (let dec = 90; dec >= -90; dec -= 1) edge.push({ ra: CENTER_RA + 180 + 1e-9, dec });
  ctx.beginPath();
  edge.map(point).forEach(([x, y], i) => (i === 0 ? ctx.moveTo(x, y) : ctx.lineTo(x, y)));
  ctx.closePath();
  ctx.fillStyle = COLORS.sky;
  ctx.fill();
  ctx.strokeStyle = COLORS.edge;
  ctx.lineWidth = 1;
  ctx.stroke();
  ctx.strokeStyle = COLORS.grid;
  for (const g of graticule(30, 30)) strokeLines(ctx, line(g));
  ctx.fillStyle = COLORS.text;
  ctx.font = '11px system-ui, sans-serif';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  for (let h = 0; h < 24; h += 4) {
    if (h === 12) continue;
    const [x, y] = point({ ra: h * 15, dec: 0 });
    ctx.fillText(`${h}h`, x, y - 8);
  }
  ctx.fillStyle = '#33404d';
  ctx.textAlign = 'right';
  for (const dec of [-60, -30, 30, 60]) {
    const [x, y] = point({ ra: CENTER_RA + 180 - 1e-9, dec });
    ctx.fillText(`${dec > 0 ? '+' : '−'}${Math.abs(dec)}°`, x - 4, y);
  }
  return { width: l.width, height: l.height, point, line };
}

/** The close-up of the cone: background, RA/Dec grid, a scale bar and the N/E directions. */
function drawField(ctx: CanvasRenderingContext2D, width: number, cone: { ra: number; dec: number; radius: number }): View {
  const f = fieldLayout(width, cone);
  const line = (points: Sky[]): Px[][] => {
    const parts: Px[][] = [[]];
    for (const s of points) {
      const p = f.toPx(s);
      if (p) parts[parts.length - 1].push(p);
      else if (parts[parts.length - 1].length) parts.push([]);
    }
    return parts.filter((p) => p.length > 1);
  };
  ctx.fillStyle = COLORS.sky;
  ctx.fillRect(0, 0, f.width, f.height);
  ctx.strokeStyle = COLORS.grid;
  ctx.lineWidth = 1;
  for (const g of f.grid) strokeLines(ctx, line(g));
  // Scale bar (one grid step) at the bottom left; north up, east left at the top right.
  ctx.strokeStyle = COLORS.text;
  ctx.fillStyle = COLORS.text;
  ctx.lineWidth = 2;
  ctx.font = '11px system-ui, sans-serif';
  const y = f.height - 14;
  ctx.beginPath();
  ctx.moveTo(12, y);
  ctx.lineTo(12 + f.stepPx, y);
  ctx.stroke();
  ctx.textAlign = 'left';
  ctx.textBaseline = 'bottom';
  ctx.fillText(formatAngle(f.step), 12, y - 3);
  const ax = f.width - 16;
  const ay = 30;
  ctx.lineWidth = 1.5;
  ctx.beginPath();
  ctx.moveTo(ax, ay);
  ctx.lineTo(ax, ay - 18);
  ctx.moveTo(ax, ay);
  ctx.lineTo(ax - 18, ay);
  ctx.stroke();
  ctx.textBaseline = 'middle';
  ctx.textAlign = 'center';
  ctx.fillText('N', ax, ay - 24);
  ctx.fillText('E', ax - 25, ay);
  return { width: f.width, height: f.height, point: f.toPx, line };
}

function draw(canvas: HTMLCanvasElement, props: Props, hits: Array<{ id: string; x: number; y: number }>): void {
  const width = Math.max(280, canvas.parentElement?.clientWidth ?? 600);
  // The size first (it clears the canvas), then the view draws its background.
  const dpr = window.devicePixelRatio || 1;
  const field = props.view === 'field' && props.cone !== null;
  const height = field ? fieldLayout(width, props.cone!).height : plotLayout(width).height;
  canvas.width = Math.round(width * dpr);
  canvas.height = Math.round(height * dpr);
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  const ctx = canvas.getContext('2d')!;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, width, height);
  const view = field ? drawField(ctx, width, props.cone!) : drawAllSky(ctx, width, props.view === 'field' ? 'aitoff' : props.view);

  if (props.cone) {
    ctx.strokeStyle = COLORS.cone;
    ctx.lineWidth = 1.5;
    strokeLines(ctx, view.line(circle(props.cone, props.cone.radius)));
    const c = view.point(props.cone);
    if (c) {
      const [x, y] = c;
      ctx.beginPath();
      for (const [dx, dy] of [[-1, 0], [1, 0], [0, -1], [0, 1]]) {
        ctx.moveTo(x + dx * 4, y + dy * 4);
        ctx.lineTo(x + dx * 9, y + dy * 9);
      }
      ctx.stroke();
    }
  }

  hits.length = 0;
  const ordered = [...props.items.filter((i) => i.id !== props.highlighted), ...props.items.filter((i) => i.id === props.highlighted)];
  for (const item of ordered) {
    const on = item.id === props.highlighted;
    ctx.strokeStyle = on ? COLORS.highlight : COLORS.item;
    ctx.fillStyle = on ? COLORS.highlight : COLORS.item;
    ctx.lineWidth = on ? 2.5 : 1.5;
    if (item.footprint && item.footprint.length >= 3) strokeLines(ctx, view.line(densify(item.footprint)));
    const p = item.center ? view.point(item.center) : null;
    if (!p || p[0] < -10 || p[1] < -10 || p[0] > view.width + 10 || p[1] > view.height + 10) continue;
    const [x, y] = p;
    ctx.beginPath();
    ctx.arc(x, y, on ? 5.5 : 3.5, 0, 2 * Math.PI);
    ctx.fill();
    if (on) {
      ctx.strokeStyle = '#ffffff';
      ctx.lineWidth = 1.5;
      ctx.stroke();
    }
    hits.push({ id: item.id, x, y });
  }
}

type Hit = { id: string; x: number; y: number };
const KEY_DIRECTIONS: Record<string, Px> = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
const DIRECTION_WORDS: Record<string, string> = { ArrowLeft: 'left', ArrowRight: 'right', ArrowUp: 'up', ArrowDown: 'down' };

/**
 * The marker an arrow key goes to from `from`: the nearest one ahead in that direction, sideways
 * distance counted twice (so it keeps to the row or column the eye follows). Markers drawn on
 * the same spot (one source's several records) are stepped through in the list's order first:
 * right/down to the next of them, left/up to the one before. `order`: the markers in list order.
 * Null when none is ahead.
 */
export function nextMarker(order: Hit[], from: Hit, [dx, dy]: Px): Hit | null {
  const forward = dx + dy > 0;
  const here = order.filter((h) => Math.hypot(h.x - from.x, h.y - from.y) < 1);
  const at = here.findIndex((h) => h.id === from.id);
  const sibling = forward ? here[at + 1] : here[at - 1];
  if (sibling) return sibling;
  let best: Hit | null = null;
  let bestScore = Infinity;
  for (const h of order) {
    const ahead = (h.x - from.x) * dx + (h.y - from.y) * dy;
    if (ahead <= 0.5) continue;
    const side = Math.abs((h.x - from.x) * dy - (h.y - from.y) * dx);
    const score = ahead + 2 * side;
    // Arriving at a spot of several: the first of them going forward, the last going back.
    if (score < bestScore || (!forward && score === bestScore)) {
      bestScore = score;
      best = h;
    }
  }
  return best;
}

export function SkyPlot(props: Props) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const hits = useRef<Hit[]>([]);
  const latest = useRef(props);
  latest.current = props;
  const [said, say] = useState('');
  useEffect(() => say(''), [props.items]);

  const land = (id: string) => {
    const item = props.items.find((i) => i.id === id);
    if (!item) return;
    props.onHover(id);
    const n = props.items.indexOf(item) + 1;
    say(`${item.name}. ${n} of ${props.items.length}. Enter opens it.`);
  };
  const onKey = (e: KeyboardEvent) => {
    // Markers in the list's order (those on the plot), for Home/End and the first arrow press.
    const order = props.items.map((i) => hits.current.find((h) => h.id === i.id)).filter((h): h is Hit => h !== undefined);
    const current = hits.current.find((h) => h.id === props.highlighted) ?? null;
    if (e.key === 'Enter' && current) props.onOpen(current.id);
    else if (e.key === 'Escape') {
      props.onHover(null);
      say('');
    } else if (e.key === 'Home' || e.key === 'End') {
      const h = e.key === 'Home' ? order[0] : order[order.length - 1];
      if (h) land(h.id);
      else say('No record of this page is on the plot.');
    } else if (e.key in KEY_DIRECTIONS) {
      if (!current) {
        if (order[0]) land(order[0].id);
        else say('No record of this page is on the plot.');
      } else {
        const h = nextMarker(order, current, KEY_DIRECTIONS[e.key]);
        if (h) land(h.id);
        else say(`No marker further ${DIRECTION_WORDS[e.key]}.`);
      }
    } else return;
    e.preventDefault();
  };

  useEffect(() => {
    if (canvas.current) draw(canvas.current, props, hits.current);
  });
  useEffect(() => {
    const c = canvas.current;
    if (!c?.parentElement) return;
    let width = c.parentElement.clientWidth;
    const ro = new ResizeObserver(() => {
      const w = c.parentElement?.clientWidth ?? width;
      if (w !== width) {
        width = w;
        draw(c, latest.current, hits.current);
      }
    });
    ro.observe(c.parentElement);
    return () => ro.disconnect();
  }, []);

  const nearest = (e: MouseEvent): string | null => {
    const r = canvas.current!.getBoundingClientRect();
    const x = e.clientX - r.left;
    const y = e.clientY - r.top;
    let best: string | null = null;
    let bestD = 10 * 10;
    for (const h of hits.current) {
      const d = (h.x - x) ** 2 + (h.y - y) ** 2;
      if (d <= bestD) {
        bestD = d;
        best = h.id;
      }
    }
    return best;
  };

  return (
    <div class="sky-plot">
      <canvas
        ref={canvas}
        tabIndex={0}
        role="application"
        aria-roledescription="sky plot"
        aria-label={`${props.label}. Arrow keys move between the records' markers, Enter opens the chosen record.`}
        aria-describedby="sky-plot-said"
        onKeyDown={onKey}
        data-testid="sky-plot"
        onMouseMove={(e) => {
          const id = nearest(e);
          canvas.current!.classList.toggle('pointing', id !== null);
          if (id !== latest.current.highlighted) props.onHover(id);
        }}
        onMouseLeave={() => props.onHover(null)}
        onClick={(e) => {
          const id = nearest(e);
          if (id) props.onSelect(id);
        }}
      />
      <p id="sky-plot-said" class="visually-hidden" aria-live="polite" data-testid="sky-plot-said">
        {said}
      </p>
    </div>
  );
}
