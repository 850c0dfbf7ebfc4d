/** Coverage, its weekly series and drift, and the unlinked intake. */
import type { CoverageFigure, Thresholds } from '../../shared/contract';
import { allocation, plannedObjectives } from './allocation';
import {
  DAY,
  defaultThresholds,
  effortOf,
  hasCountingLink,
  isActive,
  type MetricIndex,
  type MetricItem,
  type MetricObjective,
  WEEK,
  type Window,
} from './model';
/**
 * coverage = Σ e(w) over active items linked to an open objective of the current period
 *          / Σ e(w) over active items. Links count as they stood at the window's end.
 */
export function coverage(index: MetricIndex, window: Window): CoverageFigure {
  let totalEffort = 0;
  let coveredEffort = 0;
  let activeItems = 0;
  let coveredItems = 0;
  for (let i = 0; i < index.items.length; i++) {
    const item = index.items[i] as MetricItem;
    if (!isActive(item, window)) continue;
    const effort = effortOf(item);
    activeItems++;
    totalEffort += effort;
    if (hasCountingLink(index.itemLinks[i], index.objectives, window.to)) {
      coveredItems++;
      coveredEffort += effort;
    }
  }
  return {
    coverage: totalEffort > 0 ? coveredEffort / totalEffort : null,
    coveredEffort,
    totalEffort,
    activeItems,
    coveredItems,
  };
}

export interface DriftWeekFigure extends CoverageFigure {
  weekStart: number;
  weekEnd: number;
  fit: number | null;
  /** D_t = ½ Σ |A_g,t − P_g|: distance of this week's allocation from the plan. */
  allocationDrift: number | null;
}

/** Rolling 7-day weeks ending at `now`, oldest first. */
export function weeklySeries(
  index: MetricIndex,
  objectives: MetricObjective[],
  now: number,
  weeks: number,
  thresholds: Thresholds = defaultThresholds,
): DriftWeekFigure[] {
  const series: DriftWeekFigure[] = [];
  for (let i = weeks - 1; i >= 0; i--) {
    const window = { from: now - (i + 1) * WEEK, to: now - i * WEEK };
    const { fit } = allocation(index, plannedObjectives(objectives, window.to), window, thresholds);
    series.push({
      ...coverage(index, window),
      weekStart: window.from,
      weekEnd: window.to,
      fit,
      allocationDrift: fit === null ? null : 1 - fit,
    });
  }
  return series;
}

/** Weekly coverage only, for the popup's trend: no allocation work. */
export function coverageSeries(index: MetricIndex, now: number, weeks: number) {
  const series = [];
  for (let i = weeks - 1; i >= 0; i--) {
    const window = { from: now - (i + 1) * WEEK, to: now - i * WEEK };
    series.push({ ...coverage(index, window), weekStart: window.from, weekEnd: window.to });
  }
  return series;
}

/**
 * Coverage drift: this week at least `coverageDropPoints` under its trailing mean, or falling
 * `coverageFallingWeeks` weeks in a row.
 */
export function coverageDrift(
  series: { coverage: number | null }[],
  thresholds: Thresholds = defaultThresholds,
): { flagged: boolean; reasons: string[] } {
  const values = series.map((w) => w.coverage);
  const latest = values.at(-1);
  const reasons: string[] = [];
  if (latest === null || latest === undefined) return { flagged: false, reasons };

  const trailing = values.slice(-1 - thresholds.trailingWeeks, -1).filter((v): v is number => v !== null);
  if (trailing.length > 0) {
    const mean = trailing.reduce((a, b) => a + b, 0) / trailing.length;
    // A small epsilon keeps an exact 5-point drop flagged despite floating-point error.
    if (latest <= mean - thresholds.coverageDropPoints + 1e-9) {
      reasons.push(
        `coverage ${pct(latest)} is ${pct(mean - latest)} points under its ${trailing.length}-week mean of ${pct(mean)}`,
      );
    }
  }

  const run = values.slice(-1 - thresholds.coverageFallingWeeks);
  if (run.length === thresholds.coverageFallingWeeks + 1 && run.every((v) => v !== null)) {
    const falling = run.every((v, i) => i === 0 || (v as number) < (run[i - 1] as number));
    if (falling) reasons.push(`coverage fell ${thresholds.coverageFallingWeeks} weeks in a row`);
  }
  return { flagged: reasons.length > 0, reasons };
}

export function pct(share: number): string {
  return `${Math.round(share * 1000) / 10}`;
}

/** Share of new items (first seen in the window, at least the grace period ago) that got no link within the grace period. */
export function unlinkedIntake(
  index: MetricIndex,
  window: Window,
  thresholds: Thresholds = defaultThresholds,
): { share: number | null; newItems: number; unlinkedAfterGrace: number } {
  const grace = thresholds.unlinkedGraceDays * DAY;
  let newItems = 0;
  let unlinkedAfterGrace = 0;
  for (let i = 0; i < index.items.length; i++) {
    const item = index.items[i] as MetricItem;
    if (item.firstSeenAt < window.from || item.firstSeenAt + grace > window.to) continue;
    newItems++;
    const itemLinks = index.itemLinks[i] ?? [];
    if (!itemLinks.some((l) => l.createdAt <= item.firstSeenAt + grace)) unlinkedAfterGrace++;
  }
  return { share: newItems > 0 ? unlinkedAfterGrace / newItems : null, newItems, unlinkedAfterGrace };
}
