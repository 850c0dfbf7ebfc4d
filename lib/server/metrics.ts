/**
 * Alignment metrics (shared/design/metrics.md): coverage, allocation against priority, fit,
 * starved objectives, drift, unlinked intake, stale links and goals.
 * Pure functions over plain data; times are epoch milliseconds. The server loads rows and calls
 * these; nothing here touches a database or a browser.
 */
import type { CoverageFigure, ObjectiveStatus, StaleReason, Thresholds } from '../shared/contract';

export const DAY = 24 * 60 * 60 * 1000;
export const WEEK = 7 * DAY;

/** Starting values from metrics.md; a workspace may override each one. */
export const defaultThresholds: Thresholds = {
  coverageDropPoints: 0.05,
  coverageFallingWeeks: 3,
  trailingWeeks: 4,
  allocationDriftWarn: 0.15,
  starvedDeltaPoints: 0.1,
  starvedIdleDays: 14,
  unlinkedGraceDays: 3,
};

export function thresholdsFor(overrides: Partial<Thresholds> | undefined): Thresholds {
  return { ...defaultThresholds, ...overrides };
}

export interface MetricItem {
  id: string;
  estimate: number | null;
  firstSeenAt: number;
  closedAt: number | null;
  lastSeenAt?: number;
}

export interface MetricLink {
  id?: string;
  itemId: string;
  objectiveId: string;
  weight: number | null;
  createdAt: number;
  endedAt: number | null;
}

export interface MetricObjective {
  id: string;
  parentId?: string | null;
  priorityWeight: number;
  status: ObjectiveStatus;
  /** Period bounds: start inclusive, end exclusive. */
  periodStart: number;
  periodEnd: number;
  closedAt: number | null;
  createdAt: number;
  lastUpdateAt: number | null;
  updateCadenceDays: number;
}

export interface Window {
  from: number;
  to: number;
}

/** e(w): the estimate or story points when known, else 1. */
export function effortOf(item: Pick<MetricItem, 'estimate'>): number {
  return item.estimate ?? 1;
}

/** Active in a window when it was open at some time during it. */
export function isActive(item: MetricItem, window: Window): boolean {
  return item.firstSeenAt < window.to && (item.closedAt === null || item.closedAt >= window.from);
}

export function isLinkLive(link: MetricLink, at: number): boolean {
  return link.createdAt <= at && (link.endedAt === null || link.endedAt > at);
}

/** Open and of the period containing `at`: the only objectives whose links count. */
export function isObjectiveCurrent(objective: MetricObjective, at: number): boolean {
  const open = objective.closedAt === null ? objective.status === 'active' : objective.closedAt > at;
  return open && objective.periodStart <= at && at < objective.periodEnd;
}

/** Why a link to this objective does not count at `at`, or null when it counts. */
export function staleReason(objective: MetricObjective, at: number): StaleReason | null {
  const closed = objective.closedAt === null ? objective.status !== 'active' : objective.closedAt <= at;
  if (closed) return objective.status === 'dropped' ? 'objective_dropped' : 'objective_closed';
  if (at >= objective.periodEnd) return 'past_period';
  if (at < objective.periodStart) return 'future_period';
  return null;
}

/** Progress of a key result, 0..1, from start towards target (either direction). */
export function keyResultProgress(kr: { startValue: number; targetValue: number; currentValue: number }): number {
  const span = kr.targetValue - kr.startValue;
  if (span === 0) return kr.currentValue === kr.targetValue ? 1 : 0;
  return Math.min(1, Math.max(0, (kr.currentValue - kr.startValue) / span));
}

export function objectiveProgress(krs: { startValue: number; targetValue: number; currentValue: number }[]) {
  if (krs.length === 0) return null;
  return krs.reduce((sum, kr) => sum + keyResultProgress(kr), 0) / krs.length;
}

/** The links of each item, built once per computation. */
export function linksByItem(links: MetricLink[]): Map<string, MetricLink[]> {
  const map = new Map<string, MetricLink[]>();
  for (const link of links) {
    const list = map.get(link.itemId);
    if (list) list.push(link);
    else map.set(link.itemId, [link]);
  }
  return map;
}

/** Whether a link counts at `at`: live, to an open objective of the current period. */
function counts(link: MetricLink, objectives: Map<string, MetricObjective>, at: number): boolean {
  const objective = objectives.get(link.objectiveId);
  return objective !== undefined && isLinkLive(link, at) && isObjectiveCurrent(objective, at);
}

/** The links that count for an item at `at`. */
function countingLinks(
  itemLinks: MetricLink[] | undefined,
  objectives: Map<string, MetricObjective>,
  at: number,
): MetricLink[] {
  if (!itemLinks) return [];
  return itemLinks.filter((link) => counts(link, objectives, at));
}

/**
 * Whether any link of the item counts at `at`. A loop that stops at the first, not a filter:
 * coverage asks this of every item in every week of a review (800k times at 100k items).
 */
function hasCountingLink(
  itemLinks: MetricLink[] | undefined,
  objectives: Map<string, MetricObjective>,
  at: number,
): boolean {
  if (!itemLinks) return false;
  for (const link of itemLinks) if (counts(link, objectives, at)) return true;
  return false;
}

export interface MetricData {
  items: MetricItem[];
  links: MetricLink[];
  objectives: MetricObjective[];
}

/** Indexes built once and reused by every figure of one request. */
export interface MetricIndex {
  items: MetricItem[];
  /** The links of `items[i]` at `itemLinks[i]`: looked up by position, as every figure walks every item. */
  itemLinks: (MetricLink[] | undefined)[];
  objectives: Map<string, MetricObjective>;
}

export function indexMetricData(data: MetricData): MetricIndex {
  const byItem = linksByItem(data.links);
  return {
    items: data.items,
    itemLinks: data.items.map((item) => byItem.get(item.id)),
    objectives: new Map(data.objectives.map((o) => [o.id, o])),
  };
}

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

export interface AllocationEntry {
  objectiveId: string;
  linkedEffort: number;
  allocationShare: number;
  priorityShare: number;
  delta: number;
  starved: boolean;
  starvedReasons: ('under_allocated' | 'no_recent_work')[];
}

export interface Allocation {
  rows: AllocationEntry[];
  totalLinkedEffort: number;
  /** 1 − ½ Σ |A_g − P_g|; null when no work is linked or no objective is open. */
  fit: number | null;
}

/**
 * Allocation against priority for the objectives in `planned` (the open objectives of the
 * period in scope). An item linked to several objectives splits its effort by contribution weight,
 * evenly where no weight is given.
 */
export function allocation(
  index: MetricIndex,
  planned: MetricObjective[],
  window: Window,
  thresholds: Thresholds = defaultThresholds,
): Allocation {
  const plannedIds = new Set(planned.map((o) => o.id));
  const linked = new Map<string, number>(planned.map((o) => [o.id, 0]));
  const recentlyWorked = new Set<string>();
  const idleFrom = window.to - thresholds.starvedIdleDays * DAY;
  let totalLinkedEffort = 0;

  const idleWindow = { from: idleFrom, to: window.to };
  for (let i = 0; i < index.items.length; i++) {
    const item = index.items[i] as MetricItem;
    const itemLinks = index.itemLinks[i];
    if (!itemLinks) continue;
    if (isActive(item, idleWindow)) {
      for (const link of itemLinks) {
        if (link.createdAt <= window.to && (link.endedAt === null || link.endedAt > idleFrom)) {
          recentlyWorked.add(link.objectiveId);
        }
      }
    }
    if (!isActive(item, window)) continue;
    const counting = countingLinks(itemLinks, index.objectives, window.to).filter((l) => plannedIds.has(l.objectiveId));
    if (counting.length === 0) continue;
    const effort = effortOf(item);
    const weightSum = counting.reduce((sum, l) => sum + (l.weight ?? 1), 0);
    for (const link of counting) {
      const share = (effort * (link.weight ?? 1)) / weightSum;
      linked.set(link.objectiveId, (linked.get(link.objectiveId) ?? 0) + share);
    }
    totalLinkedEffort += effort;
  }

  const prioritySum = planned.reduce((sum, o) => sum + o.priorityWeight, 0);
  const byPriority = [...planned].sort((a, b) => b.priorityWeight - a.priorityWeight);
  const topThirdCount = Math.ceil(planned.length / 3);
  const topThirdCutoff = byPriority[topThirdCount - 1]?.priorityWeight ?? Number.POSITIVE_INFINITY;

  const rows = planned.map((objective): AllocationEntry => {
    const linkedEffort = linked.get(objective.id) ?? 0;
    const allocationShare = totalLinkedEffort > 0 ? linkedEffort / totalLinkedEffort : 0;
    const priorityShare = prioritySum > 0 ? objective.priorityWeight / prioritySum : 0;
    const delta = allocationShare - priorityShare;
    const starvedReasons: AllocationEntry['starvedReasons'] = [];
    if (objective.priorityWeight >= topThirdCutoff && delta < -thresholds.starvedDeltaPoints) {
      starvedReasons.push('under_allocated');
    }
    if (!recentlyWorked.has(objective.id)) starvedReasons.push('no_recent_work');
    return {
      objectiveId: objective.id,
      linkedEffort,
      allocationShare,
      priorityShare,
      delta,
      starved: starvedReasons.length > 0,
      starvedReasons,
    };
  });

  const fit =
    totalLinkedEffort > 0 && planned.length > 0
      ? 1 - rows.reduce((sum, r) => sum + Math.abs(r.allocationShare - r.priorityShare), 0) / 2
      : null;
  return { rows, totalLinkedEffort, fit };
}

/**
 * The plan allocation is measured against: the objectives open at `at` in the period containing it,
 * leaves only. Work is linked where it is done, to the most specific objective; a parent's share is
 * its children's, so counting it again would starve every company-level objective.
 */
export function plannedObjectives(objectives: MetricObjective[], at: number): MetricObjective[] {
  const current = objectives.filter((o) => isObjectiveCurrent(o, at));
  const parents = new Set(current.map((o) => o.parentId).filter(Boolean));
  return current.filter((o) => !parents.has(o.id));
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

function pct(share: number): string {
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

/** Active items with no counting link at the window's end, most effort first, then most recently seen. */
export function unlinkedItems(index: MetricIndex, window: Window): MetricItem[] {
  return index.items
    .filter((item, i) => isActive(item, window) && !hasCountingLink(index.itemLinks[i], index.objectives, window.to))
    .sort((a, b) => compareUnlinked(unlinkedSortKey(a), unlinkedSortKey(b)));
}

/** Where an unlinked item ranks: most effort first, then most recently seen, then by id (a total order, for paging). */
export type UnlinkedSortKey = [effort: number, lastSeenAt: number, id: string];
export const unlinkedSortKey = (item: MetricItem): UnlinkedSortKey => [effortOf(item), item.lastSeenAt ?? 0, item.id];
export function compareUnlinked(a: UnlinkedSortKey, b: UnlinkedSortKey): number {
  return b[0] - a[0] || b[1] - a[1] || (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0);
}

/** Live links whose objective no longer counts, with why. */
export function staleLinks(
  links: MetricLink[],
  objectives: Map<string, MetricObjective>,
  at: number,
): { link: MetricLink; reason: StaleReason }[] {
  const stale: { link: MetricLink; reason: StaleReason }[] = [];
  for (const link of links) {
    const objective = objectives.get(link.objectiveId);
    if (!objective || !isLinkLive(link, at)) continue;
    const reason = staleReason(objective, at);
    if (reason) stale.push({ link, reason });
  }
  return stale;
}

/** Open objectives with no status update within their cadence; `dueSince` is when one was due. */
export function staleGoals(
  objectives: MetricObjective[],
  at: number,
): { objective: MetricObjective; dueSince: number }[] {
  return objectives
    .filter((o) => isObjectiveCurrent(o, at))
    .map((objective) => ({
      objective,
      dueSince: (objective.lastUpdateAt ?? objective.createdAt) + objective.updateCadenceDays * DAY,
    }))
    .filter(({ dueSince }) => dueSince < at)
    .sort((a, b) => a.dueSince - b.dueSince);
}

/** The verdict the sidebar shows for one ticket. */
export function verdictOf(
  itemLinks: MetricLink[],
  objectives: Map<string, MetricObjective>,
  at: number,
): 'aligned' | 'unaligned' | 'stale' {
  const live = itemLinks.filter((l) => isLinkLive(l, at));
  if (live.length === 0) return 'unaligned';
  return countingLinks(live, objectives, at).length > 0 ? 'aligned' : 'stale';
}
