import { useEffect, useRef, useState } from 'react';
import { Bar, BarChart, CartesianGrid, Cell, LabelList, XAxis, YAxis } from 'recharts';
import { OKABE_ITO } from './palette';
import './chart.css';

/** One bar: its category, its value and the text written at its end. */
export type BarDatum = { id: string; label: string; value: number; valueLabel: string; highlight?: boolean };

type Props = {
  data: readonly BarDatum[];
  /** What the values count, under the axis ("users"). */
  unit: string;
  /** The chart's accessible name; the same data is also offered as a table. */
  title: string;
  /** Formats the axis ticks. */
  formatTick?: (value: number) => string;
};

const BAR_HEIGHT = 30;
const FALLBACK_WIDTH = 640;

/** The width of the element, following resizes (jsdom and old WebViews without ResizeObserver get a fixed width). */
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

/**
 * A horizontal bar chart (recharts, the app's one charting library), one bar per category,
 * each labelled at its end, with the unit under the value axis. Screen readers get the
 * same numbers as a table.
 */
export function HorizontalBarChart({ data, unit, title, formatTick }: Props) {
  const { ref, width } = useWidth();
  const longest = data.reduce((n, d) => Math.max(n, d.label.length), 0);
  const categoryWidth = Math.min(220, Math.max(90, longest * 7.5));
  const height = data.length * BAR_HEIGHT + 64;
  return (
    <figure className="chart" aria-label={title}>
      <div ref={ref} className="chart-canvas" aria-hidden="true">
        <BarChart
          layout="vertical"
          width={width}
          height={height}
          data={[...data]}
          margin={{ top: 4, right: 110, bottom: 24, left: 4 }}
          barCategoryGap={6}
        >
          <CartesianGrid horizontal={false} stroke="#e3e6ee" />
          <XAxis
            type="number"
            tickFormatter={formatTick}
            tick={{ fontSize: 12, fill: '#4a5264' }}
            label={{ value: unit, position: 'insideBottom', offset: -16, fontSize: 12, fill: '#1d2330' }}
            allowDecimals={false}
          />
          <YAxis
            type="category"
            dataKey="label"
            width={categoryWidth}
            tick={{ fontSize: 12.5, fill: '#1d2330' }}
            interval={0}
          />
          <Bar dataKey="value" isAnimationActive={false} radius={[0, 3, 3, 0]}>
            {data.map((d) => (
              <Cell key={d.id} fill={d.highlight ? OKABE_ITO.orange : OKABE_ITO.blue} />
            ))}
            <LabelList dataKey="valueLabel" position="right" style={{ fontSize: 12.5, fill: '#1d2330' }} />
          </Bar>
        </BarChart>
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
