/** Builders and fixed times shared by the metrics tests. */
import { indexMetricData, type MetricItem, type MetricLink, type MetricObjective } from '../../lib/server/metrics';

// Written out by hand rather than imported, so a wrong constant in lib/ would show.
export const DAY = 86_400_000;
export const NOW = Date.UTC(2026, 10, 15); // 2026-11-15, inside Q4
export const Q4 = { periodStart: Date.UTC(2026, 9, 1), periodEnd: Date.UTC(2027, 0, 1) };
export const Q3 = { periodStart: Date.UTC(2026, 6, 1), periodEnd: Date.UTC(2026, 9, 1) };
export const Q1 = { periodStart: Date.UTC(2027, 0, 1), periodEnd: Date.UTC(2027, 3, 1) };
export const WEEK_WINDOW = { from: NOW - 7 * DAY, to: NOW };

export function objective(id: string, over: Partial<MetricObjective> = {}): MetricObjective {
  return {
    id,
    parentId: null,
    priorityWeight: 1,
    status: 'active',
    ...Q4,
    closedAt: null,
    createdAt: Q4.periodStart,
    lastUpdateAt: null,
    updateCadenceDays: 14,
    ...over,
  };
}

export function item(id: string, over: Partial<MetricItem> = {}): MetricItem {
  return { id, estimate: null, firstSeenAt: NOW - 30 * DAY, closedAt: null, ...over };
}

export function link(itemId: string, objectiveId: string, over: Partial<MetricLink> = {}): MetricLink {
  return { itemId, objectiveId, weight: null, createdAt: NOW - 20 * DAY, endedAt: null, ...over };
}

export function index(items: MetricItem[], links: MetricLink[], objectives: MetricObjective[]) {
  return indexMetricData({ items, links, objectives });
}

export function byId(objectives: MetricObjective[]) {
  return new Map(objectives.map((o) => [o.id, o]));
}

// Objectives that do not count at NOW, one per reason.
export const dropped = objective('dropped', { status: 'dropped', closedAt: NOW - 10 * DAY });
export const achieved = objective('achieved', { status: 'achieved', closedAt: NOW - 10 * DAY });
export const lastQuarter = objective('last-quarter', { ...Q3 });
export const nextQuarter = objective('next-quarter', { ...Q1 });
