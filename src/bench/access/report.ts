/** The access benchmark's printed report: one table beside nginx, the preview times, the goals. */
import type { AccessBenchReport } from './run-access.js';

export function formatAccessReport(r: AccessBenchReport): string {
  const lines: string[] = [];
  lines.push(`astroarchive bench --access — node ${r.node}, ${r.cpus} CPUs; reference: ${r.nginx ?? 'nginx not run'}; load average ${r.loadAverage.before.join(' ')} before, ${r.loadAverage.after.join(' ')} after`);
  const d = r.dataset;
  lines.push(
    `data (published releases, anonymous requests, warm page cache): ${d.spectra.toLocaleString('en')} spectra of ${d.spectrumBytes.toLocaleString('en')} bytes, ` +
      `a ${(d.bigBytes / 1024 ** 2).toFixed(0)} MB file, ${d.previews} images and cubes to preview; ingested in ${d.ingestSeconds} s; ` +
      `${r.settings.rounds} alternating rounds per figure, autocannon ${r.settings.connections} connections x ${r.settings.seconds} s`,
  );
  lines.push('');
  const head = ['figure', 'unit', 'ours', 'reference', 'ratio (per round)', 'target', 'met'];
  const rows = r.figures.map((f) =>
    f.skipped
      ? [f.title, f.unit, 'skipped', '', '', f.target, '-']
      : [
          f.title,
          f.unit,
          fmt(f.oursMedian),
          f.referenceMedian === null ? '-' : `${fmt(f.referenceMedian)} (${f.referenceLabel})`,
          f.medianRatio === null ? '-' : `${f.medianRatio.toFixed(2)}x (${f.ratios.join(', ')})`,
          f.target,
          f.met === null ? '-' : f.met ? 'yes' : 'NO',
        ],
  );
  lines.push(...table([head, ...rows]));
  lines.push('(medians over the rounds; ours and the reference alternate)');
  for (const f of r.figures) {
    if (f.skipped) lines.push(`${f.name}: ${f.skipped}`);
    for (const n of f.notes) lines.push(`${f.name}: ${n}`);
  }
  if (r.previews.length) {
    lines.push('');
    lines.push('previews (first request renders on an access thread and caches; the second reads the cache):');
    lines.push(...table([['file', 'MB', 'status', 'PNG', 'first ms', 'cached ms'], ...r.previews.map((p) => [p.path, String(p.megabytes), String(p.status), p.width ? `${p.width}x${p.height}` : '-', String(p.firstMs), String(p.cachedMs)])]));
  }
  lines.push('');
  lines.push(`files: ${r.dir}`);
  return lines.join('\n') + '\n';
}

function fmt(x: number | null): string {
  return x === null ? '-' : x.toLocaleString('en', { maximumFractionDigits: 1 });
}

function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  return rows.map((row) => row.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  '));
}
