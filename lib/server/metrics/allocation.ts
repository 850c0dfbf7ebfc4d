/** Allocation of effort against priority per objective, fit, and starved objectives. */
import type { Thresholds } from '../../shared/contract';
import {
  countingLinks,
  DAY,
  defaultThresholds,
  effortOf,
  isActive,
  isObjectiveCurrent,
  type MetricIndex,
  type MetricItem,
  type MetricObjective,
  type Window,
} from './model';
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
