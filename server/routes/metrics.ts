import { createRoute } from '@hono/zod-openapi';
import { and, eq, inArray } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { z } from 'zod';
import {
  Coverage,
  CoverageQuery,
  HeldReview,
  HeldReviewCreate,
  HeldReviewFilters,
  HeldReviews,
  MAX_HELD_DECISIONS,
  MyCoverage,
  MyCoverageQuery,
  type Objective,
  Review,
  ReviewDecision,
  ReviewDecisionCreate,
  ReviewDecisionFilters,
  ReviewDecisions,
  ReviewFigures,
  ReviewQuery,
} from '../../lib/contract';
import {
  allocation,
  compareUnlinked,
  coverage,
  coverageDrift,
  coverageSeries,
  DAY,
  effortOf,
  indexMetricData,
  isObjectiveCurrent,
  type MetricItem,
  plannedObjectives,
  staleGoals,
  staleLinks,
  thresholdsFor,
  unlinkedIntake,
  unlinkedItems,
  unlinkedSortKey,
  WEEK,
  weeklySeries,
} from '../../lib/metrics';
import type { Deps } from '../app';
import type { Db } from '../db';
import { periods, reviewDecisions, reviews, teams, users, workspaces } from '../db/schema';
import { type LoadedMetricData, loadItemRows, loadMetricData, type ResolvedScope, resolveScope } from '../metric-data';
import { afterCursor, cursorOf, orderOf, pageOf, pageSorted, type SortKey } from '../paging';
import {
  assertInWorkspace,
  iso,
  isoOrNull,
  periodBounds,
  resolvePeriod,
  summarize,
  toPeriod,
  toWorkItem,
} from '../queries';
import { loadMe } from './me';
import { errorResponses, json, jsonBody, router } from './router';

const owners = alias(users, 'decision_owner');
const creators = alias(users, 'decision_creator');

/** Newest first; the id breaks ties so that pages never overlap. */
const DECISION_ORDER: SortKey[] = [
  { column: reviewDecisions.createdAt, descending: true, kind: 'timestamp' },
  { column: reviewDecisions.id, descending: true, kind: 'uuid' },
];

/** A page of decisions, newest first, and the cursor of the next. */
async function listDecisions(
  db: Db,
  workspaceId: string,
  filter: { team?: string; id?: string; reviewIds?: string[] },
  page: { limit: number; cursor?: string },
) {
  const rows = await db
    .select({
      decision: reviewDecisions,
      team: { id: teams.id, name: teams.name },
      owner: { id: owners.id, name: owners.name },
      createdBy: { id: creators.id, name: creators.name },
      cursor: cursorOf(DECISION_ORDER),
    })
    .from(reviewDecisions)
    .leftJoin(teams, eq(teams.id, reviewDecisions.teamId))
    .leftJoin(owners, eq(owners.id, reviewDecisions.ownerId))
    .leftJoin(creators, eq(creators.id, reviewDecisions.createdById))
    .where(
      and(
        eq(reviewDecisions.workspaceId, workspaceId),
        filter.team ? eq(reviewDecisions.teamId, filter.team) : undefined,
        filter.id ? eq(reviewDecisions.id, filter.id) : undefined,
        filter.reviewIds ? inArray(reviewDecisions.reviewId, filter.reviewIds) : undefined,
        afterCursor(DECISION_ORDER, page.cursor),
      ),
    )
    .orderBy(...orderOf(DECISION_ORDER))
    .limit(page.limit + 1);
  const { page: shown, nextCursor } = pageOf(rows, page.limit);
  const decisions = shown.map(({ decision: d, team, owner, createdBy }) => ({
    id: d.id,
    kind: d.kind,
    summary: d.summary,
    team,
    periodId: d.periodId,
    reviewId: d.reviewId,
    owner,
    dueOn: d.dueOn,
    createdBy,
    createdAt: iso(d.createdAt),
  }));
  return { decisions, nextCursor };
}

const holders = alias(users, 'review_holder');
const HELD_REVIEW_ORDER: SortKey[] = [
  { column: reviews.heldAt, descending: true, kind: 'timestamp' },
  { column: reviews.id, descending: true, kind: 'uuid' },
];

/** A page of held reviews, newest first, each with the decisions it took, and the next page's cursor. */
async function listHeldReviews(
  db: Db,
  workspaceId: string,
  filter: { team?: string; id?: string },
  page: { limit: number; cursor?: string },
): Promise<{ reviews: HeldReview[]; nextCursor: string | null }> {
  const rows = await db
    .select({
      review: reviews,
      team: { id: teams.id, name: teams.name },
      period: periods,
      heldBy: { id: holders.id, name: holders.name },
      cursor: cursorOf(HELD_REVIEW_ORDER),
    })
    .from(reviews)
    .innerJoin(periods, eq(periods.id, reviews.periodId))
    .leftJoin(teams, eq(teams.id, reviews.teamId))
    .leftJoin(holders, eq(holders.id, reviews.heldById))
    .where(
      and(
        eq(reviews.workspaceId, workspaceId),
        filter.team ? eq(reviews.teamId, filter.team) : undefined,
        filter.id ? eq(reviews.id, filter.id) : undefined,
        afterCursor(HELD_REVIEW_ORDER, page.cursor),
      ),
    )
    .orderBy(...orderOf(HELD_REVIEW_ORDER))
    .limit(page.limit + 1);
  const { page: shown, nextCursor } = pageOf(rows, page.limit);
  const ids = shown.map((r) => r.review.id);
  // A held review records at most MAX_HELD_DECISIONS decisions, so this reads all of theirs.
  const { decisions } = ids.length
    ? await listDecisions(db, workspaceId, { reviewIds: ids }, { limit: MAX_HELD_DECISIONS * ids.length })
    : { decisions: [] };
  const held = shown.map(({ review, team, period, heldBy }) => ({
    id: review.id,
    team,
    period: toPeriod(period),
    notes: review.notes,
    figures: ReviewFigures.parse(review.figures),
    heldBy,
    heldAt: iso(review.heldAt),
    decisions: decisions.filter((d) => d.reviewId === review.id).reverse(),
  }));
  return { reviews: held, nextCursor };
}

async function workspaceThresholds(db: Db, workspaceId: string) {
  const [row] = await db
    .select({ settings: workspaces.settings })
    .from(workspaces)
    .where(eq(workspaces.id, workspaceId));
  return thresholdsFor(row?.settings as object | undefined);
}

const isoWeek = <T extends { weekStart: number; weekEnd: number }>(
  w: T,
): Omit<T, 'weekStart' | 'weekEnd'> & { weekStart: string; weekEnd: string } => ({
  ...w,
  weekStart: new Date(w.weekStart).toISOString(),
  weekEnd: new Date(w.weekEnd).toISOString(),
});

/** Coverage of a scope over the `days` before `at`, with its weekly trend, and the data it came from. */
async function coverageOf(db: Db, workspaceId: string, scope: ResolvedScope, days: number, weeks: number, at: Date) {
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
async function staleLinkRows(
  db: Db,
  workspaceId: string,
  data: LoadedMetricData,
  at: number,
  keep: (objectiveId: string) => boolean,
) {
  const stale = staleLinks(data.links, new Map(data.objectives.map((o) => [o.id, o])), at)
    // Items and links are read apart: a link whose item came after the items were read waits for the next read.
    .filter(({ link }) => data.itemIds.has(link.itemId) && keep(link.objectiveId));
  const rows = await loadItemRows(
    db,
    workspaceId,
    stale.map(({ link }) => link.itemId),
  );
  return stale.flatMap(({ link, reason }) => {
    const item = rows.get(link.itemId);
    return item
      ? [
          {
            linkId: link.id as string,
            ref: item.ref,
            title: item.title,
            url: item.url,
            objective: summarize(data.objectiveRows.get(link.objectiveId) as Objective),
            reason,
          },
        ]
      : [];
  });
}

const UnlinkedCursorKey = z.tuple([z.number(), z.number(), z.string()]);

/** A page of the unlinked items (ranked by `unlinkedItems`), as whole work items with their effort. */
async function unlinkedRows(
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
async function recentDecisions(db: Db, workspaceId: string, team: string | undefined) {
  const { decisions, nextCursor } = await listDecisions(db, workspaceId, { team }, { limit: 20 });
  return { decisions, decisionsNextCursor: nextCursor };
}

/** The review of a team or the workspace for a period, as the review page and a held review see it. */
async function computeReview(
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

export function metricRoutes({ db, now }: Deps) {
  return router()
    .openapi(
      createRoute({
        method: 'get',
        path: '/v1/coverage',
        summary: 'Coverage of work by goals for a person (`me`), a team or everyone, with its weekly trend',
        request: { query: CoverageQuery },
        responses: { 200: json(Coverage, 'Coverage'), ...errorResponses },
      }),
      async (c) => {
        const caller = c.get('caller');
        const query = c.req.valid('query');
        const scope = await resolveScope(db, caller.workspaceId, caller.userId, query);
        const { figure } = await coverageOf(db, caller.workspaceId, scope, query.window, query.weeks, now());
        return c.json(figure, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/v1/me/coverage',
        summary: 'The caller’s coverage this week against their team’s, their unlinked tickets and stale links',
        description:
          'What the popup shows. The caller’s tickets are those assigned to them on each host, matched by the ' +
          'identities of `/v1/me`.',
        request: { query: MyCoverageQuery },
        responses: { 200: json(MyCoverage, 'The caller’s coverage'), ...errorResponses },
      }),
      async (c) => {
        const caller = c.get('caller');
        const query = c.req.valid('query');
        const at = now();
        const me = await loadMe(db, caller);
        const scope = await resolveScope(db, caller.workspaceId, caller.userId, { person: 'me' });
        const mine = await coverageOf(db, caller.workspaceId, scope, 7, query.weeks, at);
        const teamScope = me.user.team
          ? await resolveScope(db, caller.workspaceId, caller.userId, { team: me.user.team.id })
          : null;
        const team = teamScope ? await coverageOf(db, caller.workspaceId, teamScope, 7, query.weeks, at) : null;
        const unlinked = unlinkedItems(mine.index, mine.window);
        const current = mine.data.objectives.filter((o) => isObjectiveCurrent(o, mine.window.to));
        const served = allocation(mine.index, current, mine.window).rows.filter((r) => r.linkedEffort > 0);
        const { totalEffort } = mine.figure;
        return c.json(
          {
            person: me.user,
            coverage: mine.figure,
            team: team?.figure ?? null,
            ...(await unlinkedRows(db, caller.workspaceId, unlinked, query)),
            unlinkedCount: unlinked.length,
            staleLinks: await staleLinkRows(db, caller.workspaceId, mine.data, mine.window.to, () => true),
            objectives: served
              .sort((a, b) => b.linkedEffort - a.linkedEffort)
              .map((r) => ({
                objective: summarize(mine.data.objectiveRows.get(r.objectiveId) as Objective),
                effort: r.linkedEffort,
                share: totalEffort > 0 ? r.linkedEffort / totalEffort : 0,
              })),
          },
          200,
        );
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/v1/review',
        summary: 'The alignment review of a team or the workspace for a period',
        description:
          'Coverage, allocation against priority per objective, fit, starved objectives, the drift series, ' +
          'unlinked tickets by effort, stale links and goals, and the decisions recorded.',
        request: { query: ReviewQuery },
        responses: { 200: json(Review, 'The review data'), ...errorResponses },
      }),
      async (c) => {
        const caller = c.get('caller');
        return c.json(await computeReview(db, caller.workspaceId, caller.userId, c.req.valid('query'), now()), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/v1/reviews',
        summary: 'Reviews held, newest first, each with the figures it saw and the decisions it took',
        request: { query: HeldReviewFilters },
        responses: { 200: json(HeldReviews, 'Held reviews'), ...errorResponses },
      }),
      async (c) => {
        const query = c.req.valid('query');
        return c.json(await listHeldReviews(db, c.get('caller').workspaceId, query, query), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/v1/reviews',
        summary: 'Record a review as held: its figures as they stand now, and the decisions it took (or none)',
        request: jsonBody(HeldReviewCreate),
        responses: { 201: json(HeldReview, 'The held review'), ...errorResponses },
      }),
      async (c) => {
        const caller = c.get('caller');
        const { workspaceId } = caller;
        const input = c.req.valid('json');
        await assertInWorkspace(db, workspaceId, [
          { field: 'teamId', table: teams, id: input.teamId },
          { field: 'periodId', table: periods, id: input.periodId },
          ...input.decisions.map((d, i) => ({ field: `decisions.${i}.ownerId`, table: users, id: d.ownerId })),
        ]);
        const heldAt = now();
        const review = await computeReview(
          db,
          workspaceId,
          caller.userId,
          { team: input.teamId ?? undefined, period: input.periodId, weeks: 8, unlinkedLimit: 1 },
          heldAt,
        );
        const figures: z.infer<typeof ReviewFigures> = {
          coverage: review.coverage.coverage,
          fit: review.fit,
          allocationDrift: review.drift.allocationDrift.latest,
          coverageDriftFlagged: review.drift.coverageDrift.flagged,
          starved: review.allocation.filter((r) => r.starved).map((r) => r.objective.title),
          unlinkedItems: review.unlinkedCount,
        };
        const id = await db.transaction(async (tx) => {
          const [row] = await tx
            .insert(reviews)
            .values({
              workspaceId,
              teamId: input.teamId ?? null,
              periodId: review.period.id,
              notes: input.notes,
              figures,
              heldById: caller.userId,
              heldAt,
            })
            .returning({ id: reviews.id });
          const reviewId = (row as { id: string }).id;
          if (input.decisions.length > 0) {
            await tx.insert(reviewDecisions).values(
              input.decisions.map((d, i) => ({
                ...d,
                workspaceId,
                reviewId,
                teamId: input.teamId ?? null,
                periodId: review.period.id,
                createdById: caller.userId,
                // Kept in the order given.
                createdAt: new Date(heldAt.getTime() + i),
              })),
            );
          }
          return reviewId;
        });
        const {
          reviews: [held],
        } = await listHeldReviews(db, workspaceId, { id }, { limit: 1 });
        return c.json(held as HeldReview, 201);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/v1/review/decisions',
        summary: 'Decisions recorded by past reviews, newest first',
        request: { query: ReviewDecisionFilters },
        responses: { 200: json(ReviewDecisions, 'Decisions'), ...errorResponses },
      }),
      async (c) => {
        const query = c.req.valid('query');
        return c.json(await listDecisions(db, c.get('caller').workspaceId, query, query), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/v1/review/decisions',
        summary: 'Record the decision a review took',
        request: jsonBody(ReviewDecisionCreate),
        responses: { 201: json(ReviewDecision, 'The decision'), ...errorResponses },
      }),
      async (c) => {
        const caller = c.get('caller');
        const input = c.req.valid('json');
        await assertInWorkspace(db, caller.workspaceId, [
          { field: 'teamId', table: teams, id: input.teamId },
          { field: 'periodId', table: periods, id: input.periodId },
          { field: 'ownerId', table: users, id: input.ownerId },
        ]);
        const [row] = await db
          .insert(reviewDecisions)
          .values({ workspaceId: caller.workspaceId, createdById: caller.userId, createdAt: now(), ...input })
          .returning({ id: reviewDecisions.id });
        const {
          decisions: [decision],
        } = await listDecisions(db, caller.workspaceId, { id: row?.id }, { limit: 1 });
        return c.json(decision as NonNullable<typeof decision>, 201);
      },
    );
}
