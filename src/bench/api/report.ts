/** The API benchmark's printed report: one table, then the goals, met or not. */
import type { ApiBenchReport, ApiQueryResult, SideResult } from './run-api.js';

export function formatApiReport(r: ApiBenchReport): string {
  const s = r.settings;
  const lines: string[] = [];
  lines.push(
    `astroarchive bench --api — node ${r.node}, ${r.cpus} CPUs, ${r.database} PostgreSQL; ` +
      `load average ${r.loadAverage.before.join(' ')} before, ${r.loadAverage.after.join(' ')} after`,
  );
  const sh = r.dataset.shape;
  lines.push(
    `release ${r.dataset.releaseId} (published, anonymous clients): ${r.dataset.files.toLocaleString('en')} files ` +
      `(${sh.spectra.toLocaleString('en')} spectra of ${sh.sources.toLocaleString('en')} sources, ${sh.blobs.toLocaleString('en')} blobs), ingested in ${r.dataset.ingestSeconds} s`,
  );
  lines.push(
    `ours: ${r.servers.ours.label} (pid ${r.servers.ours.pid}); theirs: ${r.servers.theirs.label} (pid ${r.servers.theirs.pid}); ` +
      `autocannon ${s.connections} connections, ${s.rounds} x (ours ${s.seconds} s, theirs ${s.seconds} s) per query after a ${s.warmupSeconds} s warm-up each`,
  );
  const env = Object.entries(r.oursEnv);
  if (env.length) lines.push(`ours ran with ${env.map(([k, v]) => `${k}=${v}`).join(' ')} (not its defaults)`);
  lines.push('');
  const head = ['query', 'ours req/s', 'theirs req/s', 'ratio (per pair)', 'p50 ms', 'p99 ms', 'CPU ms/request', 'unloaded p50 ms', `stmts/request (at ${s.smallPage})`, 'peak RSS MB'];
  const rows = r.results.map((q) => (q.ours && q.theirs ? timedRow(q, q.ours, q.theirs) : [q.name, 'not timed', '', '', '', '', '', '', '', '']));
  lines.push(...table([head, ...rows]));
  lines.push(
    '(pairs: ours / theirs; req/s, p50, p99 and CPU are medians over the rounds; CPU: the server process\'s user + system time per answered request; peak RSS sampled while the server was loaded)',
  );
  lines.push('');
  for (const q of r.results) {
    lines.push(`${q.name}: ${q.title}`);
    if (!q.ours || !q.theirs) {
      lines.push(`  not timed: ${q.problem}`);
      continue;
    }
    lines.push(`  same data from both servers: ${q.sameData ? 'yes' : 'NO'}`);
    lines.push(`  rounds ours req/s: ${q.ours.runs.map((x) => x.rps).join(', ')}; theirs: ${q.theirs.runs.map((x) => x.rps).join(', ')}`);
    const errors = [...q.ours.runs, ...q.theirs.runs].reduce((n, x) => n + x.non2xx + x.errors, 0);
    if (errors) lines.push(`  WARNING: ${errors} non-2xx responses or errors under load`);
    // Flat: a page of the issue's size costs no more statements than a page of 10.
    const flat = q.pageSize === null || (q.ours.statements ?? Infinity) <= (q.ours.statementsSmallPage ?? -Infinity);
    lines.push(
      `  goal: req/s >= 1.0x ${mark((q.medianRatio ?? 0) >= 1)}, p99 <= theirs ${mark(q.ours.p99 <= q.theirs.p99)}, ` +
        `statements flat in the page size ${q.pageSize === null ? '(not paged)' : mark(flat)}`,
    );
  }
  const [ho, ht] = [r.servers.ours.hwmMb, r.servers.theirs.hwmMb];
  lines.push('');
  lines.push(`peak RSS over the whole run (VmHWM): ours ${fmt(ho)} MB, PostGraphile ${fmt(ht)} MB ${ho !== null && ht !== null ? mark(ho <= ht) : ''}`);
  lines.push(`statements: ours = ${r.statementsMethod.ours}; theirs = ${r.statementsMethod.theirs}`);
  lines.push(`release files: ${r.dir}`);
  return lines.join('\n') + '\n';
}

function timedRow(q: ApiQueryResult, o: SideResult, t: SideResult): string[] {
  const stmts = (x: SideResult) => `${fmt(x.statements)}${q.pageSize === null ? '' : ` (${fmt(x.statementsSmallPage)})`}`;
  return [
    q.name,
    String(o.rps),
    String(t.rps),
    `${q.medianRatio!.toFixed(2)} (${q.ratios.map((x) => x.toFixed(2)).join(' ')})`,
    `${o.p50} / ${t.p50}`,
    `${o.p99} / ${t.p99}`,
    `${o.cpuMsPerRequest.toFixed(2)} / ${t.cpuMsPerRequest.toFixed(2)}`,
    `${o.unloadedP50} / ${t.unloadedP50}`,
    `${stmts(o)} / ${stmts(t)}`,
    `${o.peakRssMb.toFixed(0)} / ${t.peakRssMb.toFixed(0)}`,
  ];
}

const mark = (ok: boolean) => (ok ? '[met]' : '[NOT met]');
const fmt = (x: number | null) => (x === null ? 'n/a' : String(x));

function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  '));
}
