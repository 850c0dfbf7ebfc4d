/** The lists a review shows: unlinked tickets by effort, stale links and goals; and one ticket’s verdict. */
import type { StaleReason } from '../../shared/contract';
import {
  countingLinks,
  DAY,
  effortOf,
  hasCountingLink,
  isActive,
  isLinkLive,
  isObjectiveCurrent,
  type MetricIndex,
  type MetricItem,
  type MetricLink,
  type MetricObjective,
  staleReason,
  type Window,
} from './model';
/** Active items with no counting link at the window's end, most effort first, then the oldest first. */
export function unlinkedItems(index: MetricIndex, window: Window): MetricItem[] {
  return index.items
    .filter((item, i) => isActive(item, window) && !hasCountingLink(index.itemLinks[i], index.objectives, window.to))
    .sort((a, b) => compareUnlinked(unlinkedSortKey(a), unlinkedSortKey(b)));
}

/**
 * Where an unlinked item ranks: most effort first, then the longest waiting (first seen), then by id:
 * a total order on what a view of the ticket does not change, so pages neither skip nor repeat it.
 */
export type UnlinkedSortKey = [effort: number, firstSeenAt: number, id: string];
export const unlinkedSortKey = (item: MetricItem): UnlinkedSortKey => [effortOf(item), item.firstSeenAt, item.id];
export function compareUnlinked(a: UnlinkedSortKey, b: UnlinkedSortKey): number {
  return b[0] - a[0] || a[1] - b[1] || (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0);
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
