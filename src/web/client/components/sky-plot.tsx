/**
 * The all-sky plot: the records of the page shown (their footprints when the API gives them,
 * else their centres) and the search cone, on an Aitoff or Mollweide map drawn on a canvas with
 * our own projection code (sky/projection.ts). Linked with the list: the highlighted record is
 * drawn on top in another colour; hovering a marker reports it, clicking selects it.
 * The canvas is an image for assistive technology; the list beside it holds the same records.
 */
import { useEffect, useRef } from 'preact/hooks';
import { plotLayout, type PlotLayout } from '../sky/layout';
import { circle, graticule, greatCircle, project, projectLine, type Point, type ProjectionName, type Sky } from '../sky/projection';

export interface SkyItem {
  id: string;
  center: Sky | null;
  footprint: Sky[] | null;
}

interface Props {
  items: SkyItem[];
  cone: { ra: number; dec: number; radius: number } | null;
  projection: ProjectionName;
  highlighted: string | null;
  onHover(id: string | null): void;
  onSelect(id: string): void;
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

function strokeLines(ctx: CanvasRenderingContext2D, l: PlotLayout, lines: Point[][]): void {
  for (const line of lines) {
    ctx.beginPath();
    line.forEach((p, i) => {
      const [x, y] = l.toPx(p);
      if (i === 0) ctx.moveTo(x, y);
      else ctx.lineTo(x, y);
    });
    ctx.stroke();
  }
}

/** The footprint's outline along great circles; null when it is missing or degenerate. */
function footprintLines(name: ProjectionName, fp: Sky[] | null): Point[][] | null {
  if (!fp || fp.length < 3) return null;
  const pts: Sky[] = [];
  for (let i = 0; i < fp.length; i++) pts.push(...greatCircle(fp[i], fp[(i + 1) % fp.length], 8));
  return projectLine(name, pts, CENTER_RA);
}

function draw(canvas: HTMLCanvasElement, props: Props, hits: Array<{ id: string; x: number; y: number }>): void {
  const width = canvas.parentElement?.clientWidth ?? 600;
  const l = plotLayout(Math.max(280, width));
  const dpr = window.devicePixelRatio || 1;
  canvas.width = Math.round(l.width * dpr);
  canvas.height = Math.round(l.height * dpr);
  canvas.style.width = `${l.width}px`;
  canvas.style.height = `${l.height}px`;
  const ctx = canvas.getContext('2d')!;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, l.width, l.height);

  // The sky's outline: the meridian opposite the centre, both sides.
  const edge: Sky[] = [];
  for (let dec = -90; dec <= 90; dec += 1) edge.push({ ra: CENTER_RA + 180 - 1e-9, dec });
  for (let dec = 90; dec >= -90; dec -= 1) edge.push({ ra: CENTER_RA + 180 + 1e-9, dec });
  ctx.beginPath();
  edge.forEach((s, i) => {
    const [x, y] = l.toPx(project(props.projection, s, CENTER_RA));
    if (i === 0) ctx.moveTo(x, y);
    else ctx.lineTo(x, y);
  });
  ctx.closePath();
  ctx.fillStyle = COLORS.sky;
  ctx.fill();
  ctx.strokeStyle = COLORS.edge;
  ctx.lineWidth = 1;
  ctx.stroke();

  ctx.strokeStyle = COLORS.grid;
  for (const line of graticule(30, 30)) strokeLines(ctx, l, projectLine(props.projection, line, CENTER_RA));

  ctx.fillStyle = COLORS.text;
  ctx.font = '11px system-ui, sans-serif';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  for (let h = 0; h < 24; h += 4) {
    if (h === 12) continue;
    const [x, y] = l.toPx(project(props.projection, { ra: h * 15, dec: 0 }, CENTER_RA));
    ctx.fillText(`${h}h`, x, y - 8);
  }
  ctx.fillStyle = '#33404d';
  for (const dec of [-60, -30, 30, 60]) {
    const [x, y] = l.toPx(project(props.projection, { ra: CENTER_RA + 180 - 1e-9, dec }, CENTER_RA));
    ctx.textAlign = 'right';
    ctx.fillText(`${dec > 0 ? '+' : '−'}${Math.abs(dec)}°`, x - 4, y);
  }

  if (props.cone) {
    ctx.strokeStyle = COLORS.cone;
    ctx.lineWidth = 1.5;
    strokeLines(ctx, l, projectLine(props.projection, circle(props.cone, props.cone.radius), CENTER_RA));
    const [x, y] = l.toPx(project(props.projection, props.cone, CENTER_RA));
    ctx.beginPath();
    ctx.moveTo(x - 9, y);
    ctx.lineTo(x - 4, y);
    ctx.moveTo(x + 4, y);
    ctx.lineTo(x + 9, y);
    ctx.moveTo(x, y - 9);
    ctx.lineTo(x, y - 4);
    ctx.moveTo(x, y + 4);
    ctx.lineTo(x, y + 9);
    ctx.stroke();
  }

  hits.length = 0;
  const ordered = [...props.items.filter((i) => i.id !== props.highlighted), ...props.items.filter((i) => i.id === props.highlighted)];
  for (const item of ordered) {
    const on = item.id === props.highlighted;
    ctx.strokeStyle = on ? COLORS.highlight : COLORS.item;
    ctx.fillStyle = on ? COLORS.highlight : COLORS.item;
    ctx.lineWidth = on ? 2.5 : 1.5;
    const fp = footprintLines(props.projection, item.footprint);
    if (fp) strokeLines(ctx, l, fp);
    if (item.center) {
      const [x, y] = l.toPx(project(props.projection, item.center, CENTER_RA));
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
}

export function SkyPlot(props: Props) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const hits = useRef<Array<{ id: string; x: number; y: number }>>([]);
  const latest = useRef(props);
  latest.current = props;

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
        role="img"
        aria-label={props.label}
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
    </div>
  );
}
