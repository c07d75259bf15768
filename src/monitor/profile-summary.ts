/**
 * From a profile to "where did the time (or memory) go": per function (name + file + line),
 * self% = share of samples whose leaf frame is that function, total% = share of samples in
 * which it appears anywhere on the stack (counted once per sample, so recursion does not
 * inflate it). Thread roots and `(root)` are skipped. CPU percentages are of the samples in
 * which a thread was doing something: `(idle)` samples are left out, as py-spy leaves idle
 * threads out unless asked (an ingesting process has several analysis threads and a mostly
 * waiting main thread, so idle samples would otherwise swamp the table). `(program)` and
 * `(garbage collector)` are kept: they are time spent. The stored profile keeps every sample.
 */
import { fileURLToPath } from 'node:url';
import type { CallFrame, CpuProfile, HeapProfile, HeapProfileNode } from './profiler.js';

export interface ProfileFunction {
  name: string;
  file: string | null;
  line: number | null;
  selfPercent: number;
  totalPercent: number | null;
}

const THREAD_ROOT = /^\((root|main thread|thread \d+)\)$/;

function key(cf: CallFrame): string {
  return `${cf.functionName}\u0000${cf.url}\u0000${cf.lineNumber}`;
}

const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A file path relative to the project when it is inside it, else the url as given. */
export function displayFile(url: string): string | null {
  if (!url) return null;
  let p = url;
  if (p.startsWith('file://')) {
    try {
      p = fileURLToPath(p);
    } catch {
      return url;
    }
  }
  return p.startsWith(PROJECT_ROOT) ? p.slice(PROJECT_ROOT.length) : p;
}

function describe(cf: CallFrame): { name: string; file: string | null; line: number | null } {
  return {
    name: cf.functionName || '(anonymous)',
    file: displayFile(cf.url),
    // V8 line numbers are 0-based; editors count from 1.
    line: cf.lineNumber >= 0 && cf.url ? cf.lineNumber + 1 : null,
  };
}

export function summarizeCpuProfile(profile: CpuProfile, limit = 40): ProfileFunction[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const counts = new Map<number, number>();
  let total = 0;
  for (const s of profile.samples) {
    if (byId.get(s)?.callFrame.functionName === '(idle)') continue;
    counts.set(s, (counts.get(s) ?? 0) + 1);
    total++;
  }
  if (total === 0) return [];

  const self = new Map<string, number>();
  const incl = new Map<string, number>();
  const frames = new Map<string, CallFrame>();
  for (const [nodeId, n] of counts) {
    const leaf = byId.get(nodeId);
    if (!leaf) continue;
    if (!THREAD_ROOT.test(leaf.callFrame.functionName) || leaf.callFrame.url) {
      const k = key(leaf.callFrame);
      self.set(k, (self.get(k) ?? 0) + n);
      frames.set(k, leaf.callFrame);
    }
    const seen = new Set<string>();
    for (let id: number | undefined = nodeId; id !== undefined; id = parent.get(id)) {
      const node = byId.get(id);
      if (!node) break;
      const cf = node.callFrame;
      if (THREAD_ROOT.test(cf.functionName) && !cf.url) continue;
      const k = key(cf);
      if (seen.has(k)) continue;
      seen.add(k);
      incl.set(k, (incl.get(k) ?? 0) + n);
      frames.set(k, cf);
    }
  }
  return rank(frames, self, incl, total, limit);
}

export function summarizeHeapProfile(profile: HeapProfile, limit = 40): ProfileFunction[] {
  const self = new Map<string, number>();
  const incl = new Map<string, number>();
  const frames = new Map<string, CallFrame>();
  const walk = (n: HeapProfileNode, stack: Set<string>): number => {
    const k = key(n.callFrame);
    const skip = n.callFrame.functionName === '(root)' && !n.callFrame.url;
    let size = n.selfSize;
    if (!skip) {
      frames.set(k, n.callFrame);
      self.set(k, (self.get(k) ?? 0) + n.selfSize);
    }
    const inner = new Set(stack);
    if (!skip) inner.add(k);
    for (const c of n.children) size += walk(c, inner);
    if (!skip && !stack.has(k)) incl.set(k, (incl.get(k) ?? 0) + size);
    return size;
  };
  const total = walk(profile.head, new Set());
  if (total === 0) return [];
  return rank(frames, self, incl, total, limit);
}

function rank(frames: Map<string, CallFrame>, self: Map<string, number>, incl: Map<string, number>, total: number, limit: number): ProfileFunction[] {
  const round = (x: number) => Math.round(x * 100) / 100;
  return [...frames.entries()]
    .map(([k, cf]) => ({ ...describe(cf), selfPercent: round((100 * (self.get(k) ?? 0)) / total), totalPercent: round((100 * (incl.get(k) ?? 0)) / total) }))
    .filter((f) => f.selfPercent > 0 || (f.totalPercent ?? 0) > 0)
    .sort((a, b) => b.selfPercent - a.selfPercent || (b.totalPercent ?? 0) - (a.totalPercent ?? 0))
    .slice(0, limit);
}

/** Fixed-width table for terminals (CLI `profile`, docs). */
export function formatTopFunctions(fns: ProfileFunction[]): string {
  const rows = fns.map((f) => [f.selfPercent.toFixed(1), f.totalPercent === null ? '-' : f.totalPercent.toFixed(1), f.name, f.file ? `${f.file}${f.line ? `:${f.line}` : ''}` : '']);
  const head = ['self%', 'total%', 'function', 'location'];
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => [r[0].padStart(w[0]), r[1].padStart(w[1]), r[2].padEnd(w[2]), r[3]].join('  ').trimEnd();
  return [line(head), ...rows.map(line)].join('\n') + '\n';
}
