/** The dashboard's two charts: files/s over a run's life (uPlot) and its stage timings (bars). */
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import type { RunDetail } from './queries';

/** Files/s per interval of the run, with the running total on a second axis. */
export function ThroughputChart({ points, label }: { points: RunDetail['throughput']; label: string }) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  useEffect(() => {
    const el = box.current!;
    const width = () => Math.max(260, el.clientWidth);
    plot.current = new uPlot(
      {
        width: width(),
        height: 240,
        scales: { x: { time: false }, files: { auto: true } },
        axes: [
          { label: 'seconds since the run started' },
          { label: 'files/s', size: 60 },
          { scale: 'files', side: 1, label: 'files done', size: 70, grid: { show: false } },
        ],
        series: [
          { label: 's', value: (_u, v) => (v == null ? '—' : v.toFixed(1)) },
          {
            label: 'files/s',
            stroke: '#0b5cad',
            fill: 'rgba(11,92,173,0.12)',
            width: 2,
            points: { show: false },
            // A rate holds over its whole interval: steps ending at each interval's end, not a line between them.
            paths: uPlot.paths.stepped!({ align: -1 }), value: (_u, v) => (v == null ? '—' : v.toFixed(0)) },
          { label: 'files done', scale: 'files', stroke: '#d9480f', width: 1, dash: [4, 4], points: { show: false }, value: (_u, v) => (v == null ? '—' : v.toLocaleString('en-US')) },
        ],
      },
      [[], [], []],
      el,
    );
    const ro = new ResizeObserver(() => {
      if (plot.current && Math.abs(plot.current.width - width()) > 1) plot.current.setSize({ width: width(), height: 240 });
    });
    ro.observe(el);
    return () => {
      ro.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
  }, []);
  useEffect(() => {
    // From the run's start (0 files) to the end of each interval.
    const xs = [0, ...points.map((p) => p.seconds)];
    const rates = [0, ...points.map((p) => p.filesPerSecond)];
    const done = [0, ...points.map((p) => p.processedFiles)];
    plot.current?.setData([xs, rates, done]);
  }, [points]);
  return <div class="chart" ref={box} role="img" aria-label={label} data-testid="throughput-chart" />;
}

/** Stage seconds as horizontal bars, longest first (summed over batches and threads). */
export function StageBars({ stages }: { stages: RunDetail['stages'] }) {
  const sorted = [...stages].sort((a, b) => b.seconds - a.seconds);
  const max = Math.max(1e-9, ...sorted.map((s) => s.seconds));
  if (sorted.length === 0) return <p class="note">No stage has reported yet.</p>;
  return (
    <div class="bars" role="list" aria-label="Seconds per stage">
      {sorted.map((s) => (
        <div role="listitem" class="bars-row" key={s.name}>
          <span class="mono">{s.name}</span>
          <span class="bar-track">
            <Bar fraction={s.seconds / max} />
          </span>
          <span class="num">{s.seconds.toFixed(2)} s</span>
        </div>
      ))}
    </div>
  );
}

/** Width set through the DOM (the CSP allows no style attribute in markup). */
function Bar({ fraction }: { fraction: number }) {
  const ref = useRef<HTMLSpanElement>(null);
  useEffect(() => {
    if (ref.current) ref.current.style.width = `${Math.max(0.2, fraction * 100).toFixed(2)}%`;
  }, [fraction]);
  return <span class="bar" ref={ref} />;
}
