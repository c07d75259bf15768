/**
 * A spectrum drawn by uPlot: flux against wavelength in the file's unit (record/units.ts),
 * gaps where the file has no value, drag across to zoom in, double-click to zoom out. Resized
 * with its container.
 */
import uPlot from 'uplot';
import { useEffect, useRef } from 'preact/hooks';
import type { SpectrumData } from '../record/graphql';
import { wavelengthAxis } from '../record/units';

interface Props {
  spectrum: SpectrumData;
  /** SpectralRange.unit: the unit the file wrote its spectral axis in. */
  fileUnit: string | null;
  title: string;
}

export function SpectrumPlot({ spectrum, fileUnit, title }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const axis = wavelengthAxis(spectrum.unit, fileUnit);
  const fluxLabel = spectrum.fluxUnit ? `flux (${spectrum.fluxUnit})` : 'flux (no unit given)';

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const x = spectrum.wavelength.map((w) => w * axis.scale);
    const y = spectrum.flux.map((f) => (f === null || !Number.isFinite(f) ? null : f));
    const width = () => Math.max(260, el.clientWidth);
    const plot = new uPlot(
      {
        width: width(),
        height: el.clientWidth < 500 ? 260 : 340,
        scales: { x: { time: false } },
        cursor: { drag: { x: true, y: false } },
        legend: { show: true },
        series: [
          { label: axis.label, value: (_u, v) => (v == null ? '—' : v.toPrecision(7)) },
          { label: fluxLabel, stroke: '#0b5cad', width: 1, spanGaps: false, points: { show: false }, value: (_u, v) => (v == null ? '—' : v.toPrecision(5)) },
        ],
        axes: [
          { label: axis.label, stroke: '#1a1d21', grid: { stroke: '#e3e8ee' } },
          { label: fluxLabel, stroke: '#1a1d21', grid: { stroke: '#e3e8ee' }, size: 70 },
        ],
      },
      [x, y],
      el,
    );
    const ro = new ResizeObserver(() => {
      if (Math.abs(plot.width - width()) > 1) plot.setSize({ width: width(), height: plot.height });
    });
    ro.observe(el);
    return () => {
      ro.disconnect();
      plot.destroy();
    };
  }, [spectrum, fileUnit]);

  return (
    <figure class="spectrum">
      <div ref={box} class="spectrum-plot" data-testid="spectrum-plot" role="img" aria-label={`${title}: ${fluxLabel} against ${axis.label}, ${spectrum.points} points`} />
      <figcaption class="note small">
        {spectrum.points.toLocaleString('en-US')} points{spectrum.decimated ? ' (thinned for the screen: each bin keeps its lowest and highest value, so peaks survive)' : ''}.{' '}
        {axis.fileUnit ? '' : `The file's spectral unit (${fileUnit ?? 'none'}) is not a length: wavelengths are shown in nanometres. `}
        Drag across the plot to zoom in; double-click to zoom out.
      </figcaption>
    </figure>
  );
}
