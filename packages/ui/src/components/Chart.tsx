/** A uPlot time-series chart that follows its container's width and takes new data in place. */
import { useEffect, useRef } from 'preact/hooks';
import uPlot, { type AlignedData, type Options } from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface Series {
  label: string;
  color: string;
  /** Value formatter for the legend. */
  fmt?: (v: number | null) => string;
  fill?: boolean;
  /** Draw each sample as a dot too (sparse series: one sample alone draws no line). */
  points?: boolean;
}

export function Chart({ data, series, height = 200, yLabel, spanGaps = false }: { data: AlignedData; series: Series[]; height?: number; yLabel?: string; spanGaps?: boolean }) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);

  useEffect(() => {
    const el = box.current as HTMLDivElement;
    const opts: Options = {
      width: el.clientWidth || 600,
      height,
      cursor: { drag: { x: false, y: false } },
      legend: { live: true, markers: { width: 2 } },
      scales: { x: { time: true }, y: { range: (_u, min, max) => [Math.min(0, min), max > 0 ? max * 1.1 : 1] } },
      axes: [
        { stroke: '#64748b', grid: { stroke: '#eef2f6' }, ticks: { stroke: '#e2e8f0' }, space: 90, incrs: [1, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600] },
        { stroke: '#64748b', grid: { stroke: '#eef2f6' }, ticks: { stroke: '#e2e8f0' }, size: 56, ...(yLabel ? { label: yLabel, labelSize: 18 } : {}) },
      ],
      series: [
        {},
        ...series.map((s) => ({
          label: s.label,
          stroke: s.color,
          width: 2,
          ...(s.fill ? { fill: `${s.color}22` } : {}),
          points: { show: s.points ?? false, size: 6 },
          spanGaps,
          value: (_u: uPlot, v: number | null) => (s.fmt ? s.fmt(v) : v === null ? '—' : String(Math.round(v * 100) / 100)),
        })),
      ],
    };
    plot.current = new uPlot(opts, data, el);
    const ro = new ResizeObserver(() => plot.current?.setSize({ width: el.clientWidth, height }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
  }, [series.length, height]);

  useEffect(() => {
    plot.current?.setData(data);
  }, [data]);

  return <div class="chart" ref={box} />;
}
