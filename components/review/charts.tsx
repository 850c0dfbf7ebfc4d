/**
 * The review's charts (Recharts) in the system's colour scheme: coverage and fit week by week,
 * allocation against priority.
 */
import { useSyncExternalStore } from 'react';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { percent, percentOrNull, signedPoints } from '../../lib/extension/labels';
import type { Review } from '../../lib/shared/contract';
import { HealthChip } from '../shared/parts';

/**
 * Chart colours for the system's scheme. An orange/blue pair stays apart for the common colour
 * blindnesses; the plan is also drawn hollow, so the two series differ in shape, not only hue.
 */
export const PALETTES = {
  light: { plan: '#bc4c00', work: '#0969da', grid: '#d1d9e0', text: '#59636e', surface: '#ffffff' },
  dark: { plan: '#f0883e', work: '#4493f8', grid: '#3d444d', text: '#9198a1', surface: '#151b23' },
};
export const darkScheme = window.matchMedia('(prefers-color-scheme: dark)');
export const followScheme = (onChange: () => void) => {
  darkScheme.addEventListener('change', onChange);
  return () => darkScheme.removeEventListener('change', onChange);
};
export function usePalette() {
  const dark = useSyncExternalStore(followScheme, () => darkScheme.matches);
  return PALETTES[dark ? 'dark' : 'light'];
}

export const shortDay = (iso: string) =>
  new Date(iso).toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
export const truncate = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

export function CoverageTrend({ review }: { review: Review }) {
  const palette = usePalette();
  const data = review.drift.series.map((w) => ({ week: shortDay(w.weekEnd), coverage: w.coverage, fit: w.fit }));
  return (
    <section aria-label="Coverage trend">
      <h2>Coverage and fit, week by week</h2>
      <div className="chart" style={{ height: 240 }}>
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={data} margin={{ top: 8, right: 16, bottom: 4, left: 0 }}>
            <CartesianGrid stroke={palette.grid} strokeDasharray="3 3" />
            <XAxis dataKey="week" stroke={palette.text} />
            <YAxis domain={[0, 1]} tickFormatter={percent} stroke={palette.text} />
            <Tooltip
              formatter={(value) => (typeof value === 'number' ? percent(value) : 'n/a')}
              contentStyle={{ background: palette.surface, borderColor: palette.grid }}
            />
            <Legend />
            <Line
              type="monotone"
              dataKey="coverage"
              name="Coverage"
              stroke={palette.work}
              strokeWidth={2}
              connectNulls
              isAnimationActive={false}
            />
            <Line
              type="monotone"
              dataKey="fit"
              name="Fit"
              stroke={palette.plan}
              strokeWidth={2}
              strokeDasharray="6 3"
              connectNulls
              isAnimationActive={false}
            />
          </LineChart>
        </ResponsiveContainer>
      </div>
      <table className="visually-hidden">
        <caption>Coverage and fit by week</caption>
        <thead>
          <tr>
            <th>Week ending</th>
            <th>Coverage</th>
            <th>Fit</th>
          </tr>
        </thead>
        <tbody>
          {data.map((w) => (
            <tr key={w.week}>
              <td>{w.week}</td>
              <td>{percentOrNull(w.coverage) ?? 'no active work'}</td>
              <td>{w.fit === null ? 'no linked work' : w.fit.toFixed(2)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function AllocationChart({ review }: { review: Review }) {
  const palette = usePalette();
  const rows = review.allocation;
  if (rows.length === 0) return <p className="muted">No open objective in this period.</p>;
  const data = rows.map((r) => ({
    objective: truncate(r.objective.title, 38),
    priority: r.priorityShare,
    allocation: r.allocationShare,
  }));
  return (
    <section aria-label="Allocation against priority">
      <h2>Who gets the work, against what strategy says</h2>
      <p className="muted">
        For each open objective: its share of priority (the plan, hollow) and its share of the linked work this week
        (solid). A solid bar shorter than its hollow one means less work than strategy asks for.
      </p>
      <div className="chart" style={{ height: Math.max(220, rows.length * 46 + 60) }}>
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={data} layout="vertical" margin={{ top: 4, right: 24, bottom: 4, left: 8 }} barGap={2}>
            <CartesianGrid stroke={palette.grid} strokeDasharray="3 3" horizontal={false} />
            <XAxis type="number" domain={[0, 'auto']} tickFormatter={percent} stroke={palette.text} />
            <YAxis type="category" dataKey="objective" width={260} stroke={palette.text} tick={{ fontSize: 12 }} />
            <Tooltip
              formatter={(value) => (typeof value === 'number' ? percent(value) : String(value))}
              contentStyle={{ background: palette.surface, borderColor: palette.grid }}
            />
            <Legend />
            <Bar
              dataKey="priority"
              name="Priority share (plan)"
              fill={palette.plan}
              fillOpacity={0.18}
              stroke={palette.plan}
              strokeWidth={1.5}
              isAnimationActive={false}
            />
            <Bar dataKey="allocation" name="Share of linked work" fill={palette.work} isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </div>
      <table aria-label="Allocation against priority, by objective">
        <thead>
          <tr>
            <th>Objective</th>
            <th>Status</th>
            <th className="number">Priority share</th>
            <th className="number">Share of work</th>
            <th className="number">Difference</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.objective.id}>
              <td className="title-text">
                {r.objective.title} {r.starved && <span className="chip chip-bad">Starved</span>}
              </td>
              <td>
                <HealthChip objective={r.objective} />
              </td>
              <td className="number">{percent(r.priorityShare)}</td>
              <td className="number">{percent(r.allocationShare)}</td>
              <td className="number">{signedPoints(r.delta)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
