import { useEffect, useRef, useState } from 'react';
import { OKABE_ITO } from './palette';
import './chart.css';

/** One bar: its category, its value and the text written at its end. */
export type BarDatum = { id: string; label: string; value: number; valueLabel: string; highlight?: boolean };

type Props = {
  data: readonly BarDatum[];
  /** What the values count, under the value axis ("users"). */
  unit: string;
  /** The chart's accessible name; the same data is also offered as a table. */
  title: string;
  /** Formats the axis ticks. */
  formatTick?: (value: number) => string;
};

const BAR_STEP = 30;
const BAR_THICKNESS = 20;
const TOP = 6;
const AXIS = 46;
const VALUE_LABEL_SPACE = 118;
const FALLBACK_WIDTH = 640;
const TICKS = 5;

/** The width of the element, following resizes (jsdom and WebViews without ResizeObserver get a fixed width). */
function useWidth() {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(FALLBACK_WIDTH);
  useEffect(() => {
    const node = ref.current;
    if (!node || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(([entry]) => {
      const measured = Math.floor(entry.contentRect.width);
      if (measured > 0) setWidth(measured);
    });
    observer.observe(node);
    return () => observer.disconnect();
  }, []);
  return { ref, width };
}

/** A round axis end at or above `max`: 1, 2, 2.5 or 5 times a power of ten. */
export function niceMax(max: number): number {
  if (max <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 2.5, 5, 10]) {
    if (step * power >= max) return step * power;
  }
  return 10 * power;
}

function truncate(text: string, chars: number): string {
  return text.length > chars ? `${text.slice(0, Math.max(1, chars - 1))}…` : text;
}

/**
 * A horizontal bar chart, one bar per category, each labelled at its end, with the unit
 * under the value axis; plain SVG. (Charting libraries were tried: recharts' number library
 * assigns to `toString` on a prototype, which fails under the app's frozen prototypes.)
 * Screen readers get the same numbers as a table.
 */
export function HorizontalBarChart({ data, unit, title, formatTick = String }: Props) {
  const { ref, width } = useWidth();
  const longest = data.reduce((n, d) => Math.max(n, d.label.length), 0);
  const categoryWidth = Math.min(220, Math.max(80, longest * 7 + 12));
  const plotWidth = Math.max(60, width - categoryWidth - VALUE_LABEL_SPACE);
  const height = TOP + data.length * BAR_STEP + AXIS;
  const axisY = TOP + data.length * BAR_STEP;
  const max = niceMax(data.reduce((m, d) => Math.max(m, d.value), 0));
  const x = (value: number) => categoryWidth + (value / max) * plotWidth;
  const ticks = Array.from({ length: TICKS + 1 }, (_, i) => (max * i) / TICKS);
  const maxChars = Math.floor((categoryWidth - 12) / 6.5);

  return (
    <figure className="chart" aria-label={title}>
      <div ref={ref} className="chart-canvas" aria-hidden="true">
        <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} className="bar-chart">
          {ticks.map((t) => (
            <g key={t}>
              <line x1={x(t)} x2={x(t)} y1={TOP} y2={axisY} className="bar-chart-grid" />
              <text x={x(t)} y={axisY + 16} textAnchor="middle" className="bar-chart-tick">
                {formatTick(t)}
              </text>
            </g>
          ))}
          <line x1={categoryWidth} x2={categoryWidth + plotWidth} y1={axisY} y2={axisY} className="bar-chart-axis" />
          <text x={categoryWidth + plotWidth / 2} y={axisY + 36} textAnchor="middle" className="bar-chart-unit">
            {unit}
          </text>
          {data.map((d, i) => {
            const y = TOP + i * BAR_STEP + (BAR_STEP - BAR_THICKNESS) / 2;
            const end = x(d.value);
            return (
              <g key={d.id}>
                <text x={categoryWidth - 8} y={y + BAR_THICKNESS / 2} dominantBaseline="central" textAnchor="end" className="bar-chart-category">
                  <title>{d.label}</title>
                  {truncate(d.label, maxChars)}
                </text>
                <rect
                  x={categoryWidth}
                  y={y}
                  width={Math.max(d.value > 0 ? 2 : 0, end - categoryWidth)}
                  height={BAR_THICKNESS}
                  rx={3}
                  fill={d.highlight ? OKABE_ITO.orange : OKABE_ITO.blue}
                />
                <text x={end + 6} y={y + BAR_THICKNESS / 2} dominantBaseline="central" className="bar-chart-value">
                  {d.valueLabel}
                </text>
              </g>
            );
          })}
        </svg>
      </div>
      <table className="sr-only">
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col">Segment</th>
            <th scope="col">{unit}</th>
          </tr>
        </thead>
        <tbody>
          {data.map((d) => (
            <tr key={d.id}>
              <th scope="row">{d.label}</th>
              <td>{d.valueLabel}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
