/** The data the figures are computed from, the thresholds, and what counts: efforts, live links, current objectives. */
import type { ObjectiveStatus, StaleReason, Thresholds } from '../../shared/contract';
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
  /** Inherited: the container it comes through, and that container's own link (metrics/inheritance.ts). */
  via?: string;
  viaLinkId?: string;
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
export function counts(link: MetricLink, objectives: Map<string, MetricObjective>, at: number): boolean {
  const objective = objectives.get(link.objectiveId);
  return objective !== undefined && isLinkLive(link, at) && isObjectiveCurrent(objective, at);
}

/** The links that count for an item at `at`. */
export function countingLinks(
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
export function hasCountingLink(
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
