/**
 * A flame graph page for one stored profile, rendered on the server as SVG (icicle layout:
 * callers above callees, width = share of samples, or of sampled bytes for HEAP). Static
 * HTML: no script, no external assets, so it works offline and under a strict CSP. Hovering a
 * frame shows its name, file:line and share (SVG <title>). The top-functions table follows.
 */
import type { CallFrame, CpuProfile, HeapProfile, HeapProfileNode } from './profiler.js';
import type { ProfileRow } from './profile-requests.js';
import { displayFile } from './profile-summary.js';

interface Frame {
  cf: CallFrame;
  value: number;
  children: Map<string, Frame>;
}

const WIDTH = 1200;
const ROW = 17;
const MIN_PX = 0.4;

const fkey = (cf: CallFrame) => `${cf.functionName}\u0000${cf.url}\u0000${cf.lineNumber}`;

function fromCpu(p: CpuProfile): Frame {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const hits = new Map<number, number>();
  for (const s of p.samples) hits.set(s, (hits.get(s) ?? 0) + 1);
  const build = (id: number): Frame => {
    const n = byId.get(id)!;
    const f: Frame = { cf: n.callFrame, value: hits.get(id) ?? 0, children: new Map() };
    for (const c of n.children ?? []) addChild(f, build(c));
    return f;
  };
  return build(p.nodes[0].id);
}

function fromHeap(p: HeapProfile): Frame {
  const build = (n: HeapProfileNode): Frame => {
    const f: Frame = { cf: n.callFrame, value: n.selfSize, children: new Map() };
    for (const c of n.children) addChild(f, build(c));
    return f;
  };
  return build(p.head);
}

/** Same function reached twice from one caller: one frame. */
function addChild(parent: Frame, child: Frame): void {
  const k = fkey(child.cf);
  const existing = parent.children.get(k);
  if (!existing) {
    parent.children.set(k, child);
    return;
  }
  existing.value += child.value;
  for (const c of child.children.values()) addChild(existing, c);
}

function totals(f: Frame, out: Map<Frame, number>): number {
  let t = f.value;
  for (const c of f.children.values()) t += totals(c, out);
  out.set(f, t);
  return t;
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function colour(cf: CallFrame): string {
  const name = cf.functionName;
  if (name.startsWith('(')) return '#c8c8c8';
  if (!cf.url || cf.url.startsWith('node:')) return '#e0b050'; // Node/V8 internals
  if (cf.url.includes('/node_modules/')) return '#7fb0e0';
  let h = 0;
  for (const ch of name) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return `hsl(${10 + (h % 40)}, 85%, ${55 + (h % 15)}%)`; // our code: warm colours
}

export function renderFlameSvg(root: Frame, unit: string): { svg: string; depth: number } {
  const tot = new Map<Frame, number>();
  const total = totals(root, tot);
  const rects: string[] = [];
  let depth = 0;
  const draw = (f: Frame, x: number, d: number) => {
    const t = tot.get(f)!;
    const w = total ? (t / total) * WIDTH : 0;
    if (w < MIN_PX) return;
    depth = Math.max(depth, d);
    const y = d * ROW;
    const file = displayFile(f.cf.url);
    const label = f.cf.functionName || '(anonymous)';
    const where = file ? ` ${file}${f.cf.lineNumber >= 0 ? `:${f.cf.lineNumber + 1}` : ''}` : '';
    const pct = total ? ((100 * t) / total).toFixed(2) : '0';
    const chars = Math.floor((w - 6) / 7);
    const text = chars >= 3 ? (label.length > chars ? label.slice(0, chars - 1) + '…' : label) : '';
    rects.push(
      `<g><title>${esc(label + where)}\n${t} ${unit} (${pct}%)</title><rect x="${x.toFixed(2)}" y="${y}" width="${w.toFixed(2)}" height="${ROW - 1}" fill="${colour(f.cf)}" rx="2"/>` +
        (text ? `<text x="${(x + 3).toFixed(2)}" y="${y + 12}">${esc(text)}</text>` : '') +
        `</g>`,
    );
    let cx = x;
    const kids = [...f.children.values()].sort((a, b) => (a.cf.functionName < b.cf.functionName ? -1 : 1));
    for (const c of kids) {
      draw(c, cx, d + 1);
      cx += total ? (tot.get(c)! / total) * WIDTH : 0;
    }
  };
  draw(root, 0, 0);
  const height = (depth + 1) * ROW;
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="monospace" font-size="11">` +
    rects.join('') +
    `</svg>`;
  return { svg, depth };
}

export function renderFlameGraphPage(meta: ProfileRow, profile: CpuProfile | HeapProfile | null, token?: string): string {
  const ext = meta.kind === 'HEAP' ? 'heapprofile' : 'cpuprofile';
  const download = `${meta.id}.${ext}${token ? `?token=${encodeURIComponent(token)}` : ''}`;
  const head = `<!doctype html><html><head><meta charset="utf-8"><title>profile ${meta.id} (${meta.kind}, ${esc(meta.processId)})</title>
<style>body{font:14px system-ui,sans-serif;margin:1.5em}svg text{pointer-events:none;fill:#222}svg g:hover rect{stroke:#000;stroke-width:.7}
table{border-collapse:collapse;font:12px monospace}td,th{padding:2px 8px;text-align:left}td.n{text-align:right}tr:nth-child(even){background:#f4f4f4}
.scroll{overflow-x:auto;border:1px solid #ddd;padding:4px}</style></head><body>`;
  const title = `<h1>Profile ${meta.id}: ${meta.kind} of ${esc(meta.processId)}</h1>
<p>${meta.seconds} s requested, ${meta.sampleCount ?? 0} samples, status <b>${esc(meta.status)}</b>${meta.error ? `: ${esc(meta.error)}` : ''}.
<a href="${esc(download)}">Download the .${ext}</a> (opens in speedscope, Chrome DevTools or VS Code).</p>`;
  if (!profile) return `${head}${title}</body></html>`;
  const root = meta.kind === 'HEAP' ? fromHeap(profile as HeapProfile) : fromCpu(profile as CpuProfile);
  const { svg } = renderFlameSvg(root, meta.kind === 'HEAP' ? 'bytes' : 'samples');
  const explain =
    meta.kind === 'HEAP'
      ? 'Width: share of sampled live allocations. Callers above callees.'
      : 'Width: share of CPU samples over all threads (one top-level box per thread: main thread and analysis threads). Callers above callees. Grey: (idle)/(program)/(garbage collector); yellow: Node internals; blue: node_modules; warm: our code.';
  const rows = (meta.topFunctions ?? [])
    .map(
      (f) =>
        `<tr><td class="n">${f.selfPercent.toFixed(2)}</td><td class="n">${f.totalPercent === null ? '' : f.totalPercent.toFixed(2)}</td><td>${esc(f.name)}</td><td>${esc(f.file ?? '')}${f.line ? `:${f.line}` : ''}</td></tr>`,
    )
    .join('');
  return `${head}${title}<p>${explain}</p><div class="scroll">${svg}</div>
<h2>Top functions</h2><table><tr><th>self %</th><th>total %</th><th>function</th><th>location</th></tr>${rows}</table></body></html>`;
}
