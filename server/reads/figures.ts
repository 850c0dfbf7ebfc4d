import { z } from 'zod';
import {
  allocation,
  compareUnlinked,
  coverage,
  coverageDrift,
  coverageSeries,
  DAY,
  effortOf,
  indexMetricData,
  type MetricItem,
  plannedObjectives,
  staleGoals,
  staleLinks,
  unlinkedIntake,
  unlinkedItems,
  unlinkedSortKey,
  WEEK,
  weeklySeries,
} from '../../lib/server/metrics';
import type { Coverage, Objective, Review } from '../../lib/shared/contract';
import type { Db } from '../db';
import { type LoadedMetricData, loadItemRows, loadMetricData, type ResolvedScope, resolveScope } from '../metric-data';
import { pageSorted } from '../paging';
import { isoOrNull, periodBounds, resolvePeriod, summarize, toWorkItem } from '../queries';

import { listDecisions } from './reviews';
import { workspaceThresholds } from './workspace-settings';

export const isoWeek = <T extends { weekStart: number; weekEnd: number }>(
  w: T,
): Omit<T, 'weekStart' | 'weekEnd'> & { weekStart: string; weekEnd: string } => ({
  ...w,
  weekStart: new Date(w.weekStart).toISOString(),
  weekEnd: new Date(w.weekEnd).toISOString(),
});

/** Coverage of a scope over the `days` before `at`, with its weekly trend, and the data it came from. */
export async function coverageOf(
  db: Db,
  workspaceId: string,
  scope: ResolvedScope,
  days: number,
  weeks: number,
  at: Date,
) {
  const to = at.getTime();
  const from = to - days * DAY;
  const since = new Date(Math.min(from, to - weeks * WEEK));
  const data = await loadMetricData(db, workspaceId, scope, since, at);
  const index = indexMetricData(data);
  const figure: Coverage = {
    ...coverage(index, { from, to }),
    scope: { kind: scope.kind, id: scope.id, name: scope.name },
    window: { from: new Date(from).toISOString(), to: at.toISOString(), days },
    trend: coverageSeries(index, to, weeks).map(isoWeek),
  };
  return { data, index, figure, window: { from, to } };
}

/** Live links of the loaded items whose objective no longer counts, as the review and popup list them. */
export async function staleLinkRows(
  db: Db,
  workspaceId: string,
  data: LoadedMetricData,
  at: number,
  keep: (objectiveId: string) => boolean,
) {
  const found = staleLinks(data.links, new Map(data.objectives.map((o) => [o.id, o])), at)
    // Items and links are read apart: a link whose item came after the items were read waits for the next read.
    .filter(({ link }) => data.itemIds.has(link.itemId) && keep(link.objectiveId));
  // An inherited link is the container's: listed once, on the container, where it is ended or relinked.
  const stale = [
    ...new Map(
      found.map(({ link, reason }) => {
        const linkId = (link.via ? link.viaLinkId : link.id) as string;
        return [linkId, { linkId, itemId: link.via ?? link.itemId, objectiveId: link.objectiveId, reason }];
      }),
    ).values(),
  ];
  const rows = await loadItemRows(
    db,
    workspaceId,
    stale.map((link) => link.itemId),
  );
  return stale.flatMap(({ linkId, itemId, objectiveId, reason }) => {
    const item = rows.get(itemId);
    return item
      ? [
          {
            linkId,
            ref: item.ref,
            title: item.title,
            url: item.url,
            objective: summarize(data.objectiveRows.get(objectiveId) as Objective),
            reason,
          },
        ]
      : [];
  });
}

const UnlinkedCursorKey = z.tuple([z.number(), z.number(), z.string()]);

/** A page of the unlinked items (ranked by `unlinkedItems`), as whole work items with their effort. */
export async function unlinkedRows(
  db: Db,
  workspaceId: string,
  unlinked: MetricItem[],
  query: { unlinkedLimit: number; unlinkedCursor?: string },
) {
  const { page, nextCursor } = pageSorted(unlinked, {
    keyOf: unlinkedSortKey,
    compare: compareUnlinked,
    keySchema: UnlinkedCursorKey,
    cursor: query.unlinkedCursor,
    limit: query.unlinkedLimit,
    path: 'query.unlinkedCursor',
  });
  const rows = await loadItemRows(
    db,
    workspaceId,
    page.map((item) => item.id),
  );
  const items = page.flatMap((item) => {
    const row = rows.get(item.id);
    return row ? [{ ...toWorkItem(row), effort: effortOf(item) }] : [];
  });
  return { unlinked: items, unlinkedNextCursor: nextCursor };
}

/** The decisions a review shows: the latest page, and the cursor of `/v1/review/decisions` for older ones. */
export async function recentDecisions(db: Db, workspaceId: string, team: string | undefined) {
  const { decisions, nextCursor } = await listDecisions(db, workspaceId, { team }, { limit: 20 });
  return { decisions, decisionsNextCursor: nextCursor };
}

/** The review of a team or the workspace for a period, as the review page and a held review see it. */
export async function computeReview(
  db: Db,
  workspaceId: string,
  callerId: string,
  query: { team?: string; period?: string; weeks: number; unlinkedLimit: number; unlinkedCursor?: string },
  generatedAt: Date,
): Promise<z.infer<typeof Review>> {
  const period = await resolvePeriod(db, workspaceId, query.period ?? 'current', generatedAt);
  const bounds = periodBounds(period);
  // A past period is reviewed as it stood on its last day.
  const at = Math.min(generatedAt.getTime(), bounds.end - 1);
  const scope = await resolveScope(db, workspaceId, callerId, { team: query.team });
  const thresholds = await workspaceThresholds(db, workspaceId);
  const since = new Date(at - Math.max(query.weeks * WEEK, thresholds.starvedIdleDays * DAY));
  const data = await loadMetricData(db, workspaceId, scope, since, new Date(at));
  const index = indexMetricData(data);

  const inScope = data.objectives.filter((o) => {
    const row = data.objectiveRows.get(o.id);
    return row?.period.id === period.id && (!query.team || row.team?.id === query.team);
  });
  const window = { from: at - WEEK, to: at };
  const planned = plannedObjectives(inScope, at);
  const alloc = allocation(index, planned, window, thresholds);
  const series = weeklySeries(index, inScope, at, query.weeks, thresholds);
  const latestDrift = series.at(-1)?.allocationDrift ?? null;
  const unlinked = unlinkedItems(index, window);
  const summaryOf = (id: string) =>
    summarize(data.objectiveRows.get(id) as NonNullable<ReturnType<typeof data.objectiveRows.get>>);

  return {
    scope: { kind: scope.kind, id: scope.id, name: scope.name },
    period,
    generatedAt: generatedAt.toISOString(),
    coverage: coverage(index, window),
    fit: alloc.fit,
    allocation: alloc.rows.map(({ objectiveId, ...row }) => ({ objective: summaryOf(objectiveId), ...row })),
    drift: {
      series: series.map(isoWeek),
      coverageDrift: coverageDrift(series, thresholds),
      allocationDrift: {
        latest: latestDrift,
        flagged: latestDrift !== null && latestDrift > thresholds.allocationDriftWarn,
      },
      unlinkedIntake: unlinkedIntake(index, { from: at - query.weeks * WEEK, to: at }, thresholds),
    },
    ...(await unlinkedRows(db, workspaceId, unlinked, query)),
    unlinkedCount: unlinked.length,
    staleLinks: await staleLinkRows(db, workspaceId, data, at, (id) => !query.team || inScope.some((o) => o.id === id)),
    staleGoals: staleGoals(inScope, at).map(({ objective, dueSince }) => ({
      objective: summaryOf(objective.id),
      lastUpdateAt: isoOrNull(objective.lastUpdateAt === null ? null : new Date(objective.lastUpdateAt)),
      dueSince: new Date(dueSince).toISOString(),
    })),
    ...(await recentDecisions(db, workspaceId, query.team)),
  };
}
