// The period's series on a uPlot canvas: people's sends, deliveries, opens and clicks, and
// machine opens dashed beside them, in buckets of the chosen time zone.
import { useEffect, useMemo, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { formatCount } from '../format.ts';
import type { StatsSeries } from './stats.ts';

const LINES = [
  { label: 'Sent', color: '#64748b', pick: (s: StatsSeries) => s.emails.sent },
  { label: 'Delivered', color: '#0d9488', pick: (s: StatsSeries) => s.emails.delivered },
  { label: 'Opened (people)', color: '#2563eb', pick: (s: StatsSeries) => s.people.openers },
  { label: 'Clicked (people)', color: '#c026d3', pick: (s: StatsSeries) => s.people.clickers },
  { label: 'Machine opens', color: '#d97706', pick: (s: StatsSeries) => s.machine.opens, dash: [6, 4] },
] as const;

const HEIGHT = 260;
const DAY_S = 86_400;
const DAY_TICKS_S = [DAY_S, 2 * DAY_S, 7 * DAY_S, 14 * DAY_S, 28 * DAY_S, 91 * DAY_S, 365 * DAY_S];

export function StatsChart({ series, tz, granularity }: { series: StatsSeries; tz: string; granularity: 'hour' | 'day' }) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const dark = usePrefersDark();
  const data = useMemo<uPlot.AlignedData>(() => {
    const xs = series.start.map((s) => Date.parse(s) / 1000);
    const ys = LINES.map((l) => l.pick(series));
    if (xs.length !== 1) return [xs, ...ys];
    // One bucket alone (a campaign's first hour): uPlot would stretch the axis over years, so an
    // empty bucket either side frames it.
    const step = granularity === 'hour' ? 3600 : DAY_S;
    return [[xs[0]! - step, xs[0]!, xs[0]! + step], ...ys.map((y) => [null, y[0] ?? null, null])];
  }, [series, granularity]);
  const dataRef = useRef(data);
  dataRef.current = data;

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const ink = dark ? '#cbd5e1' : '#334155';
    const grid = dark ? '#1e293b' : '#e2e8f0';
    // A bucket's point is hollow, filled with the card's own colour (uPlot's default is white).
    const card = dark ? '#0f172a' : '#ffffff';
    const axis = { stroke: ink, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
    const opts: uPlot.Options = {
      width: el.clientWidth || 600,
      height: HEIGHT,
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), tz),
      scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(4, max)] } },
      axes: [
        // Day buckets get day ticks: an "12pm" tick between two daily points would mean nothing.
        granularity === 'day' ? { ...axis, incrs: DAY_TICKS_S } : axis,
        { ...axis, values: (_u, ticks) => ticks.map((t) => (Number.isInteger(t) ? formatCount(t) : '')) },
      ],
      series: [
        { label: granularity === 'hour' ? 'Hour' : 'Day' },
        ...LINES.map((l) => ({ label: l.label, stroke: l.color, width: 2, ...('dash' in l ? { dash: [...l.dash] } : {}), points: { fill: card }, value: (_u: uPlot, v: number | null) => (v === null ? '–' : formatCount(v)) })),
      ],
      legend: { live: true },
      cursor: { drag: { x: false, y: false } },
    };
    const u = new uPlot(opts, dataRef.current, el);
    plot.current = u;
    const resize = new ResizeObserver(() => u.setSize({ width: el.clientWidth, height: HEIGHT }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      u.destroy();
      plot.current = null;
    };
  }, [tz, granularity, dark]);

  useEffect(() => {
    plot.current?.setData(data);
  }, [data]);

  const total = (i: number) => formatCount((data[i + 1] as Array<number | null>).reduce<number>((a, b) => a + (b ?? 0), 0));
  return (
    <figure>
      <div ref={box} role="img" aria-label={`Chart by ${granularity}: ${LINES.map((l, i) => `${l.label} ${total(i)}`).join(', ')}.`} />
      <figcaption className="mt-1 text-xs text-slate-600 dark:text-slate-400">
        People count once, at their first open or click in a {granularity}; machine opens are fetches by privacy proxies and scanners.
      </figcaption>
    </figure>
  );
}

function usePrefersDark(): boolean {
  const query = '(prefers-color-scheme: dark)';
  const [dark, setDark] = useState(() => window.matchMedia(query).matches);
  useEffect(() => {
    const mql = window.matchMedia(query);
    const change = () => setDark(mql.matches);
    mql.addEventListener('change', change);
    return () => mql.removeEventListener('change', change);
  }, []);
  return dark;
}
