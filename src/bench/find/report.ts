/** The find benchmark's report as text: a header, the latency table, the targets. */
import type { FindReport } from './run-find.js';

/** Targets at 10 million records, warm, on a 2-core machine. */
export const FIND_TARGETS = {
  coneP50SmallMs: 3, // radii up to 6'
  coneP99Ms: 25, // radii up to 1 deg
  q3cRatio: 1.2,
  crossmatchSeconds: 1.5,
  skyIndexSeconds: 60,
};

export function formatFindReport(r: FindReport): string {
  const lines: string[] = [];
  lines.push(
    `astroarchive bench --find — ${r.rows.toLocaleString('en')} records (${r.fields} survey fields of 1-2 deg hold ${r.fieldShare * 100}%, the rest all-sky), ` +
      `node ${r.node}, ${r.cpus} CPUs, load average ${r.loadAverage.join(' ')}, ${r.database} PostgreSQL ${r.serverVersion}`,
  );
  lines.push(`statements: ${r.statements}; pages of ${r.page} rows (+1 for hasNextPage) in id order, visible records only`);
  if (r.reused) lines.push(`load: none, the ${r.load.records.toLocaleString('en')} records an earlier run loaded into ${r.reused} (--dir) were used; table + indexes ${r.tableMb.toFixed(0)} MB`);
  else lines.push(`load: ${r.load.seconds.toFixed(1)} s (${r.load.rowsPerSecond.toLocaleString('en')} records/s, files and records rows, secondary indexes dropped); table + indexes ${r.tableMb.toFixed(0)} MB`);
  if (!r.reused) lines.push(
    `sky index build: ${r.skyIndex.seconds.toFixed(1)} s (${Object.entries(r.skyIndex.perIndex).map(([k, v]) => `${k} ${v.toFixed(1)} s`).join(', ')}; maintenance_work_mem ${r.skyIndex.maintenanceWorkMem}); other indexes ${r.otherIndexSeconds.toFixed(1)} s`,
  );
  if (r.q3c && 'skipped' in r.q3c) lines.push(`q3c: skipped (${r.q3c.skipped})`);
  else if (r.q3c) lines.push(`q3c: PostgreSQL ${r.q3c.serverVersion}, q3c ${r.q3c.q3cVersion}, load ${r.q3c.loadSeconds.toFixed(1)} s, q3c_ang2ipix index ${r.q3c.indexSeconds.toFixed(1)} s; statements alternate ours / q3c`);
  lines.push(`cache: ${r.warm}`);
  lines.push('');
  const withQ3c = r.queries.some((q) => q.q3c);
  const head = ['query', 'n', 'p50 ms', 'p95 ms', 'p99 ms', 'rows p50', 'rows total'];
  if (withQ3c) head.push('q3c p50', 'q3c p95', 'q3c p99', 'p50 ratio', 'same pages');
  const rows = r.queries.map((q) => {
    const row = [q.name, String(q.ours.n), ms(q.ours.p50), ms(q.ours.p95), ms(q.ours.p99), String(q.ours.rowsP50), String(q.ours.rowsTotal)];
    if (withQ3c) row.push(...(q.q3c ? [ms(q.q3c.p50), ms(q.q3c.p95), ms(q.q3c.p99), `x${q.p50Ratio!.toFixed(2)}`, `${q.samePages}/${q.ours.n}`] : ['', '', '', '', '']));
    return row;
  });
  lines.push(...table([head, ...rows]));
  lines.push('');
  lines.push(
    `crossmatch: ${r.crossmatch.positions.toLocaleString('en')} positions at ${r.crossmatch.radiusArcsec}" in ${r.crossmatch.seconds.toFixed(2)} s ` +
      `(${r.crossmatch.statements} statement, nearest match each; ${r.crossmatch.matched.toLocaleString('en')} matched)`,
  );
  lines.push(
    `table crossmatch: the same positions as a ${r.tableCrossmatch.rows.toLocaleString('en')}-row table's rows, one page against the records in ${r.tableCrossmatch.seconds.toFixed(2)} s ` +
      `(${r.tableCrossmatch.statements} statements: the rows, then the match; ${r.tableCrossmatch.matched.toLocaleString('en')} matched)`,
  );
  if (r.bruteForce) lines.push(`brute-force check: ${r.bruteForce.cones} cone pages, ${r.bruteForce.mismatches} different`);
  lines.push('');
  lines.push(...targets(r));
  return lines.join('\n') + '\n';
}

function targets(r: FindReport): string[] {
  const t = FIND_TARGETS;
  const cones = r.queries.filter((q) => q.name.startsWith('cone ') && !q.name.includes('+'));
  const small = cones.filter((q) => ['cone 1"', "cone 1'", "cone 6'"].includes(q.name));
  const out = [`targets (set at 10,000,000 records, warm, 2 cores)${r.rows === 10_000_000 ? '' : `; this run has ${r.rows.toLocaleString('en')}`}:`];
  const mark = (ok: boolean) => (ok ? 'met' : 'NOT met');
  out.push(`  cone p50 <= ${t.coneP50SmallMs} ms up to 6': ${mark(small.every((q) => q.ours.p50 <= t.coneP50SmallMs))} (${small.map((q) => ms(q.ours.p50)).join(' / ')})`);
  out.push(`  cone p99 <= ${t.coneP99Ms} ms up to 1 deg: ${mark(cones.every((q) => q.ours.p99 <= t.coneP99Ms))} (${cones.map((q) => ms(q.ours.p99)).join(' / ')})`);
  if (cones.some((q) => q.q3c)) out.push(`  cone p50 within ${t.q3cRatio}x of q3c: ${mark(cones.every((q) => (q.p50Ratio ?? Infinity) <= t.q3cRatio))} (${cones.map((q) => `x${q.p50Ratio?.toFixed(2)}`).join(' / ')})`);
  out.push(`  crossmatch of 100,000 positions <= ${t.crossmatchSeconds} s: ${mark(r.crossmatch.positions >= 100_000 && r.crossmatch.seconds <= t.crossmatchSeconds)} (${r.crossmatch.seconds.toFixed(2)} s)`);
  out.push(`  table crossmatch of 100,000 rows <= ${t.crossmatchSeconds} s: ${mark(r.tableCrossmatch.rows >= 100_000 && r.tableCrossmatch.seconds <= t.crossmatchSeconds)} (${r.tableCrossmatch.seconds.toFixed(2)} s)`);
  if (!r.reused) out.push(`  sky index build <= ${t.skyIndexSeconds} s: ${mark(r.skyIndex.seconds <= t.skyIndexSeconds)} (${r.skyIndex.seconds.toFixed(1)} s)`);
  return out;
}

function ms(x: number): string {
  return x < 10 ? x.toFixed(2) : x.toFixed(1);
}

function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  '));
}
