/**
 * A process sampling itself (the `py-spy record` of the project), with `node:inspector`.
 *
 * CPU: the V8 sampling profiler of the main thread AND of every worker thread alive when the
 * capture starts. Ingest CPU work runs on the analysis threads (src/ingest/analyze/pool.ts),
 * so a main-thread-only profile of a busy worker would show little more than `(idle)`. The
 * main thread's inspector session reaches the threads through the `NodeWorker` domain (what
 * DevTools uses to debug worker threads): nothing in the thread pool has to cooperate. The
 * per-thread profiles are merged into ONE .cpuprofile whose root has one child per thread,
 * named `(main thread)` / `(thread N)`, so any .cpuprofile viewer shows them side by side and
 * percentages are of all samples taken in all threads.
 *
 * Positions: tsx compiles each module to one minified line, and threads run one bundle of
 * all their modules (src/threads), so V8's positions say nothing.
 * Each thread maps its frames through its own source-map cache (`module.findSourceMap`; the
 * threads are asked with `Runtime.evaluate`), and the stored profile carries the .ts lines.
 *
 * HEAP: V8's sampling heap profiler (allocations still live at the end) of the main thread
 * only. Analysis threads keep little live data (one scratch buffer each).
 */
import inspector from 'node:inspector';
import { findSourceMap } from 'node:module';

export type ProfileKind = 'CPU' | 'HEAP';

export interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
  scriptId?: string;
}

export interface CpuProfileNode {
  id: number;
  callFrame: CallFrame;
  hitCount?: number;
  children?: number[];
  positionTicks?: unknown[];
}

export interface CpuProfile {
  nodes: CpuProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface HeapProfileNode {
  callFrame: CallFrame;
  selfSize: number;
  id: number;
  children: HeapProfileNode[];
}

export interface HeapProfile {
  head: HeapProfileNode;
  samples?: Array<{ size: number; nodeId: number; ordinal: number }>;
}

export interface CaptureOptions {
  /** Sampling interval in microseconds (CPU). 1 ms: ~1000 samples per second per thread. */
  intervalUs?: number;
  /** Also profile worker threads (CPU). Default true. */
  threads?: boolean;
  /** Cancel early (e.g. on shutdown); the profile so far is kept. */
  signal?: AbortSignal;
}

export interface Capture {
  kind: ProfileKind;
  profile: CpuProfile | HeapProfile;
  /** CPU: samples over all threads; HEAP: allocation samples. */
  sampleCount: number;
  /** Threads profiled (CPU), main thread included. */
  threads: number;
  seconds: number;
}

let busy = false;

/** Sample this process for `seconds`. One capture at a time per process. */
export async function captureSelf(kind: ProfileKind, seconds: number, opts: CaptureOptions = {}): Promise<Capture> {
  if (busy) throw new Error('a profile is already being captured in this process; try again when it finishes');
  busy = true;
  const session = new inspector.Session();
  session.connect();
  try {
    return kind === 'CPU' ? await captureCpu(session, seconds, opts) : await captureHeap(session, seconds, opts);
  } finally {
    session.disconnect();
    busy = false;
  }
}

function post<T = Record<string, unknown>>(session: inspector.Session, method: string, params: Record<string, unknown> = {}): Promise<T> {
  return new Promise((resolve, reject) => {
    session.post(method, params, (err: Error | null, result?: unknown) => (err ? reject(err) : resolve(result as T)));
  });
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** Talks to worker threads through the main session's NodeWorker domain. */
class ThreadSessions {
  readonly ids: string[] = [];
  private seq = 0;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();

  constructor(private readonly session: inspector.Session) {
    session.on('NodeWorker.attachedToWorker', (m: { params: { sessionId: string } }) => {
      this.ids.push(m.params.sessionId);
    });
    session.on('NodeWorker.receivedMessageFromWorker', (m: { params: { message: string } }) => {
      const msg = JSON.parse(m.params.message) as { id?: number; result?: unknown; error?: { message: string } };
      const p = msg.id === undefined ? undefined : this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id!);
      if (msg.error) p.reject(new Error(msg.error.message));
      else p.resolve(msg.result);
    });
    session.on('NodeWorker.detachedFromWorker', (m: { params: { sessionId: string } }) => {
      const i = this.ids.indexOf(m.params.sessionId);
      if (i >= 0) this.ids.splice(i, 1);
    });
  }

  async attach(): Promise<string[]> {
    await post(this.session, 'NodeWorker.enable', { waitForDebuggerOnStart: false });
    // attachedToWorker events for existing threads arrive right after enable.
    await new Promise((r) => setTimeout(r, 50));
    return [...this.ids];
  }

  send<T>(sessionId: string, method: string, params: Record<string, unknown> = {}, timeoutMs = 10_000): Promise<T> {
    const id = ++this.seq;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`thread ${sessionId} did not answer ${method}`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v as T);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      post(this.session, 'NodeWorker.sendMessageToWorker', { sessionId, message: JSON.stringify({ id, method, params }) }).catch((e: Error) => {
        this.pending.get(id)?.reject(e);
        this.pending.delete(id);
      });
    });
  }

  async detach(): Promise<void> {
    await post(this.session, 'NodeWorker.disable').catch(() => {});
  }
}

async function captureCpu(session: inspector.Session, seconds: number, opts: CaptureOptions): Promise<Capture> {
  const interval = opts.intervalUs ?? 1000;
  const threads = new ThreadSessions(session);
  let started: string[] = [];
  try {
    if (opts.threads !== false) {
      for (const sid of await threads.attach()) {
        try {
          await threads.send(sid, 'Profiler.enable');
          await threads.send(sid, 'Profiler.setSamplingInterval', { interval });
          await threads.send(sid, 'Profiler.start');
          started.push(sid);
        } catch {
          // A thread that exits or is busy starting up is left out; the rest still count.
        }
      }
    }
    await post(session, 'Profiler.enable');
    await post(session, 'Profiler.setSamplingInterval', { interval });
    const t0 = performance.now();
    await post(session, 'Profiler.start');
    await sleep(seconds * 1000, opts.signal);
    const { profile: main } = await post<{ profile: CpuProfile }>(session, 'Profiler.stop');
    const elapsed = (performance.now() - t0) / 1000;
    await post(session, 'Profiler.disable');
    applyPositions(main.nodes.map((n) => n.callFrame), mapPositions(positionsOf(main.nodes.map((n) => n.callFrame))));
    const parts: Array<{ name: string; profile: CpuProfile }> = [{ name: '(main thread)', profile: main }];
    const stopped = await Promise.allSettled(started.map((sid) => threads.send<{ profile: CpuProfile }>(sid, 'Profiler.stop')));
    for (let i = 0; i < stopped.length; i++) {
      const r = stopped[i];
      if (r.status !== 'fulfilled') continue;
      const frames = r.value.profile.nodes.map((n) => n.callFrame);
      const wanted = positionsOf(frames);
      const mapped = await threads
        .send<{ result: { value?: string } }>(started[i], 'Runtime.evaluate', { expression: mapInThreadExpression(wanted), returnByValue: true }, 5000)
        .then((res) => JSON.parse(res.result.value ?? '[]') as Mapped[])
        .catch(() => []);
      applyPositions(frames, mapped, wanted);
      parts.push({ name: `(thread ${i + 1})`, profile: r.value.profile });
    }
    await Promise.allSettled(started.map((sid) => threads.send(sid, 'Profiler.disable', {}, 2000)));
    started = [];
    const merged = parts.length === 1 ? main : mergeCpuProfiles(parts);
    return { kind: 'CPU', profile: merged, sampleCount: merged.samples.length, threads: parts.length, seconds: elapsed };
  } finally {
    // On an error part-way, leave no thread profiling.
    await Promise.allSettled(started.map((sid) => threads.send(sid, 'Profiler.stop', {}, 2000)));
    await threads.detach();
  }
}

async function captureHeap(session: inspector.Session, seconds: number, opts: CaptureOptions): Promise<Capture> {
  await post(session, 'HeapProfiler.enable');
  const t0 = performance.now();
  // 32 KiB between samples: V8's default is 32 KiB too; plenty for a summary.
  await post(session, 'HeapProfiler.startSampling', { samplingInterval: 32 * 1024 });
  let result: { profile: HeapProfile };
  try {
    await sleep(seconds * 1000, opts.signal);
  } finally {
    result = await post<{ profile: HeapProfile }>(session, 'HeapProfiler.stopSampling');
    await post(session, 'HeapProfiler.disable').catch(() => {});
  }
  const elapsed = (performance.now() - t0) / 1000;
  const profile = result.profile;
  const frames: CallFrame[] = [];
  const collect = (n: HeapProfileNode) => {
    frames.push(n.callFrame);
    n.children.forEach(collect);
  };
  collect(profile.head);
  applyPositions(frames, mapPositions(positionsOf(frames)));
  return { kind: 'HEAP', profile, sampleCount: profile.samples?.length ?? countHeapNodes(profile.head), threads: 1, seconds: elapsed };
}

type Position = [url: string, line: number, column: number];

/** Distinct file positions of these frames, in a stable order. */
function positionsOf(frames: CallFrame[]): Position[] {
  const seen = new Map<string, Position>();
  for (const f of frames) if (f.url.startsWith('file:') && f.lineNumber >= 0) seen.set(`${f.url}:${f.lineNumber}:${f.columnNumber}`, [f.url, f.lineNumber, f.columnNumber]);
  return [...seen.values()];
}

/**
 * Original [line, column] (0-based) and source URL per position, through this thread's
 * source maps. The source differs from the frame's URL in bundled threads (src/threads).
 */
type Mapped = [line: number, column: number, source: string | null] | null;

function mapPositions(positions: Position[]): Mapped[] {
  return positions.map(([url, line, col]) => {
    try {
      const e = findSourceMap(url)?.findEntry(line, col) as { originalLine?: number; originalColumn?: number; originalSource?: string } | undefined;
      return e && typeof e.originalLine === 'number' ? [e.originalLine, e.originalColumn ?? 0, e.originalSource ?? null] : null;
    } catch {
      return null;
    }
  });
}

/** The same mapping, as an expression evaluated inside a worker thread. */
function mapInThreadExpression(positions: Position[]): string {
  return `(() => { const m = process.getBuiltinModule && process.getBuiltinModule('node:module'); if (!m) return '[]';
    return JSON.stringify(${JSON.stringify(positions)}.map(([u, l, c]) => { try { const e = m.findSourceMap(u)?.findEntry(l, c);
      return e && typeof e.originalLine === 'number' ? [e.originalLine, e.originalColumn ?? 0, e.originalSource ?? null] : null; } catch { return null; } })); })()`;
}

function applyPositions(frames: CallFrame[], mapped: Mapped[], positions = positionsOf(frames)): void {
  const byKey = new Map<string, NonNullable<Mapped>>();
  positions.forEach(([u, l, c], i) => {
    const m = mapped[i];
    if (m) byKey.set(`${u}:${l}:${c}`, m);
  });
  for (const f of frames) {
    const m = byKey.get(`${f.url}:${f.lineNumber}:${f.columnNumber}`);
    if (!m) continue;
    [f.lineNumber, f.columnNumber] = m;
    if (m[2]?.startsWith('file:')) f.url = m[2];
  }
}

function countHeapNodes(n: HeapProfileNode): number {
  return 1 + n.children.reduce((a, c) => a + countHeapNodes(c), 0);
}

/**
 * One .cpuprofile from several threads' profiles: node ids renumbered, each thread's
 * `(root)` becomes a child of a new root named after the thread, samples interleaved by
 * timestamp (so the time line of a viewer stays monotonic).
 */
export function mergeCpuProfiles(parts: Array<{ name: string; profile: CpuProfile }>): CpuProfile {
  const root: CpuProfileNode = { id: 1, callFrame: frame('(root)'), hitCount: 0, children: [] };
  const nodes: CpuProfileNode[] = [root];
  let nextId = 2;
  const timed: Array<{ t: number; node: number }> = [];
  let startTime = Infinity;
  let endTime = -Infinity;
  for (const { name, profile } of parts) {
    const map = new Map<number, number>();
    for (const n of profile.nodes) map.set(n.id, nextId++);
    const rootId = profile.nodes[0]?.id;
    for (const n of profile.nodes) {
      const copy: CpuProfileNode = {
        ...n,
        id: map.get(n.id)!,
        callFrame: n.id === rootId ? frame(name) : n.callFrame,
        children: (n.children ?? []).map((c) => map.get(c)!),
      };
      nodes.push(copy);
      if (n.id === rootId) root.children!.push(copy.id);
    }
    let t = profile.startTime;
    profile.samples.forEach((s, i) => {
      t += profile.timeDeltas[i] ?? 0;
      timed.push({ t, node: map.get(s)! });
    });
    startTime = Math.min(startTime, profile.startTime);
    endTime = Math.max(endTime, profile.endTime);
  }
  timed.sort((a, b) => a.t - b.t);
  const samples: number[] = [];
  const timeDeltas: number[] = [];
  let prev = startTime;
  for (const { t, node } of timed) {
    samples.push(node);
    timeDeltas.push(Math.max(0, t - prev));
    prev = Math.max(prev, t);
  }
  return { nodes, startTime, endTime, samples, timeDeltas };
}

function frame(functionName: string): CallFrame {
  return { functionName, url: '', lineNumber: -1, columnNumber: -1, scriptId: '0' };
}
